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
