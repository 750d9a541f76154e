package tui

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/ovhfence/ovhfence/wizard"
)

// unmatchedRunner is fakeRunner with servers whose names and reverses match no node.
type unmatchedRunner struct{ fakeRunner }

func (u *unmatchedRunner) Run(ctx context.Context, work wizard.Work, progress func(wizard.Result)) wizard.Result {
	if _, ok := work.(wizard.EffectDiscoverServers); ok {
		return wizard.ServersFound{Servers: []wizard.ServerInfo{
			{Name: sn1, Reverse: sn1, Datacenter: "gra1", State: "ok"},
			{Name: sn2, Reverse: sn2, Datacenter: "rbx8", State: "ok"},
			{Name: sn3, Reverse: sn3, Datacenter: "sbg3", State: "ok"},
		}}
	}
	return u.fakeRunner.Run(ctx, work, progress)
}

// TestMapStepOffersNoGuess: with nothing to match the nodes on, the map step
// shows no server in the fields, says why, and Enter accepts nothing until the
// person types each server.
func TestMapStepOffersNoGuess(t *testing.T) {
	m := newTestModel(&unmatchedRunner{})
	drain(m, m.Init())
	enterUntil(t, m, wizard.StepAppKeys)
	paste(m, "AK1234abcd")
	press(m, tea.KeyEnter)
	paste(m, strings.Repeat("S", 64))
	enterUntil(t, m, wizard.StepMap)
	view := m.View()
	checkFits(t, "step4-map-unmatched", view, 80, 24)
	checkGolden(t, "step4-map-unmatched", view)
	if strings.Contains(view, "> "+sn1) || !strings.Contains(view, "no match by name, reverse DNS or address: type it") {
		t.Errorf("the map step offers a guess:\n%s", view)
	}
	press(m, tea.KeyEnter)
	if m.state.Step != wizard.StepMap || m.fieldErr == "" {
		t.Fatalf("an empty map was accepted: step %v", m.state.Step)
	}
	for _, sn := range []string{sn3, sn1, sn2} {
		typeText(m, sn)
		press(m, tea.KeyEnter)
	}
	enterUntil(t, m, wizard.StepMode)
	if got := m.state.Answers.Mapping; got["node1"] != sn3 || got["node2"] != sn1 || got["node3"] != sn2 {
		t.Errorf("mapping %v, want the servers typed", got)
	}
}
