package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/ovhfence/ovhfence/keys"
	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/wizard"
)

// keyCheckRunner is fakeRunner with the fencing key audited as keys does it,
// for a key holding the fencing rules of the cluster plus extra.
type keyCheckRunner struct {
	fakeRunner
	extra []ovhapi.Rule
}

func (r *keyCheckRunner) Run(ctx context.Context, work wizard.Work, progress func(wizard.Result)) wizard.Result {
	if w, ok := work.(wizard.EffectCheckKey); ok {
		rules := append(keys.FencingRules(w.Servers), r.extra...)
		report := keys.Audit(ovhapi.Credential{Status: ovhapi.CredentialValidated, Rules: rules}, w.Servers)
		return wizard.KeyChecked{Problems: report.Problems()}
	}
	return r.fakeRunner.Run(ctx, work, progress)
}

// A key with one more server's rules is one problem, said once, with a
// correct plural, and the step fits 80×24 (it was 17 near-identical lines).
func TestKeyProblemsGrouped(t *testing.T) {
	for _, tt := range []struct {
		extra []ovhapi.Rule
		want  string
	}{
		{ovhapi.FencingRules("ns9.example"), "(1 problem):\n- 5 rules are broader than fencing needs (ns9.example is not one"},
		{[]ovhapi.Rule{{Method: "GET", Path: "/me"}}, "(1 problem):\n- rule GET /me is broader than fencing needs"},
	} {
		m := newTestModel(&keyCheckRunner{extra: tt.extra})
		drain(m, m.Init())
		enterPastAppKeys(t, m, wizard.StepFencingKey)
		press(m, tea.KeyEnter)
		if !strings.Contains(m.state.Problem, tt.want) || strings.Count(m.state.Problem, "\n- ") != 1 {
			t.Errorf("the key's problems:\n%s\nwant %q", m.state.Problem, tt.want)
		}
		view := m.View()
		checkFits(t, "fencing key with a problem", view, 80, 24)
		if strings.Count(view, "request a new key") != 1 {
			t.Errorf("the remedy is not said once:\n%s", view)
		}
	}
}

// failOnceRunner is fakeRunner whose first answer to one kind of work is fail
// (failingRunner of lines_test.go fails every time): a retry then succeeds.
type failOnceRunner struct {
	fakeRunner
	kind   wizard.Work
	fail   wizard.Result
	failed bool
}

func (r *failOnceRunner) Run(ctx context.Context, work wizard.Work, progress func(wizard.Result)) wizard.Result {
	if !r.failed && fmt.Sprintf("%T", work) == fmt.Sprintf("%T", r.kind) {
		r.failed = true
		return r.fail
	}
	return r.fakeRunner.Run(ctx, work, progress)
}

// After a boot catalogue read error, step 5 shows the error and offers to
// read again, not an empty fence-mode field; yes reads again.
func TestCatalogueErrorOffersRetry(t *testing.T) {
	readErr := &ovhapi.Error{Kind: ovhapi.KindServer, Status: 503, Method: "GET", Path: "/dedicated/server/" + sn1 + "/boot"}
	runner := &failOnceRunner{kind: wizard.EffectDiscoverBoots{}, fail: wizard.BootsFound{Err: readErr}}
	m := newTestModel(runner)
	drain(m, m.Init())
	enterPastAppKeys(t, m, wizard.StepMode)
	for _, size := range [][2]int{{80, 24}, {60, 20}} {
		m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		view := m.View()
		name := fmt.Sprintf("step5-catalogue-error-%dx%d", size[0], size[1])
		checkFits(t, name, view, size[0], size[1])
		checkGolden(t, name, view)
		if !strings.Contains(view, "Reading the boot catalogues failed") || !strings.Contains(view, "> (•) yes  ( ) no") ||
			strings.Contains(view, "answer is needed") || strings.Contains(view, "rescue") {
			t.Errorf("%s:\n%s", name, view)
		}
	}
	press(m, tea.KeyEnter)
	if m.state.Facts.Boots == nil || runner.count(wizard.EffectDiscoverBoots{}) != 1 || !strings.Contains(m.View(), "(•) poweroff") {
		t.Errorf("yes did not read again:\n%s", m.View())
	}

	s := wizard.State{Step: wizard.StepMode, Problem: "Reading the boot catalogues failed"}
	var out strings.Builder
	p := NewLinePrompter(context.Background(), strings.NewReader("\n"), &out)
	if ev, err := ask(s, p, &out); err != nil || ev != (wizard.SubmitMode{}) || !strings.Contains(out.String(), "Read the boot catalogues again?") {
		t.Errorf("line prompt: %#v %v\n%s", ev, err, out.String())
	}
}

// A secret that does not match its key (OVH refuses the signature) opens the
// form on the secret, emptied for a new paste; an unknown key on the key.
func TestWrongSecretFocusesTheSecret(t *testing.T) {
	for _, tt := range []struct {
		err   error
		focus int
	}{
		{fmt.Errorf("the application secret does not match the key (%w)",
			&ovhapi.Error{Kind: ovhapi.KindBadRequest, Status: 400, Message: "Invalid signature"}), 1},
		{errors.New("OVH does not know this application key: copy it again from the page that created it"), 0},
	} {
		m := newTestModel(&failOnceRunner{kind: wizard.EffectProveAppKey{}, fail: wizard.AppKeyProven{Err: tt.err}})
		drain(m, m.Init())
		enterUntil(t, m, wizard.StepAppKeys)
		typeText(m, "AK1")
		press(m, tea.KeyEnter)
		typeText(m, "AS1")
		press(m, tea.KeyEnter)
		press(m, tea.KeyEnter) // the credentials kind's default
		if m.state.Step != wizard.StepAppKeys || m.focus != tt.focus {
			t.Errorf("%v: step %v, field %d focused, want %d", tt.err, m.state.Step, m.focus, tt.focus)
		}
		if got := m.answers(); got[0] != "AK1" || (tt.focus == 1) != (got[1] == "") {
			t.Errorf("%v: fields %q", tt.err, got)
		}
		typeText(m, "AS2")
		press(m, tea.KeyEnter)
		press(m, tea.KeyEnter) // the credentials kind's default
		if tt.focus == 1 && (m.state.Step != wizard.StepServers || m.state.Answers.AppSecret != "AS2") {
			t.Errorf("a new secret pasted at once did not move on: %v %q", m.state.Step, m.state.Answers.AppSecret)
		}
	}
}
