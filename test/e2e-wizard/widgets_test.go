package e2ewizard

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// pendingClusterConf writes a cluster.conf.new of the sandbox's nodes (the
// repository's PVE 3 fixture, renamed) for the wizard to merge into and diff
// against, and returns the shell words that put it in the output directory.
func pendingClusterConf(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "pve3-cluster.conf"))
	if err != nil {
		t.Fatal(err)
	}
	conf := string(data)
	for i, sn := range sandboxServers {
		conf = strings.Replace(conf, `clusternode name="`+sn+`"`, `clusternode name="node`+strconv.Itoa(i+1)+`"`, 1)
	}
	file := filepath.Join(t.TempDir(), "cluster.conf.new")
	if err := os.WriteFile(file, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	return "mkdir -p out && cp " + file + " out/ && "
}

var position = regexp.MustCompile(`lines (\d+)–(\d+) of (\d+)`)

// TestDiffScrollsInTmux: at 60×20 step 8's diff does not fit; End shows its
// last line, Home its first, each with the position, and nothing sends to --plain.
func TestDiffScrollsInTmux(t *testing.T) {
	term, _, _ := startSandboxWizardSized(t, pendingClusterConf(t)+"NO_COLOR=1 ", 60, 20)
	toOutput(term, sandboxNodes)
	screen := term.waitFor("lines 1–")
	if strings.Contains(screen, "--plain") || !strings.Contains(screen, "↑↓ pgup pgdn home end") {
		t.Errorf("step 8 at 60×20:\n%s", screen)
	}
	total := position.FindStringSubmatch(screen)[3]
	term.keys("End")
	screen = term.waitFor("–" + total + " of " + total + " ")
	if !strings.Contains(screen, "<clusternode name=\"node1\"") {
		t.Errorf("End does not show the diff's last lines:\n%s", screen)
	}
	term.keys("PageUp")
	term.waitUntil("PgUp scrolls up", func(screen string) bool {
		p := position.FindStringSubmatch(screen)
		return p != nil && p[2] != total
	})
	term.keys("Home")
	term.waitFor("lines 1–")
	term.keys("Enter")
	term.waitFor("[9/9] Summary")
}

// TestCursorWithoutColour: with NO_COLOR, and on a monochrome terminal, the
// application key's field shows its cursor (reverse video, which is no colour).
func TestCursorWithoutColour(t *testing.T) {
	for _, env := range []string{"NO_COLOR=1 ", "TERM=xterm-mono "} {
		t.Run(strings.TrimSpace(env), func(t *testing.T) {
			term, _, _ := startSandboxWizard(t, env)
			toAppKeys(term, sandboxNodes)
			screen := term.tmux("capture-pane", "-p", "-e", "-t", session)
			focused := regexp.MustCompile(`(?m)^(\x1b\[[0-9;]*m)*> .*$`).FindString(screen)
			if !strings.Contains(focused, "\x1b[7m") {
				t.Errorf("no cursor on the focused field %q:\n%s", focused, screen)
			}
		})
	}
}

// TestWrongSecretInTmux: the sandbox refuses a wrong application secret's
// signature as OVH does (400 Invalid signature), and the wizard stays at step
// 2 with the secret field focused and emptied, the key kept.
func TestWrongSecretInTmux(t *testing.T) {
	term, _, _ := startSandboxWizard(t, "NO_COLOR=1 ")
	toAppKeys(term, sandboxNodes)
	term.keys("Tab", "C-u", "wrongsecret123", "Enter", "Enter") // on through the credentials kind
	screen := term.waitFor("Invalid signature")
	if !regexp.MustCompile(`(?m)^Application key\n  \S+\s*\nApplication secret\n> *$`).MatchString(screen) {
		t.Errorf("the secret field is not the focused, empty one:\n%s", screen)
	}
}

// TestFenceTestWaitMoves: during the real fence test the wait line counts
// the time spent against its bound, and a refused key says so.
func TestFenceTestWaitMoves(t *testing.T) {
	term, _ := startFenceTest(t)
	term.keys("x") // the test takes seconds in the sandbox: ask first
	term.waitFor(`"x" does nothing while this runs: esc cancels · ctrl+c quits`)
	elapsed := regexp.MustCompile(`verified…\s+·\s+(\d+:\d\d)\s+of\s+at\s+most\s+(\d+:\d\d)`)
	first := elapsed.FindStringSubmatch(term.waitUntil("the wait line shows its time", elapsed.MatchString))
	term.waitUntil("the time moves", func(screen string) bool {
		now := elapsed.FindStringSubmatch(screen)
		return now != nil && now[1] != first[1]
	})
}
