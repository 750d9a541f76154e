// Command ovhfence is the OVH fencing tool. Invoked as fence_ovh (a symlink) it is
// the fence agent; otherwise it is a CLI whose subcommands register themselves in
// commands (one file per subcommand).
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ovhfence/ovhfence/tui"
)

// command is one subcommand: run gets the arguments after its name and returns the exit code.
type command struct {
	summary string
	run     func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

var commands = map[string]command{}

func register(name, summary string, run func(args []string, stdin io.Reader, stdout, stderr io.Writer) int) {
	commands[name] = command{summary: summary, run: run}
}

func main() {
	os.Exit(dispatch(filepath.Base(os.Args[0]), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func dispatch(argv0 string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if strings.HasPrefix(argv0, "fence_ovh") {
		return commands["agent"].run(args, stdin, stdout, stderr)
	}
	if len(args) == 0 {
		if setup, ok := commands["setup"]; ok {
			return setup.run(nil, stdin, stdout, stderr)
		}
		printHelp(stdout)
		return 0
	}
	name := args[0]
	if name == "--version" {
		name = "version"
	}
	if strings.HasPrefix(name, "-") {
		// Global flags such as --sandbox or --plain belong to the default command, setup.
		if setup, ok := commands["setup"]; ok && name != "-h" && name != "--help" {
			return setup.run(args, stdin, stdout, stderr)
		}
		name = "help"
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "ovhfence: unknown command %q; run 'ovhfence help' for the list\n", name)
		return 2
	}
	return cmd.run(args[1:], stdin, stdout, stderr)
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "ovhfence: fencing for high-availability clusters on OVHcloud dedicated servers")
	fmt.Fprintln(w, "\nUsage: ovhfence <command> [flags]   (as fence_ovh: the fence agent)\n\nCommands:")
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	const indent = "             " // "  " and the name's column: a summary wraps under itself
	for _, name := range names {
		for i, line := range tui.WrapText(commands[name].summary, 80-len(indent)) {
			if i == 0 {
				fmt.Fprintf(w, "  %-10s %s\n", name, line)
				continue
			}
			fmt.Fprintln(w, indent+line)
		}
	}
	fmt.Fprintln(w, "\nRun 'ovhfence <command> -h' for a command's flags.")
}

func init() {
	register("help", "show this list", func(args []string, _ io.Reader, stdout, _ io.Writer) int {
		printHelp(stdout)
		if wantsHelp(args) {
			printExamples(stdout, "help")
		}
		return 0
	})
}
