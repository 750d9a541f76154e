package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestDispatch(t *testing.T) {
	tests := []struct {
		argv0  string
		args   []string
		code   int
		stdout string // substring
		stderr string // substring
	}{
		{"fence_ovh", []string{"-o", "metadata"}, 0, `<resource-agent name="fence_ovh"`, ""},
		{"ovhfence", []string{"agent", "-o", "metadata"}, 0, `<resource-agent name="fence_ovh"`, ""},
		{"ovhfence", []string{"version"}, 0, "ovhfence 0.", ""},
		{"ovhfence", []string{"--version"}, 0, "ovhfence 0.", ""},
		{"ovhfence", []string{"help"}, 0, "sandbox", ""},
		{"ovhfence", []string{"--help"}, 0, "Commands:", ""},
		{"ovhfence", []string{"explode"}, 2, "", `unknown command "explode"`},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := dispatch(tt.argv0, tt.args, strings.NewReader(""), &stdout, &stderr)
		if code != tt.code || !strings.Contains(stdout.String(), tt.stdout) || !strings.Contains(stderr.String(), tt.stderr) {
			t.Errorf("%s %v: code %d stdout %.60q stderr %q", tt.argv0, tt.args, code, stdout.String(), stderr.String())
		}
	}
}

// TestHelpFitsEightyColumns: the command list wraps each summary under
// itself, so that no line is wider than a terminal's 80 columns.
func TestHelpFitsEightyColumns(t *testing.T) {
	res := runInProcess("help")
	for _, line := range strings.Split(res.stdout, "\n") {
		if n := len([]rune(line)); n > 80 {
			t.Errorf("a help line is %d columns wide:\n%s", n, line)
		}
	}
	if !strings.Contains(res.stdout, "\n  check      prove") {
		t.Errorf("the command list lost its layout:\n%s", res.stdout)
	}
}
