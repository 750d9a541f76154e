package main

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/ovhfence/ovhfence/version"
)

// The Makefile builds ovhfence(1) from `ovhfence manpage` and the shell
// completions from `ovhfence completion`, so both follow the commands and
// flags of the binary they ship with.
func init() {
	register("manpage", "print the manual page ovhfence(1) in troff (the Debian package ships it)", runManpage)
}

// commandHelp is what `ovhfence NAME -h` prints, or, when that usage line names
// sub-commands (keys request, render clusterconf|pcs|crm), what the first one's -h prints.
func commandHelp(name string) (help string, subcommands []string) {
	help = runForHelp(name, "-h")
	if subcommands = usageSubcommands(name, help); len(subcommands) > 0 {
		help = runForHelp(name, subcommands[0], "-h")
	}
	return help, subcommands
}

func runForHelp(name string, args ...string) string {
	var out bytes.Buffer
	commands[name].run(args, strings.NewReader(""), &out, &out)
	return out.String()
}

// usageSubcommands reads "Usage: ovhfence NAME a|b|c ..." and returns a, b, c.
func usageSubcommands(name, help string) []string {
	first, _, _ := strings.Cut(help, "\n")
	rest, ok := strings.CutPrefix(first, "Usage: ovhfence "+name+" ")
	if !ok {
		return nil
	}
	word, _, _ := strings.Cut(rest, " ")
	if word == "" || strings.HasPrefix(word, "[") || strings.HasPrefix(word, "-") {
		return nil
	}
	return strings.Split(word, "|")
}

// flagLine is a flag in Go's flag.PrintDefaults layout: "  -name type".
var flagLine = regexp.MustCompile(`(?m)^  -([a-z][a-z0-9-]*)`)

// helpFlags lists the flags a -h text documents, as --name.
func helpFlags(help string) []string {
	var flags []string
	for _, m := range flagLine.FindAllStringSubmatch(help, -1) {
		flags = append(flags, "--"+m[1])
	}
	return flags
}

// documentedCommands are the commands whose -h prints a usage: those with flags.
func documentedCommands() []string {
	var names []string
	for name := range commands {
		if help, _ := commandHelp(name); strings.HasPrefix(help, "Usage") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

func sortedCommands() []string {
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// troffText escapes text for troff: backslashes print, hyphens stay
// hyphen-minus (so flags can be copied), and a leading dot or quote is not a request.
func troffText(text string) string {
	text = strings.NewReplacer(`\`, `\e`, "-", `\-`).Replace(text)
	if strings.HasPrefix(text, ".") || strings.HasPrefix(text, "'") {
		text = `\&` + text
	}
	return text
}

func runManpage(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if wantsHelp(args) {
		printUsage(stdout, "manpage", "", "Prints the manual page ovhfence(1) in troff; it takes no arguments.")
		return 0
	}
	if len(args) > 0 {
		fmt.Fprintln(stderr, "ovhfence manpage takes no arguments; it prints ovhfence(1) in troff")
		return 2
	}
	io.WriteString(stdout, manpage())
	return 0
}

func manpage() string {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line(`.TH OVHFENCE 1 "" "ovhfence %s" "User Commands"`, troffText(version.Number))
	line(".nh")
	line(".SH NAME")
	line(`ovhfence \- fencing for high-availability clusters on OVHcloud dedicated servers`)
	line(".SH SYNOPSIS")
	line(`.B ovhfence`)
	line(`[\fIcommand\fR] [\fIflags\fR]`)
	line(".SH DESCRIPTION")
	line("OVHcloud gives no power switch, only an API that changes a server's netboot and hard-reboots it. " +
		"ovhfence turns that into a fence agent a cluster can trust, " +
		"and sets it up for Pacemaker (pcs or crmsh) or Proxmox VE 3 (cman).")
	line(".P")
	line("With no command, on a terminal, ovhfence runs the setup wizard; " +
		"flags given without a command are the wizard's. Run as " + `\fBfence_ovh\fR` +
		" (a symbolic link to ovhfence) it is the fence agent, described in " + `\fBfence_ovh\fR(8).`)
	line(".SH COMMANDS")
	for _, name := range sortedCommands() {
		line(".TP")
		line(`.B %s`, troffText(name))
		line("%s", troffText(commands[name].summary))
	}
	for _, name := range documentedCommands() {
		help, _ := commandHelp(name)
		line(`.SS "ovhfence %s"`, troffText(name))
		line(".nf")
		for _, text := range strings.Split(strings.TrimRight(help, "\n"), "\n") {
			line("%s", troffText(text))
		}
		line(".fi")
	}
	line(".SH FILES")
	for _, f := range [][2]string{
		{"/etc/ovh.conf", "the OVH keys (ovh.conf format, mode 0600) on Pacemaker clusters"},
		{"/etc/pve/priv/ovh.conf", "the OVH keys on Proxmox VE, replicated to every node, root only"},
		{"/etc/cron.d/ovhfence-check", "a daily `ovhfence check --nagios`, commented out until the wizard's next steps enable it"},
	} {
		line(".TP")
		line(`.I %s`, troffText(f[0]))
		line("%s", troffText(f[1]))
	}
	line(".SH EXIT STATUS")
	line("0 on success; 1 when a check finds a problem or a command fails; 2 for bad flags. " +
		`With \fB\-\-nagios\fR, check exits 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.`)
	line(".SH SEE ALSO")
	line(`\fBfence_ovh\fR(8), \fBpcs\fR(8), \fBcrm\fR(8), \fBstonith_admin\fR(8), \fBccs_config_validate\fR(8)`)
	return b.String()
}
