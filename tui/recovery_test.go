package tui

import (
	"errors"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/ovhfence/ovhfence/wizard"
)

// TestRecoveryCommandIsPrintedWhole: a fence test that ends with its node
// maybe down prints the recovery command above the program, in one piece.
func TestRecoveryCommandIsPrintedWhole(t *testing.T) {
	m := newTestModel(&fakeRunner{})
	m.width = 60
	m.state.Step = wizard.StepLiveTest
	m.state.Answers.FenceTest = "node2"
	m.state.Answers.Mapping = map[string]string{"node2": sn2}
	m.state.Facts.FenceTesting = true
	m.state.Seq, m.state.Waiting = 5, "Fencing node2…"
	recovery := "/usr/bin/ovhfence agent --action on --plug " + sn2 + " --ovh-config /etc/ovh.conf.pending --fence-mode poweroff --disk-boot-id 1"
	m.apply(wizard.Reply{Seq: 5, Result: wizard.FenceStarted{Pending: "/etc/ovh.conf.pending", Recovery: recovery}})
	prints := drainPrinting(m, m.apply(wizard.Reply{Seq: 5, Result: wizard.FenceCycled{Err: errors.New("off: task ovhError")}}))
	if !strings.Contains(strings.Join(prints, "\n"), "\n"+recovery) {
		t.Errorf("the recovery command is not printed whole:\n%q", prints)
	}
}

// TestLocalNodeAsksItsNameAgain: the TUI asks for the local node's name a
// second time, and only for it.
func TestLocalNodeAsksItsNameAgain(t *testing.T) {
	m := newTestModel(&fakeRunner{})
	drain(m, m.Init())
	m.state.Facts.Preflight.Hostname = "node2.example.net"
	enterPastAppKeys(t, m, wizard.StepLiveTest)
	typeText(m, "node2")
	press(m, tea.KeyEnter)
	typeText(m, sn2)
	if !strings.Contains(m.View(), "node2 is the machine this wizard runs on") {
		t.Fatalf("no second confirmation for the local node:\n%s", m.View())
	}
	press(m, tea.KeyEnter)
	if m.state.Busy() {
		t.Fatal("the local node was fenced before its name was typed again")
	}
	typeText(m, "node2")
	_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	if !m.state.Facts.FenceTesting {
		t.Errorf("typed twice, the local node was not fenced: %q %q", m.state.Problem, m.fieldErr)
	}
	drain(m, cmd)
}
