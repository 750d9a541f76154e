package tui

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/wizard"
)

// limitedRunner is blockingRunner with the bounds a real runner tells.
type limitedRunner struct{ blockingRunner }

func (limitedRunner) WaitLimit(w wizard.Work) time.Duration {
	if _, ok := w.(wizard.EffectWaitKey); ok {
		return 15 * time.Minute
	}
	return 0
}

// waitingForKey is the model at step 3, waiting for the discovery key's validation.
func waitingForKey(t *testing.T, width, height int) *Model {
	t.Helper()
	m := newTestModel(&fakeRunner{})
	drain(m, m.Init())
	enterPastAppKeys(t, m, wizard.StepServers)
	m.runner = limitedRunner{}
	m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	m.Update(effectDone{wizard.Reply{Seq: m.state.Seq, Result: wizard.KeyRequested{Request: ovhapi.ConsumerKeyRequest{
		ConsumerKey: "ck", ValidationURL: "https://eu.api.ovh.com/auth/?credentialToken=abc"}}}})
	m.Update(tea.WindowSizeMsg{Width: width, Height: height})
	return m
}

// A wait shows the time spent and the runner's bound, moving with the clock.
func TestWaitShowsElapsedAndLimit(t *testing.T) {
	m := waitingForKey(t, 80, 24)
	if view := m.View(); !strings.Contains(view, "validate the discovery key… · 0:00 of at most 15:00") {
		t.Errorf("no elapsed time and bound:\n%s", view)
	}
	m.now = func() time.Time { return testNow.Add(102 * time.Second) }
	if view := m.View(); !strings.Contains(view, "· 1:42 of at most 15:00") {
		t.Errorf("the elapsed time did not move:\n%s", view)
	}
	for _, size := range [][2]int{{80, 24}, {60, 20}} {
		m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		view := m.View()
		name := "step3-waiting-1m42-" + map[int]string{80: "80x24", 60: "60x20"}[size[0]]
		checkFits(t, name, view, size[0], size[1])
		checkGolden(t, name, view)
	}
}

// A key that does nothing while waiting says so, until the wait ends.
func TestRefusedKeySaysSo(t *testing.T) {
	m := waitingForKey(t, 80, 24)
	for _, k := range []tea.KeyMsg{{Type: tea.KeyEnter}, runes("x"), {Type: tea.KeyTab}} {
		m.Update(k)
		if want := `"` + strings.Trim(k.String(), " ") + `" does nothing while this runs: esc cancels`; !strings.Contains(m.View(), want) {
			t.Errorf("after %v the view lacks %q:\n%s", k, want, m.View())
		}
	}
	m.Update(effectDone{wizard.Reply{Seq: m.state.Seq, Result: wizard.KeyValidated{Err: context.Canceled}}})
	if m.state.Busy() || strings.Contains(m.View(), "does nothing") {
		t.Errorf("the refusal outlived the wait:\n%s", m.View())
	}
}

// The fence test's last progress line moves with the clock: OVH leaves its
// task "doing" for minutes, and "(4s)" must not stand still meanwhile.
func TestFenceProgressMoves(t *testing.T) {
	m := newTestModel(&fakeRunner{})
	m.state.Step = wizard.StepLiveTest
	m.state.Seq, m.state.Waiting, m.state.Facts.FenceTesting = 5, "Fencing node2 for real…", true
	line := "off hard reboot, OVH task 7 doing (4.1s)"
	m.Update(effectProgress{wizard.Reply{Seq: 5, Result: wizard.FenceProgress{Line: "off next boot set (0.3s)"}}})
	m.Update(effectProgress{wizard.Reply{Seq: 5, Result: wizard.FenceProgress{Line: line}}})
	for _, tt := range []struct {
		after time.Duration
		want  string
	}{{0, "doing (4s)"}, {8 * time.Second, "doing (12s)"}, {70 * time.Second, "doing (1m14s)"}} {
		m.now = func() time.Time { return testNow.Add(tt.after) }
		view := m.View()
		if !strings.Contains(view, "  off next boot set (0.3s)\n") || !strings.Contains(view, tt.want) {
			t.Errorf("after %s: want %q and the earlier line as it was:\n%s", tt.after, tt.want, view)
		}
	}
}

// The full-screen wizard never shows the line prompts' "<" hint: Esc is its key.
func TestNoPlainHintsInTheTUI(t *testing.T) {
	m := newTestModel(&fakeRunner{})
	drain(m, m.Init())
	enterUntil(t, m, wizard.StepAppKeys)
	press(m, tea.KeyCtrlU, tea.KeyEnter)
	view := m.View()
	if !strings.Contains(view, "! an answer is needed") || strings.Contains(view, "<") || !strings.Contains(view, "esc back") {
		t.Errorf("an empty field:\n%s", view)
	}
	var out strings.Builder
	p := NewLinePrompter(context.Background(), strings.NewReader("\nAK1\n"), &out)
	if _, err := p.Ask(Question{Label: "Application key"}); err != nil || !strings.Contains(out.String(), "an answer is needed (type < to go back)") {
		t.Errorf("the line prompt lost its hint: %v\n%s", err, out.String())
	}
}

// With NO_COLOR the views carry no colour, but the text cursor keeps its
// reverse video (no colour either): without it the cursor would not show.
func TestNoColourKeepsTheCursor(t *testing.T) {
	for _, env := range []map[string]string{{"NO_COLOR": "1"}, {"NO_COLOR": "1", "TERM": "xterm-mono"}} {
		var out bytes.Buffer
		m := newTerminalModel(context.Background(), wizard.New(wizard.Answers{}), &fakeRunner{}, &out,
			func(k string) string { return env[k] })
		drain(m, m.Init())
		enterUntil(t, m, wizard.StepAppKeys)
		view := m.View()
		focused := regexp.MustCompile(`(?m)^> .*$`).FindString(view)
		if !strings.Contains(focused, "\x1b[7m") {
			t.Errorf("%v: the focused field shows no cursor: %q", env, focused)
		}
		if colour := regexp.MustCompile(`\x1b\[[0-9;]*(3[0-9]|9[0-7]|4[0-9])m`).FindString(view); colour != "" {
			t.Errorf("%v: the view has colour %q", env, colour)
		}
	}
}
