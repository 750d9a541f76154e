package main

import (
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/agent"
)

// TestEveryCommandHelp walks the command table (and each command's
// sub-commands, read from its usage line): -h exits 0, prints the examples,
// lists the flags when the command takes any, and names every flag its
// examples use. Each example, run with -h appended, parses.
func TestEveryCommandHelp(t *testing.T) {
	for _, name := range sortedCommands() {
		res := runInProcess(name, "-h")
		help := res.stdout + res.stderr
		t.Run(name, func(t *testing.T) { checkHelp(t, name, res, help) })
		for _, sub := range usageSubcommands(name, help) {
			res := runInProcess(name, sub, "-h")
			t.Run(name+" "+sub, func(t *testing.T) { checkHelp(t, name+" "+sub, res, res.stdout+res.stderr) })
		}
	}
}

func checkHelp(t *testing.T, name string, res result, help string) {
	if res.code != 0 {
		t.Fatalf("-h: exit %d, want 0:\n%s", res.code, help)
	}
	examples := commandExamples[name]
	if _, own := commandExamples[name]; !own { // "render pcs" shows render's examples
		examples = commandExamples[strings.Fields(name)[0]]
	}
	if len(examples) == 0 || len(examples) > 3 || !strings.Contains(help, "\nExamples:\n") {
		t.Errorf("-h shows %d examples (want one to three under Examples:):\n%s", len(examples), help)
	}
	_, shown, _ := strings.Cut(help, "\nExamples:\n")
	for _, line := range strings.Split(shown, "\n") {
		if len([]rune(line)) > 80 {
			t.Errorf("an example line is %d columns wide, more than a terminal's 80:\n%s", len([]rune(line)), line)
		}
	}
	// A long example is shown on shell lines joined by " \": pasted, it is one command.
	shown = strings.ReplaceAll(shown, " \\\n      ", " ")
	for _, example := range examples {
		if !strings.Contains(shown, "  "+example+"\n") {
			t.Errorf("-h lacks the example %q", example)
		}
		checkExample(t, example, help)
	}
	// The flags the usage line names are listed; and a command that parses
	// flags (an unknown one is a flag error) lists them.
	usage, _, _ := strings.Cut(help, "\n")
	for _, flag := range longOption.FindAllString(usage, -1) {
		if !strings.Contains(strings.Join(helpFlags(help), " "), flag) {
			t.Errorf("the usage line names %s, which -h does not list:\n%s", flag, help)
		}
	}
	bogus := runInProcess(append(strings.Fields(name), "--no-such-flag")...)
	if strings.Contains(bogus.stderr, "flag provided but not defined") && len(helpFlags(help)) == 0 {
		t.Errorf("-h lists no flags:\n%s", help)
	}
}

// checkExample checks that example's flags are in help and that it parses.
func checkExample(t *testing.T, example, help string) {
	t.Helper()
	words := strings.Fields(example)
	for i, w := range words {
		if w == "|" || w == ">" {
			words = words[:i]
			break
		}
	}
	for _, w := range words[1:] {
		flagName, _, _ := strings.Cut(w, "=")
		if strings.HasPrefix(flagName, "-") && !strings.Contains(help, strings.TrimLeft(flagName, "-")) {
			t.Errorf("example %q uses %s, which -h does not list", example, flagName)
		}
	}
	if words[0] == "fence_ovh" {
		if _, err := agent.ParseArgs(words[1:]); err != nil {
			t.Errorf("example %q does not parse: %v", example, err)
		}
		return
	}
	if res := runInProcess(append(words[1:], "-h")...); res.code != 0 {
		t.Errorf("example %q with -h: exit %d:\n%s", example, res.code, res.stderr)
	}
}
