package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/ovhfence/ovhfence/tui"
)

// commandExamples are the examples each command's -h ends with, one to three
// per command ("keys request" and "keys activate" each have their own). The
// help test runs every ovhfence example with -h appended, so an example whose
// flags no longer parse fails it.
var commandExamples = map[string][]string{
	"agent": {
		"fence_ovh -o status -n ns567890.ip-123-22-44.eu --ovh-config /etc/ovh.conf",
		"fence_ovh -o off -n ns567890.ip-123-22-44.eu --ovh-config /etc/ovh.conf --fence-mode poweroff",
	},
	"check": {
		"ovhfence check --cluster fence.cluster",
		"ovhfence check --config /etc/ovh.conf --server ns567890.ip-123-22-44.eu --nagios",
	},
	"completion": {
		"ovhfence completion bash > /etc/bash_completion.d/ovhfence",
		"ovhfence completion zsh > \"${fpath[1]}/_ovhfence\"",
	},
	"help":    {"ovhfence help"},
	"keys":    {"ovhfence keys request --config /etc/ovh.conf --server ns567890.ip-123-22-44.eu --write /etc/ovh.conf --wait"},
	"manpage": {"ovhfence manpage | man -l -"},
	"render": {
		"ovhfence render pcs --cluster fence.cluster --out fence-pcs.sh",
		"ovhfence render clusterconf --cluster fence.cluster --in ./cluster.conf --out ./cluster.conf.new",
	},
	"sandbox": {
		"ovhfence sandbox --listen 127.0.0.1:8080 --reboot-seconds 2 --seed-servers 20",
		"ovhfence sandbox --service-account --reboot-seconds 2",
	},
	"setup": {
		"ovhfence setup --sandbox",
		"ovhfence setup --yes --config /etc/ovh.conf --target pcs --nodes web1,web2 --map web1=ns567890.ip-123-22-44.eu --map web2=ns567891.ip-123-22-45.eu --fence-mode rescue",
	},
	"version": {"ovhfence version"},
	"keys request": {
		"ovhfence keys request --config /etc/ovh.conf --server ns567890.ip-123-22-44.eu --write /etc/ovh.conf --wait",
		"ovhfence keys request --discovery --config /etc/ovh.conf --write /root/discovery.conf",
	},
	"keys activate": {"ovhfence keys activate --write /etc/ovh.conf --server ns567890.ip-123-22-44.eu"},
	"keys service-account": {
		"ovhfence keys service-account --endpoint ovh-eu --application-key AK --application-secret-file /root/as --server ns567890.ip-123-22-44.eu --write /etc/ovh.conf",
	},
}

// exampleWidth is the width an example is packed into: with its indent and
// " \", each line fits an 80-column terminal.
const exampleWidth = 76

// printExamples ends a command's help with its examples, a long one on shell
// lines joined by " \", so that it pastes whole.
func printExamples(w io.Writer, name string) {
	fmt.Fprintln(w, "\nExamples:")
	for _, example := range commandExamples[name] {
		for _, line := range tui.PackArgs(exampleArgs(example), exampleWidth) {
			fmt.Fprintln(w, "  "+line)
		}
	}
}

// exampleArgs splits an example into words, each flag with its value.
func exampleArgs(example string) []string {
	var args []string
	for _, word := range strings.Fields(example) {
		if n := len(args); n > 0 && strings.HasPrefix(args[n-1], "-") && !strings.Contains(args[n-1], " ") &&
			!strings.Contains(args[n-1], "=") && !strings.HasPrefix(word, "-") {
			args[n-1] += " " + word
			continue
		}
		args = append(args, word)
	}
	return args
}

// wantsHelp reports whether args ask for help: -h or --help anywhere.
func wantsHelp(args []string) bool {
	return slices.ContainsFunc(args, func(a string) bool { return a == "-h" || a == "-help" || a == "--help" })
}

// printUsage prints a flagless command's help: usage, purpose, examples.
func printUsage(w io.Writer, name, usage, purpose string) {
	fmt.Fprintf(w, "Usage: ovhfence %s\n%s\n", strings.TrimSpace(name+" "+usage), purpose)
	printExamples(w, name)
}
