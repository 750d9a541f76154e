package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/agent"
)

// complete runs the generated bash completion in a real bash for the words of a
// command line (the last one being completed) and returns what it offers.
func complete(t *testing.T, script string, words ...string) []string {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash is not installed")
	}
	driver := `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _` + strings.ReplaceAll(filepath.Base(words[0]), "-", "_") +
		`; printf '%s\n' "${COMPREPLY[@]}"`
	out, err := exec.Command(bash, append([]string{"-c", driver, "bash", script}, words...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("bash completion of %q: %v\n%s", words, err, out)
	}
	return strings.Fields(string(out))
}

func completionScript(t *testing.T, shell string) string {
	t.Helper()
	res := runInProcess("completion", shell)
	if res.code != 0 {
		t.Fatalf("ovhfence completion %s: exit %d: %s", shell, res.code, res.stderr)
	}
	path := filepath.Join(t.TempDir(), shell)
	if err := os.WriteFile(path, []byte(res.stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestBashCompletion(t *testing.T) {
	script := completionScript(t, "bash")
	for _, tt := range []struct {
		words []string
		want  []string // all offered
		only  bool     // and nothing else
	}{
		{words: []string{"ovhfence", "ch"}, want: []string{"check"}, only: true},
		{words: []string{"ovhfence", "--vers"}, want: []string{"--version"}, only: true},
		{words: []string{"ovhfence", "check", "--"}, want: []string{"--nagios", "--cluster", "--config", "--server"}},
		{words: []string{"ovhfence", "keys", ""}, want: []string{"request"}},
		{words: []string{"ovhfence", "render", ""}, want: []string{"clusterconf", "pcs", "crm"}},
		{words: []string{"ovhfence", "--sandbox", "--pl"}, want: []string{"--plain"}, only: true},
		{words: []string{"fence_ovh", "-o", ""}, want: []string{"on", "off", "reboot", "status", "list", "list-status", "monitor", "metadata", "manpage", "validate-all"}, only: true},
		{words: []string{"fence_ovh", "--action", "=", "l"}, want: []string{"list", "list-status"}, only: true},
		{words: []string{"fence_ovh", "--fence-mode", "="}, want: []string{"rescue", "poweroff"}, only: true},
		{words: []string{"fence_ovh", "--ovh"}, want: []string{"--ovh-config"}, only: true},
	} {
		got := complete(t, script, tt.words...)
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("%q offers %q, which lacks %q", tt.words, got, w)
			}
		}
		if tt.only && len(got) != len(tt.want) {
			t.Errorf("%q offers %q, want only %q", tt.words, got, tt.want)
		}
	}
}

// TestEveryFlagCompletes: for every command, `ovhfence NAME --<TAB>` offers
// every flag its -h documents.
func TestEveryFlagCompletes(t *testing.T) {
	script := completionScript(t, "bash")
	for _, name := range documentedCommands() {
		help, _ := commandHelp(name)
		offered := complete(t, script, "ovhfence", name, "--")
		for _, flag := range flagLine.FindAllStringSubmatch(help, -1) {
			if !slices.Contains(offered, "--"+flag[1]) {
				t.Errorf("ovhfence %s -h documents -%s, which the completion does not offer (it offers %q)", name, flag[1], offered)
			}
		}
	}
}

// TestFenceOVHCompletionOptionsParse: every option the completion offers for
// fence_ovh is one the agent's own parser accepts, and every option of the
// agent's usage text is offered.
func TestFenceOVHCompletionOptionsParse(t *testing.T) {
	offered := complete(t, completionScript(t, "bash"), "fence_ovh", "--")
	if len(offered) < 20 {
		t.Fatalf("only %d options offered: %q", len(offered), offered)
	}
	for _, opt := range offered {
		if _, err := agent.ParseArgs([]string{opt + "=1"}); err != nil {
			if _, err := agent.ParseArgs([]string{opt}); err != nil {
				t.Errorf("completion offers %s, which fence_ovh rejects: %v", opt, err)
			}
		}
	}
	for _, opt := range longOption.FindAllString(agent.Usage("x"), -1) {
		if !slices.Contains(offered, opt) {
			t.Errorf("fence_ovh -h documents %s, which the completion does not offer", opt)
		}
	}
}

func TestZshCompletion(t *testing.T) {
	zsh, err := exec.LookPath("zsh")
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("zsh is not installed (CI unset); test/package/run.sh installs it")
		}
		t.Fatal("zsh is needed when CI is set")
	}
	if out, err := exec.Command(zsh, "-n", completionScript(t, "zsh")).CombinedOutput(); err != nil {
		t.Fatalf("zsh -n: %v\n%s", err, out)
	}
}
