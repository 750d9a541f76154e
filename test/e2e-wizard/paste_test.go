package e2ewizard

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// TestCommandsPasteWhole: at 60, 80 and 120 columns, the repeat command the
// summary shows, joined as the terminal copies it (capture-pane -J) and
// parsed by bash, is the argv the wizard built, and every validation URL on
// the screen is the one OVH (the sandbox) gave, byte for byte. A hard wrap
// would split "--fence-mode poweroff" into a command of its own.
func TestCommandsPasteWhole(t *testing.T) {
	needTool(t, "bash")
	for _, size := range [][2]int{{60, 24}, {80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			term, _, out := startSandboxWizardSized(t, "NO_COLOR=1 ", size[0], size[1])
			toTheEnd(term, sandboxNodes)
			scrollback := term.scrollback()

			command := repeatCommand(t, scrollback)
			want := []string{"setup", "--yes", "--sandbox", "--out", out, "--target", "pcs,pve3", "--cluster-name", "sandbox",
				"--nodes", "node1,node2,node3", "--map", "node1=ns567890.ip-123-22-44.eu", "--map", "node2=ns567891.ip-123-22-45.eu",
				"--map", "node3=ns567892.ip-123-22-46.eu", "--fence-mode", "poweroff", "--no-intervention", "set"}
			if got := bashArgv(t, command); !reflect.DeepEqual(got, want) {
				t.Errorf("the command pasted into bash runs ovhfence with\n%q\nwant\n%q\nfrom:\n%s", got, want, command)
			}

			transcript, err := os.ReadFile(filepath.Join(out, "ovhfence-setup.log"))
			if err != nil {
				t.Fatal(err)
			}
			given := regexp.MustCompile(`validation URL (\S+)`).FindAllStringSubmatch(string(transcript), -1)
			shown := regexp.MustCompile(`https?://\S*credentialToken=\S*`).FindAllString(scrollback, -1)
			if len(given) != 2 || len(shown) != 2 {
				t.Fatalf("%d validation URLs given, %d on the screen, want 2 each:\n%s", len(given), len(shown), scrollback)
			}
			for i := range given {
				if shown[i] != given[i][1] {
					t.Errorf("URL on the screen %q, OVH gave %q", shown[i], given[i][1])
				}
			}
		})
	}
}

// repeatCommand is the text under "The same setup without questions:", as the screen holds it.
func repeatCommand(t *testing.T, scrollback string) string {
	t.Helper()
	_, after, ok := strings.Cut(scrollback, "The same setup without questions:\n")
	command, _, done := strings.Cut(after, "\nDone (log saved to")
	if !ok || !done {
		t.Fatalf("no repeat command in the scrollback:\n%s", scrollback)
	}
	return command
}

// bashArgv is the argv bash gives ovhfence when command is pasted into it.
func bashArgv(t *testing.T, command string) []string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "pasted.sh")
	if err := os.WriteFile(file, []byte(command+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// ovhfence is a function printing its argv; any other command run (a bare
	// "poweroff" line) makes bash fail: PATH holds nothing.
	script := `ovhfence() { printf '%s\0' "$@"; }; PATH=/nonexistent; set -e; source "$1"`
	out, err := exec.Command("bash", "-c", script, "bash", file).Output()
	if err != nil {
		t.Fatalf("bash on the pasted command: %v\n%s", err, command)
	}
	return strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
}
