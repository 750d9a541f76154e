package e2ewizard

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// runYes runs `ovhfence --sandbox --yes` with args in tmux until it exits,
// and returns the session as a terminal copies it and the output directory.
func runYes(t *testing.T, args ...string) (string, string) {
	term, _, out := startSandboxWizardSized(t, "NO_COLOR=1 ", 80, 24, append([]string{"--yes", "--target", "pcs"}, args...)...)
	term.waitFor("EXIT=")
	return term.scrollback(), out
}

// failedNamingIt checks ovhfence exited non-zero with an error holding each of
// want, and wrote nothing: not even its output directory.
func failedNamingIt(t *testing.T, scrollback, out string, want ...string) {
	t.Helper()
	exit := regexp.MustCompile(`EXIT=(\d+)`).FindStringSubmatch(scrollback)
	if exit == nil || exit[1] == "0" {
		t.Errorf("ovhfence exited 0 with a map it cannot prove:\n%s", scrollback)
	}
	errLine := regexp.MustCompile(`(?m)^ovhfence setup: .*$`).FindString(scrollback)
	for _, w := range want {
		if !strings.Contains(errLine, w) {
			t.Errorf("the error %q does not name %q:\n%s", errLine, w, scrollback)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		entries, _ := os.ReadDir(out)
		t.Errorf("%s holds %v after a refused map (%v)", out, entries, err)
	}
}

// TestYesNeverGuessesTheMap: nodes that match no server, with --servers and
// no --map, are an error naming the node and the flag to give, not a map by
// position.
func TestYesNeverGuessesTheMap(t *testing.T) {
	scrollback, out := runYes(t, "--nodes", "web1,web2", "--servers", server1+","+server2)
	failedNamingIt(t, scrollback, out, "web1", "--map web1=")
}

// TestYesRefusesABadAnswersMap: an --answers file's map entry naming a server
// already taken, a misspelled server or a node the cluster lacks is an error
// naming that entry, never replaced by a guess.
func TestYesRefusesABadAnswersMap(t *testing.T) {
	misspelled := strings.Replace(server2, "1.ip", "l.ip", 1)
	for name, tc := range map[string]struct{ mapping, entry string }{
		"taken":      {"web1=" + server1 + ",web2=" + server1, "web2=" + server1},
		"misspelled": {"web1=" + server1 + ",web2=" + misspelled, "web2=" + misspelled},
		"unknown":    {"web1=" + server1 + ",web3=" + server2, "web3=" + server2},
	} {
		t.Run(name, func(t *testing.T) {
			answers := filepath.Join(t.TempDir(), "answers")
			content := "nodes = web1,web2\nservers = " + server1 + "," + server2 + "\nmap = " + tc.mapping + "\n"
			if err := os.WriteFile(answers, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			scrollback, out := runYes(t, "--answers", answers)
			failedNamingIt(t, scrollback, out, tc.entry)
		})
	}
}

// TestUnmatchedNodeIsNotShownAsMatched: in the full-screen wizard a node with
// no evidence starts empty, labelled unmatched, and Enter does not accept a
// server for it: the admin types it.
func TestUnmatchedNodeIsNotShownAsMatched(t *testing.T) {
	term, _, _ := startSandboxWizardSized(t, "NO_COLOR=1 ", 80, 24, "--nodes", "node1,web2")
	screen := toMap(term, []string{"node1", "web2"})
	field := regexp.MustCompile(`(?m)^Server of (\S+) \((.*)\)\n(?:> |  )?(.*)$`)
	got := map[string][]string{}
	for _, m := range field.FindAllStringSubmatch(screen, -1) {
		got[m[1]] = []string{m[2], strings.TrimSpace(m[3])}
	}
	if l := got["node1"]; l == nil || l[0] != "matched: reverse DNS node1.sandbox.example" || l[1] != server1 {
		t.Errorf("node1 is not matched by its reverse DNS: %q\n%s", l, screen)
	}
	if l := got["web2"]; l == nil || !strings.HasPrefix(l[0], "no match") || l[1] != "" {
		t.Errorf("web2, which nothing matches, shows %q:\n%s", l, screen)
	}
	term.keys("Enter", "Enter")
	screen = term.waitFor("an answer is needed")
	if !strings.Contains(screen, "[4/9] Map nodes to servers") {
		t.Errorf("Enter left the map step with web2 unmapped:\n%s", screen)
	}
	term.keys(server2, "Enter")
	term.waitFor("[5/9] Fence mode")
}
