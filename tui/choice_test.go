package tui

import (
	"context"
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/ovhfence/ovhfence/cluster"
	"github.com/ovhfence/ovhfence/wizard"
)

func runes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

// The choice widgets as a state machine: from a default, keys in, the answer out.
func TestChoiceKeys(t *testing.T) {
	targets := []string{"pve3", "pcs", "crm"}
	modes := []string{"rescue", "poweroff"}
	yesNo := []string{answerYes, answerNo}
	left, right, space := tea.KeyMsg{Type: tea.KeyLeft}, tea.KeyMsg{Type: tea.KeyRight}, tea.KeyMsg{Type: tea.KeySpace}
	home, end := tea.KeyMsg{Type: tea.KeyHome}, tea.KeyMsg{Type: tea.KeyEnd}
	for _, tt := range []struct {
		name    string
		kind    widget
		options []string
		start   string
		keys    []tea.KeyMsg
		want    string
	}{
		{"confirm keeps its default", widgetConfirm, yesNo, "yes", nil, "yes"},
		{"confirm n", widgetConfirm, yesNo, "yes", []tea.KeyMsg{runes("n")}, "no"},
		{"confirm N then O", widgetConfirm, yesNo, "yes", []tea.KeyMsg{runes("N"), runes("O")}, "no"},
		{"confirm pasted NO", widgetConfirm, yesNo, "yes", []tea.KeyMsg{runes("NO")}, "no"},
		{"confirm Y after n", widgetConfirm, yesNo, "yes", []tea.KeyMsg{runes("n"), runes("Y")}, "yes"},
		{"confirm typed yes", widgetConfirm, yesNo, "no", []tea.KeyMsg{runes("y"), runes("e"), runes("s")}, "yes"},
		{"confirm arrows", widgetConfirm, yesNo, "yes", []tea.KeyMsg{right}, "no"},
		{"confirm arrows stop at the edge", widgetConfirm, yesNo, "yes", []tea.KeyMsg{right, right, left}, "yes"},
		{"select from its default", widgetSelect, modes, "poweroff", []tea.KeyMsg{left}, "rescue"},
		{"select without a default starts at the first", widgetSelect, modes, "", nil, "rescue"},
		{"select by letter", widgetSelect, modes, "rescue", []tea.KeyMsg{runes("p")}, "poweroff"},
		{"select ignores End and Home (they scroll)", widgetSelect, modes, "rescue", []tea.KeyMsg{end, home, end}, "rescue"},
		{"multi keeps the default's order", widgetMultiSelect, targets, "pcs,pve3", nil, "pcs,pve3"},
		{"multi unpicks under the cursor", widgetMultiSelect, targets, "pcs,pve3", []tea.KeyMsg{space}, "pve3"},
		{"multi picks in order", widgetMultiSelect, targets, "", []tea.KeyMsg{right, right, space, left, left, space}, "crm,pve3"},
		{"multi letter moves, space picks", widgetMultiSelect, targets, "pve3", []tea.KeyMsg{runes("c"), runes(" ")}, "pve3,crm"},
		{"multi default in any case", widgetMultiSelect, targets, "PCS", nil, "pcs"},
		{"multi empty", widgetMultiSelect, targets, "pcs", []tea.KeyMsg{space}, ""},
	} {
		c := newChoice(tt.kind, tt.options, tt.start)
		for _, k := range tt.keys {
			c.key(k)
		}
		if got := c.value(); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// Keys a choice does not take are left to the form (Enter, Tab, Esc) or ignored.
func TestChoiceIgnoresOtherKeys(t *testing.T) {
	c := newChoice(widgetConfirm, []string{answerYes, answerNo}, answerYes)
	for _, k := range []tea.KeyMsg{{Type: tea.KeyEnter}, {Type: tea.KeyTab}, {Type: tea.KeyEsc}, {Type: tea.KeyEnd}, runes("x")} {
		if c.key(k) || c.value() != answerYes {
			t.Errorf("%v was taken: %q", k, c.value())
		}
	}
}

// At step 8, no is an answer: it goes back to the live test and writes nothing,
// in the full-screen wizard and at a line prompt alike.
func TestWriteConfirmationNoGoesBack(t *testing.T) {
	runner := &fakeRunner{}
	m := newTestModel(runner)
	drain(m, m.Init())
	enterPastAppKeys(t, m, wizard.StepOutput)
	typeText(m, "n")
	if !strings.Contains(m.View(), "(•) no") {
		t.Fatalf("n did not choose no:\n%s", m.View())
	}
	press(m, tea.KeyEnter)
	if m.state.Step != wizard.StepLiveTest || runner.count(wizard.EffectWrite{}) != 0 || m.state.Problem != "" {
		t.Errorf("no: step %v, %d writes, problem %q", m.state.Step, runner.count(wizard.EffectWrite{}), m.state.Problem)
	}

	for _, typed := range []string{"No", "n", "NO"} {
		s := wizard.State{Step: wizard.StepOutput}
		p := NewLinePrompter(context.Background(), strings.NewReader(typed+"\n"), &strings.Builder{})
		if ev, err := ask(s, p, &strings.Builder{}); err != nil || ev != (wizard.Back{}) {
			t.Errorf("line prompt %q: %#v, %v; want Back", typed, ev, err)
		}
	}
	for _, typed := range []string{"Yes", "y", "YES", ""} {
		s := wizard.State{Step: wizard.StepOutput}
		p := NewLinePrompter(context.Background(), strings.NewReader(typed+"\n"), &strings.Builder{})
		if ev, err := ask(s, p, &strings.Builder{}); err != nil || ev != (wizard.SubmitOutput{}) {
			t.Errorf("line prompt %q: %#v, %v; want SubmitOutput", typed, ev, err)
		}
	}
	var out strings.Builder
	p := NewLinePrompter(context.Background(), strings.NewReader("maybe\nno\n"), &out)
	if ev, _ := ask(wizard.State{Step: wizard.StepOutput}, p, &out); ev != (wizard.Back{}) || !strings.Contains(out.String(), `"maybe": answer yes or no`) {
		t.Errorf("maybe then no: %#v\n%s", ev, out.String())
	}
}

// The TUI asks fixed choices with widgets: the fence mode is chosen with
// arrows, and the targets are picked, in order, with space.
func TestChoicesInTheWizard(t *testing.T) {
	m := newTestModel(&fakeRunner{})
	drain(m, m.Init())
	press(m, tea.KeyLeft, tea.KeySpace) // pick pve3 after the detected pcs
	enterUntil(t, m, wizard.StepAppKeys)
	if got := m.state.Answers.Targets; !slices.Equal(got, []cluster.Target{cluster.TargetPcs, cluster.TargetPVE3}) {
		t.Errorf("targets %v, want pcs,pve3 (in the order picked)", got)
	}
	typeText(m, "AK1")
	press(m, tea.KeyEnter)
	typeText(m, "AS1")
	enterUntil(t, m, wizard.StepMode)
	press(m, tea.KeyLeft, tea.KeyEnter)
	if m.state.Answers.Mode != "rescue" {
		t.Errorf("mode %q after ← Enter, want rescue", m.state.Answers.Mode)
	}
}

// Unpicking every target is refused at the field, with the key that picks.
func TestMultiSelectNeedsOne(t *testing.T) {
	m := newTestModel(&fakeRunner{})
	drain(m, m.Init())
	press(m, tea.KeySpace, tea.KeyEnter)
	if m.focus != 0 || !strings.Contains(m.View(), "pick at least one: space picks") {
		t.Errorf("an empty target list moved on:\n%s", m.View())
	}
}

// Golden views of the three choice widgets at 60×20: the targets'
// multi-select, the fence mode's select and step 8's confirmation.
func TestGoldenChoicesAt60x20(t *testing.T) {
	m := newTestModel(&fakeRunner{})
	m.Update(tea.WindowSizeMsg{Width: 60, Height: 20})
	drain(m, m.Init())
	views := map[string]string{"step1-targets-60x20": m.View()}
	enterPastAppKeys(t, m, wizard.StepMode)
	views["step5-mode-60x20"] = m.View()
	enterUntil(t, m, wizard.StepOutput)
	typeText(m, "n")
	views["step8-confirm-no-60x20"] = m.View()
	for name, view := range views {
		checkFits(t, name, view, 60, 20)
		checkGolden(t, name, view)
	}
}
