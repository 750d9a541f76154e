// Package e2ewizard drives the built ovhfence binary's wizard in a real
// terminal (tmux, 80×24) against the sandbox, from start to summary.
package e2ewizard

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ovhfence/ovhfence/render"
)

const session = "ovhfence-e2e-wizard"

// needTool skips without tool, unless CI is set: there it must be installed.
func needTool(t *testing.T, tool string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required in CI: %v", tool, err)
		}
		t.Skipf("%s is not installed (CI unset): the terminal end-to-end test needs it", tool)
	}
}

// built is the ovhfence binary every test runs, built once.
var built struct {
	once     sync.Once
	dir, bin string
	err      error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

func buildBinary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "ovhfence-e2e-"); built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "ovhfence")
		cmd := exec.Command("go", "build", "-o", built.bin, "./cmd/ovhfence")
		cmd.Dir = filepath.Join("..", "..")
		if out, err := cmd.CombinedOutput(); err != nil {
			built.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.bin
}

// terminal is one tmux session.
type terminal struct {
	t      *testing.T
	socket string
}

func (term terminal) tmux(args ...string) string {
	term.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", term.socket}, args...)...).CombinedOutput()
	if err != nil {
		term.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (term terminal) screen() string { return term.tmux("capture-pane", "-p", "-t", session) }

// scrollback is the whole session as a terminal copies it, wrapped lines joined.
func (term terminal) scrollback() string {
	return term.tmux("capture-pane", "-p", "-J", "-S", "-1000", "-t", session)
}

// waitFor polls the screen until it contains want.
func (term terminal) waitFor(want string) string {
	term.t.Helper()
	return term.waitUntil(fmt.Sprintf("the screen shows %q", want), func(screen string) bool {
		return strings.Contains(screen, want)
	})
}

// waitUntil polls the screen until ok holds, failing after 30 s with what.
func (term terminal) waitUntil(what string, ok func(screen string) bool) string {
	term.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		screen := term.screen()
		if ok(screen) {
			return screen
		}
		if time.Now().After(deadline) {
			term.t.Fatalf("never: %s:\n%s", what, screen)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (term terminal) keys(keys ...string) {
	term.tmux(append([]string{"send-keys", "-t", session}, keys...)...)
}

// paste pastes text as a terminal paste (bracketed when the program asks for it).
func (term terminal) paste(text string) {
	term.tmux("set-buffer", text)
	term.tmux("paste-buffer", "-p", "-t", session)
}

// startSandboxWizard runs `ovhfence --sandbox` in an 80×24 tmux session, with
// env (such as "NO_COLOR=1 ") before it, and returns the terminal and the output
// directory; the shell prints EXIT=<code> when it ends.
func startSandboxWizard(t *testing.T, env string) (terminal, string, string) {
	return startSandboxWizardSized(t, env, 80, 24)
}

// startSandboxWizardSized is startSandboxWizard in a width × height terminal,
// with args after --out.
func startSandboxWizardSized(t *testing.T, env string, width, height int, args ...string) (terminal, string, string) {
	needTool(t, "tmux")
	bin := buildBinary(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	term := terminal{t: t, socket: filepath.Join(dir, "tmux.sock")}
	words := append([]string{bin, "--sandbox", "--out", out}, args...)
	for i, w := range words {
		words[i] = render.ShellQuote(w)
	}
	shell := "cd " + dir + " && " + env + strings.Join(words, " ") + "; echo EXIT=$?; sleep 60"
	term.tmux("new-session", "-d", "-s", session, "-x", strconv.Itoa(width), "-y", strconv.Itoa(height), shell)
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", term.socket, "kill-server").Run() })
	return term, bin, out
}

func TestWizardInTmux(t *testing.T) {
	term, bin, out := startSandboxWizard(t, "NO_COLOR=1 ")

	term.waitFor("[1/9] Preflight")
	screen := term.waitFor("  node1,node2,node3")
	if marked := regexp.MustCompile(`(?m)^> `).FindAllString(screen, -1); len(marked) != 1 {
		t.Errorf("%d fields marked '>' without colour, want only the focused one:\n%s", len(marked), screen)
	}
	term.keys("Tab", "Tab", "Tab")
	term.waitFor("> node1,node2,node3")
	term.keys("Tab") // back to the first field
	term.keys("Enter", "Enter", "Enter", "Enter")

	screen = term.waitFor("[2/9] Application keys")
	ak := regexp.MustCompile(`(?m)^Application key\n> (\S+)`).FindStringSubmatch(screen)
	if ak == nil {
		t.Fatalf("no application key on screen:\n%s", screen)
	}
	term.keys("C-u")
	term.paste("  " + ak[1] + "\n")
	term.keys("Enter", "Enter", "Enter") // on through the credentials kind

	term.waitFor("[3/9] Servers")
	term.keys("Enter")
	term.waitFor("Open this URL, log in and accept the discovery key")
	term.waitFor("Sandbox: it will be accepted for you in a moment.")
	screen = term.waitFor("[4/9] Map nodes to servers")
	for _, sn := range sandboxServers {
		if !strings.Contains(screen, sn) {
			t.Errorf("server %s not listed:\n%s", sn, screen)
		}
	}
	term.keys("Enter", "Enter", "Enter")

	term.waitFor("[5/9] Fence mode")
	term.waitFor("(•) poweroff")
	term.keys("Left") // a select: the arrows choose
	term.waitFor("> (•) rescue  ( ) poweroff")
	term.keys("p")
	term.waitFor("> ( ) rescue  (•) poweroff")
	term.keys("Enter")
	term.waitFor("[6/9] Fencing key")
	term.keys("Enter")
	term.waitFor("accept the fencing key")
	// The sandbox's servers have OVH monitoring with interventions: in poweroff
	// mode the wizard offers to turn them off, "set" by default.
	term.waitFor("may send a technician")
	term.waitFor("(•) set")
	term.keys("Enter")
	term.waitFor("[7/9] Live test")
	screen = term.waitFor("Fence one node for real")
	if strings.Count(screen, " ON") != 3 {
		t.Errorf("the status test does not show three servers ON:\n%s", screen)
	}
	// A real fence cycle, confirmed by the server's name, with its progress.
	term.keys("node2", "Enter")
	term.waitFor("This reboots node2 (ns567891.ip-123-22-45.eu). Type ns567891.ip-123-22-45.eu")
	term.keys("ns567891.ip-123-22-45.eu", "Enter")
	term.waitFor("Fencing node2 (ns567891.ip-123-22-45.eu) for real")
	term.waitFor("off next boot set")
	screen = term.waitFor("Fence test: node2 off (verified) in")
	if strings.Contains(screen, "Open this URL") {
		t.Errorf("the fence test shows the fencing key's validation URL:\n%s", screen)
	}
	term.keys("Enter")
	term.waitFor("[8/9] Output")
	term.waitFor("(•) yes  ( ) no")
	term.keys("N") // no is an answer: back to the live test, nothing written
	term.waitFor("( ) yes  (•) no")
	term.keys("Enter")
	term.waitFor("[7/9] Live test")
	if _, err := os.Stat(filepath.Join(out, "sandbox.cluster")); !os.IsNotExist(err) {
		t.Errorf("the cluster file exists after answering no: %v", err)
	}
	term.waitFor("Fence one node for real")
	term.keys("Enter")
	term.waitFor("[8/9] Output")
	term.waitFor("(•) yes  ( ) no")
	term.keys("Enter")
	term.waitFor("[9/9] Summary")
	term.keys("Enter")
	screen = term.waitFor("EXIT=")
	if !strings.Contains(screen, "EXIT=0") {
		t.Fatalf("ovhfence did not exit 0:\n%s", screen)
	}
	scrollback := term.tmux("capture-pane", "-p", "-S", "-200", "-t", session)
	for _, line := range []string{"✓ Preflight: pcs + pve3", "✓ Fencing key validated", "node2 fenced off in", "✓ Wrote 4 files",
		"Next steps on Pacemaker (pcs)", "Next steps on Proxmox VE 3", "ovhfence setup --yes --sandbox --out " + out} {
		if !strings.Contains(scrollback, line) {
			t.Errorf("the scrollback lacks %q:\n%s", line, scrollback)
		}
	}

	cluster := filepath.Join(out, "sandbox.cluster")
	for kind, name := range map[string]string{"pcs": "fence-sandbox-pcs.sh", "clusterconf": "cluster.conf.new"} {
		want, err := exec.Command(bin, "render", kind, "--cluster", cluster, "--out", "-").Output()
		if err != nil {
			t.Fatalf("ovhfence render %s: %v", kind, err)
		}
		got, err := os.ReadFile(filepath.Join(out, name))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s differs from 'ovhfence render %s' (%v)", name, kind, err)
		}
	}
}

func TestCtrlCWritesNothing(t *testing.T) {
	term, _, out := startSandboxWizard(t, "")

	toAppKeys(term, sandboxNodes)
	term.keys("C-c")
	screen := term.waitFor("EXIT=")
	if !strings.Contains(screen, "EXIT=130") || !strings.Contains(screen, "nothing was written") {
		t.Errorf("Ctrl+C:\n%s", screen)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("%s exists after Ctrl+C: %v", out, err)
	}
}
