package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestManpage: ovhfence(1) names every command and documents every flag of
// every command, and groff formats it without a warning.
func TestManpage(t *testing.T) {
	res := runInProcess("manpage")
	if res.code != 0 || !strings.HasPrefix(res.stdout, ".TH OVHFENCE 1 ") {
		t.Fatalf("ovhfence manpage: exit %d, stdout %.80q, stderr %q", res.code, res.stdout, res.stderr)
	}
	page := res.stdout
	for _, name := range sortedCommands() {
		if !strings.Contains(page, ".B "+troffText(name)+"\n") {
			t.Errorf("the page does not list command %s", name)
		}
	}
	documented := documentedCommands()
	for _, want := range []string{"check", "keys", "render", "sandbox", "setup"} {
		if !strings.Contains(strings.Join(documented, " "), want) {
			t.Errorf("command %s has no flags section (documented: %q)", want, documented)
		}
	}
	for _, name := range documented {
		help, _ := commandHelp(name)
		for _, flag := range helpFlags(help) {
			if !strings.Contains(page, troffText(flag[1:])) {
				t.Errorf("the page does not document %s %s", name, flag)
			}
		}
	}
	groff, err := exec.LookPath("groff")
	if err != nil {
		t.Skip("groff is not installed")
	}
	cmd := exec.Command(groff, "-man", "-Tutf8", "-ww", "-z")
	cmd.Stdin = strings.NewReader(page)
	if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("groff warns about ovhfence(1): %v\n%s", err, out)
	}
}
