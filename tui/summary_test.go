package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/ovhfence/ovhfence/wizard"
)

// TestSummaryHasNoWayBack: once the files are written, Esc does not reopen
// step 8, whose preview (a diff against the files as they were, a
// confirmation to write them) no longer says what is on disk; the help line
// offers no way back.
func TestSummaryHasNoWayBack(t *testing.T) {
	m := atOutput(t)
	_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	drainPrinting(m, cmd)
	if m.state.Step != wizard.StepSummary {
		t.Fatalf("step %v after writing", m.state.Step)
	}
	if view := m.View(); strings.Contains(view, "esc back") {
		t.Errorf("the summary offers esc back:\n%s", view)
	}
	press(m, tea.KeyEsc)
	if m.state.Step != wizard.StepSummary {
		t.Errorf("esc at the summary went to %v", m.state.Step)
	}
}

// atOutput is a fake run's model at step 8, every default taken.
func atOutput(t *testing.T) *Model {
	t.Helper()
	m := newTestModel(&fakeRunner{})
	drain(m, m.Init())
	enterPastAppKeys(t, m, wizard.StepOutput)
	return m
}
