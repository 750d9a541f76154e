package e2ewizard

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

const testedServer = server2 // node2's

// startFenceTest runs the sandbox wizard to the live test and starts the real
// fence test of node2, returning once the power-off reboot was sent.
func startFenceTest(t *testing.T) (terminal, string) {
	term, _, out := startSandboxWizard(t, "NO_COLOR=1 ")
	toLiveTest(term, sandboxNodes)
	term.keys("node2", "Enter")
	term.waitFor("Type " + testedServer)
	term.keys(testedServer, "Enter")
	term.waitFor("off hard reboot, OVH task")
	return term, out
}

// TestEscDuringTheFenceTestBringsTheNodeBack: Esc once the reboot was sent
// ends the test with the server back on its disk, verified, and the wizard
// goes on.
func TestEscDuringTheFenceTestBringsTheNodeBack(t *testing.T) {
	term, out := startFenceTest(t)
	term.keys("Escape")
	screen := term.waitFor("was brought")
	joined := strings.Join(strings.Fields(screen), " ")
	if !strings.Contains(joined, testedServer+" was brought back on its disk (verified)") ||
		!strings.Contains(screen, "[7/9] Live test") || strings.Contains(screen, "Cancelled.") {
		t.Errorf("after Esc:\n%s", screen)
	}
	if _, err := os.Stat(filepath.Join(out, "ovh.conf.pending")); !os.IsNotExist(err) {
		t.Errorf("the pending keys stay once the node is back: %v", err)
	}
}

// TestCtrlCDuringTheFenceTestPrintsTheRecovery: Ctrl+C once the reboot was
// sent exits 130 naming the 0600 pending keys and one recovery command which,
// copied from the screen and parsed by bash, is the agent's "on" for the
// server with those keys.
func TestCtrlCDuringTheFenceTestPrintsTheRecovery(t *testing.T) {
	term, out := startFenceTest(t)
	term.keys("C-c")
	term.waitFor("EXIT=")
	screen := term.scrollback()
	pending := filepath.Join(out, "ovh.conf.pending")
	if !strings.Contains(screen, "EXIT=130") || !strings.Contains(screen, "nothing was written but the keys in "+pending) {
		t.Fatalf("after Ctrl+C:\n%s", screen)
	}
	info, err := os.Stat(pending)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("pending keys: %v %v", info, err)
	}
	if _, err := os.Stat(filepath.Join(out, "ovh.conf")); !os.IsNotExist(err) {
		t.Errorf("ovh.conf was written before step 8: %v", err)
	}
	line := regexp.MustCompile(`(?m)^\S+ agent --action on .*$`).FindString(screen)
	if line == "" {
		t.Fatalf("no recovery command on the screen:\n%s", screen)
	}
	got := bashArgv(t, strings.Replace(line, strings.Fields(line)[0], "ovhfence", 1))
	want := []string{"agent", "--action", "on", "--plug", testedServer, "--ovh-config", pending, "--fence-mode", "poweroff", "--disk-boot-id", "1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("recovery command %q parses to %q, want %q", line, got, want)
	}
}
