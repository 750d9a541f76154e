package tui

import (
	"context"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/wizard"
)

func newTestModel(runner wizard.Runner) *Model {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	m := NewModel(context.Background(), wizard.New(wizard.Answers{}), runner, r)
	m.now = func() time.Time { return testNow }
	return m
}

// testNow is the test models' clock, still unless a test moves it.
var testNow = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

// drain runs cmd and every command it leads to, feeding their messages to m,
// as the Bubble Tea loop would. Spinner ticks are dropped: they never end.
func drain(m *Model, cmd tea.Cmd) { drainPrinting(m, cmd) }

// drainPrinting is drain, returning the text printed above the program (tea.Println).
func drainPrinting(m *Model, cmd tea.Cmd) []string {
	var prints []string
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case spinner.TickMsg, tea.QuitMsg:
		default:
			if cmds, ok := commandList(msg); ok { // tea.Sequence's unexported message
				queue = append(queue, cmds...)
				continue
			}
			if strings.Contains(fmt.Sprintf("%T", msg), "printLine") {
				prints = append(prints, ansi.Strip(reflect.ValueOf(msg).Field(0).String())) // as the terminal shows it
				continue
			}
			_, next := m.Update(msg)
			queue = append(queue, next)
		}
	}
	return prints
}

func commandList(msg tea.Msg) ([]tea.Cmd, bool) {
	v := reflect.ValueOf(msg)
	if v.Kind() != reflect.Slice || v.Type().Elem() != reflect.TypeOf(tea.Cmd(nil)) {
		return nil, false
	}
	cmds := make([]tea.Cmd, v.Len())
	for i := range cmds {
		cmds[i] = v.Index(i).Interface().(tea.Cmd)
	}
	return cmds, true
}

func press(m *Model, keys ...tea.KeyType) {
	for _, k := range keys {
		_, cmd := m.Update(tea.KeyMsg{Type: k})
		drain(m, cmd)
	}
}

func typeText(m *Model, text string) {
	_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(text)})
	drain(m, cmd)
}

func paste(m *Model, text string) {
	_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(text), Paste: true})
	drain(m, cmd)
}

// enterUntil presses Enter until the wizard reaches step, failing after limit presses.
func enterUntil(t *testing.T, m *Model, step wizard.Step) {
	t.Helper()
	for i := 0; m.state.Step != step; i++ {
		if i > 10 {
			t.Fatalf("stuck at %v: %q %q waiting %q\n%s", m.state.Step, m.state.Problem, m.fieldErr, m.state.Waiting, m.View())
		}
		press(m, tea.KeyEnter)
	}
}

// enterPastAppKeys takes the defaults to step 2, types the application key
// AK1 and secret AS1, and presses Enter until the wizard reaches step.
func enterPastAppKeys(t *testing.T, m *Model, step wizard.Step) {
	t.Helper()
	enterUntil(t, m, wizard.StepAppKeys)
	typeText(m, "AK1")
	press(m, tea.KeyEnter)
	typeText(m, "AS1")
	enterUntil(t, m, step)
}

func TestGoldenViewsOfEveryStep(t *testing.T) {
	m := newTestModel(&fakeRunner{})
	drain(m, m.Init())
	views := map[wizard.Step]string{}
	for step := wizard.StepPreflight; step < wizard.StepDone; step++ {
		enterUntil(t, m, step)
		views[step] = m.View()
		if step == wizard.StepAppKeys {
			paste(m, "  AK1234abcd\n")
			press(m, tea.KeyEnter)
			paste(m, strings.Repeat("S", 64))
		}
	}

	for step := wizard.StepPreflight; step < wizard.StepDone; step++ {
		view, ok := views[step]
		if !ok {
			t.Errorf("no view of %v", step)
			continue
		}
		name := fmt.Sprintf("step%d-%s", int(step)+1, strings.ReplaceAll(strings.ToLower(step.String()), " ", "-"))
		checkFits(t, name, view, 80, 24)
		checkGolden(t, name, view)
		if strings.Contains(view, strings.Repeat("S", 8)) {
			t.Errorf("%s shows the application secret", name)
		}
	}
	if m.state.Answers.AppKey != "AK1234abcd" || len(m.state.Answers.AppSecret) != 64 {
		t.Errorf("pasted keys: %q, %d characters of secret", m.state.Answers.AppKey, len(m.state.Answers.AppSecret))
	}
}

// blockingRunner leaves every effect unanswered, so busy views can be seen.
type blockingRunner struct{}

func (blockingRunner) Run(ctx context.Context, _ wizard.Work, _ func(wizard.Result)) wizard.Result {
	<-ctx.Done()
	return wizard.KeyValidated{Err: ctx.Err()}
}

func TestGoldenWaitingForValidation(t *testing.T) {
	m := newTestModel(&fakeRunner{})
	drain(m, m.Init())
	m.state.Facts.Preflight.Sandbox = true
	enterPastAppKeys(t, m, wizard.StepServers)

	m.runner = blockingRunner{}
	m.Update(tea.KeyMsg{Type: tea.KeyEnter}) // request the discovery key; its command is not run
	m.Update(effectDone{wizard.Reply{Seq: m.state.Seq, Result: wizard.KeyRequested{Request: ovhapi.ConsumerKeyRequest{
		ConsumerKey: "ck", ValidationURL: "https://eu.api.ovh.com/auth/?credentialToken=abc"}}}})
	view := m.View()
	checkFits(t, "waiting", view, 80, 24)
	checkGolden(t, "step3-servers-waiting-for-validation", view)

	m.Update(tea.KeyMsg{Type: tea.KeyEsc})
	if m.state.Busy() || m.state.Step != wizard.StepServers || !strings.Contains(m.View(), "Cancelled.") {
		t.Errorf("Esc while waiting: busy %v step %v", m.state.Busy(), m.state.Step)
	}
}

func TestEscGoesBackAndCtrlCQuits(t *testing.T) {
	m := newTestModel(&fakeRunner{})
	drain(m, m.Init())
	enterUntil(t, m, wizard.StepAppKeys)
	press(m, tea.KeyEsc)
	if m.state.Step != wizard.StepPreflight {
		t.Fatalf("Esc went to %v", m.state.Step)
	}
	_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyCtrlC})
	if _, ok := cmd().(tea.QuitMsg); !ok || !m.Interrupted() {
		t.Errorf("Ctrl+C did not quit")
	}
}

func TestFieldValidationBlocksEnter(t *testing.T) {
	m := newTestModel(&fakeRunner{})
	drain(m, m.Init())
	press(m, tea.KeyTab, tea.KeyTab, tea.KeyCtrlU) // clear the proposed cluster name
	typeText(m, "my cluster")
	press(m, tea.KeyEnter)
	if m.state.Step != wizard.StepPreflight || !strings.Contains(m.View(), `cluster name "my cluster"`) {
		t.Errorf("an invalid cluster name was accepted: step %v\n%s", m.state.Step, m.View())
	}
	typeText(m, "x") // typing clears the error
	if strings.Contains(m.View(), "cluster name \"") {
		t.Error("the error stayed after typing")
	}
}

func TestResizeAndZeroSize(t *testing.T) {
	m := newTestModel(&fakeRunner{})
	drain(m, m.Init())
	enterUntil(t, m, wizard.StepAppKeys)
	m.Update(tea.WindowSizeMsg{Width: 0, Height: 0})
	checkFits(t, "0x0 keeps 80x24", m.View(), 80, 24)
	m.Update(tea.WindowSizeMsg{Width: 60, Height: 15})
	checkFits(t, "60x15", m.View(), 60, 15)
}

// TestFocusIsVisibleWithoutColour: the Ascii view (what a serial console or
// capture-pane -p shows) marks the focused field, and only that one, with ">".
func TestFocusIsVisibleWithoutColour(t *testing.T) {
	m := newTestModel(&fakeRunner{})
	drain(m, m.Init())
	for _, tt := range []struct {
		key   tea.KeyType
		value string
	}{{tea.KeyTab, "ovh-eu"}, {tea.KeyTab, "demo"}, {tea.KeyShiftTab, "ovh-eu"}, {tea.KeyUp, "›[1] pcs"}} {
		press(m, tt.key)
		var marked []string
		for _, l := range strings.Split(m.View(), "\n") {
			if strings.HasPrefix(l, "> ") {
				marked = append(marked, strings.TrimSpace(l[2:]))
			}
		}
		if len(marked) != 1 || !strings.Contains(marked[0], tt.value) {
			t.Errorf("after %v the fields marked '>' are %q, want only %q", tt.key, marked, tt.value)
		}
	}
}

// TestSummaryStaysInTheScrollback: the summary is printed above the program
// when the step is reached, whole at any width, and stays after Done.
func TestSummaryStaysInTheScrollback(t *testing.T) {
	m := newTestModel(&fakeRunner{})
	m.width = 60
	drain(m, m.Init())
	enterPastAppKeys(t, m, wizard.StepOutput)
	_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	out := strings.Join(drainPrinting(m, cmd), "\n")
	if m.state.Step != wizard.StepSummary {
		t.Fatalf("step %v after writing", m.state.Step)
	}
	if !strings.Contains(out, "Done (log saved to /tmp/out/ovhfence-setup.log)") {
		t.Errorf("the scrollback lacks the log line:\n%s", out)
	}
	for _, want := range append([]string{"Next steps on Pacemaker (pcs):", "1. Run it once on one node:   sh /tmp/out/fence-demo-pcs.sh"}, commandLine(m.state)...) {
		if !regexp.MustCompile(`(?m)^ *` + regexp.QuoteMeta(want) + `$`).MatchString(out) {
			t.Errorf("the scrollback lacks the whole line %q:\n%s", want, out)
		}
	}
	_, cmd = m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	if again := strings.Join(drainPrinting(m, cmd), "\n"); strings.Contains(again, "Next steps") || m.View() != "" {
		t.Errorf("after Done: printed %q again, view %q", again, m.View())
	}
}

// TestValidationURLIsPrintedWhole: the URL goes above the program once, in
// one piece; the view only points at it.
func TestValidationURLIsPrintedWhole(t *testing.T) {
	m := newTestModel(&fakeRunner{})
	m.width = 60
	url := "https://eu.api.ovh.com/auth/?credentialToken=" + strings.Repeat("0123456789abcdef", 4)
	m.state.Waiting = "Waiting for you to validate the discovery key…"
	m.state.Facts.Key = wizard.KeyRequest{Purpose: wizard.PurposeDiscovery, ConsumerKey: "ck", ValidationURL: url}
	prints := m.printWhole(wizard.State{}, m.state)
	if len(prints) != 1 || m.printWhole(wizard.State{}, m.state) != nil {
		t.Fatalf("printed %d times, then again", len(prints))
	}
	if text := fmt.Sprintf("%+v", prints[0]()); !strings.Contains(text, "\n"+url) {
		t.Errorf("the printed text lacks the whole URL %s: %s", url, text)
	}
	if view := m.View(); strings.Contains(view, "credentialToken") || !strings.Contains(view, urlPrintedAbove) {
		t.Errorf("the view shows a piece of the URL:\n%s", view)
	}
}

// A printed line the terminal soft-wraps gets its own erase, so its last row
// never keeps what the screen showed there before (garbage seen after a URL at
// 80 columns); a line ending at the edge gets none (it would erase its last cell).
func TestPrintAboveErasesTheWrappedTail(t *testing.T) {
	m := newTestModel(&fakeRunner{})
	m.width = 10
	for _, tt := range []struct {
		line  string
		erase bool
	}{{"short", false}, {"exactly10!", false}, {"twenty-characters-!!", false}, {"a line of 13.", true}} {
		msg := m.printAbove(tt.line)()
		got := reflect.ValueOf(msg).Field(0).String()
		if strings.HasSuffix(got, ansi.EraseLineRight) != tt.erase || ansi.Strip(got) != tt.line {
			t.Errorf("printAbove(%q) prints %q; want the line whole, erase %v", tt.line, got, tt.erase)
		}
	}
}
