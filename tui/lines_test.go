package tui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/wizard"
)

// plainAnswers answer every prompt of a full run; "" accepts the default.
var plainAnswers = []string{
	"pcs", "", "", "", // targets, endpoint, cluster name, nodes
	"  AK1234abcd  ", "AS5678efgh", // keys, with paste whitespace
	"",         // credentials kind: consumer-key
	"",         // servers: discover
	"", "", "", // mapping: accept the proposals
	"",           // mode: poweroff proposed
	"",           // fencing key: request one
	"node2", sn2, // fence node2 for real, confirmed
	"",    // move on
	"yes", // write
}

func TestPlainModeThroughAPipe(t *testing.T) {
	var out bytes.Buffer
	runner := &fakeRunner{}
	in := strings.NewReader(strings.Join(plainAnswers, "\n") + "\n")
	s, err := RunLines(context.Background(), wizard.New(wizard.Answers{}), runner, NewLinePrompter(context.Background(), in, &out), &out)
	if err != nil {
		t.Fatalf("RunLines: %v\n%s", err, out.String())
	}
	if s.Step != wizard.StepDone {
		t.Fatalf("stopped at %v", s.Step)
	}
	if s.Answers.AppKey != "AK1234abcd" || s.Answers.Mode != "poweroff" || s.Facts.Cycle == nil {
		t.Errorf("answers %+v cycle %+v", s.Answers, s.Facts.Cycle)
	}
	text := out.String()
	for _, want := range []string{
		"[1/9] Preflight", "Cluster nodes [node1,node2,node3]: ", "https://eu.api.ovh.com/createApp/",
		"separate, short-lived, read-only key", "https://eu.api.ovh.com/auth/?credentialToken=discovery",
		"Server of node2 (matched: reverse DNS node2.example.net) [" + sn2 + "]: ", "Fence mode (rescue or poweroff) [poweroff]: ",
		"GET  /dedicated/server/{sn}/task/*", "https://eu.api.ovh.com/auth/?credentialToken=fencing",
		"Type " + sn2 + " to confirm", sn2 + ": task done", "node2 off (verified) in 4.1s",
		"/tmp/out/fence-demo-pcs.sh", "Done (log saved to /tmp/out/ovhfence-setup.log)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(text, "AS5678efgh") {
		t.Error("the application secret was echoed")
	}
	if n := runner.count(wizard.EffectFenceCycle{}); n != 1 {
		t.Errorf("%d fence cycles, want 1", n)
	}
}

func TestPlainModeReasksAndGoesBack(t *testing.T) {
	answers := []string{
		"pcs,pve9", "pcs", "", "", "", // an invalid target, re-asked
		"<",                       // back from the application keys
		"", "", "", "node1 node2", // preflight again, two nodes
		"bad key!", "AK1", "AS1", "", // an invalid key, re-asked; consumer-key
	}
	var out bytes.Buffer
	in := strings.NewReader(strings.Join(answers, "\n") + "\n")
	s, err := RunLines(context.Background(), wizard.New(wizard.Answers{}), &fakeRunner{}, NewLinePrompter(context.Background(), in, &out), &out)
	if err == nil || !strings.Contains(err.Error(), "input ended") {
		t.Fatalf("err = %v", err)
	}
	if s.Step != wizard.StepServers || strings.Join(s.Answers.Nodes, " ") != "node1 node2" {
		t.Errorf("step %v nodes %v\n%s", s.Step, s.Answers.Nodes, out.String())
	}
	text := out.String()
	for _, want := range []string{`unknown target "pve9"`, "paste only the key itself", "[1/9] Preflight\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Count(text, "[1/9] Preflight") != 2 {
		t.Errorf("the preflight was not shown again after Back:\n%s", text)
	}
}

func TestFlagsMode(t *testing.T) {
	full := wizard.Answers{AppKey: "AK1", AppSecret: "AS1", Mapping: nil}
	tests := []struct {
		name    string
		answers wizard.Answers
		given   []string
		yes     bool
		wantErr string
		early   bool // refused at the preflight, before any key: not a missing flag
		fenced  int
	}{
		{name: "yes accepts every default", answers: full, given: []string{flagName(&wizard.FieldAppKey), flagName(&wizard.FieldAppSecret)}, yes: true},
		{name: "fence test only when asked", answers: withFenceTest(full, "node1"), given: []string{flagName(&wizard.FieldAppKey), flagName(&wizard.FieldAppSecret), flagName(&wizard.FieldFenceTest)}, yes: true, fenced: 1},
		{name: "service account", answers: withServiceAccount(full), given: []string{flagName(&wizard.FieldAppKey), flagName(&wizard.FieldAppSecret)}, yes: true},
		{name: "missing key names its flag", answers: wizard.Answers{}, yes: true, wantErr: "--application-key (or $OVH_APPLICATION_KEY) is required"},
		{name: "a default needs --yes", answers: full, given: []string{flagName(&wizard.FieldAppKey), flagName(&wizard.FieldAppSecret)}, wantErr: "--target: not given; pass it, or --yes"},
		{name: "bad fence test node", answers: withFenceTest(full, "node7"), given: []string{flagName(&wizard.FieldAppKey), flagName(&wizard.FieldAppSecret), flagName(&wizard.FieldFenceTest)}, yes: true, wantErr: "--fence-test: node7 is not a cluster node", early: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			given := map[string]bool{flagName(&wizard.FieldConfirm): tt.yes}
			for _, f := range tt.given {
				given[f] = true
			}
			p := FlagPrompter{Yes: tt.yes, Given: func(f string) bool { return given[f] }}
			var out bytes.Buffer
			runner := &fakeRunner{}
			s, err := RunLines(context.Background(), wizard.New(tt.answers), runner, p, &out)
			if tt.wantErr != "" {
				var missing *MissingFlagError
				if err == nil || errors.As(err, &missing) == tt.early || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q (a MissingFlagError: %v)", err, tt.wantErr, !tt.early)
				}
				if tt.early && (s.Step != wizard.StepPreflight || len(runner.works) > 1) {
					t.Errorf("refused at %v after %v, want at the preflight", s.Step, runner.works)
				}
				return
			}
			if err != nil || s.Step != wizard.StepDone {
				t.Fatalf("err %v at %v\n%s", err, s.Step, out.String())
			}
			if n := runner.count(wizard.EffectFenceCycle{}); n != tt.fenced {
				t.Errorf("%d fence cycles, want %d", n, tt.fenced)
			}
			for _, secret := range []string{"AS1", fakeClientSecret} {
				if strings.Contains(out.String(), secret) {
					t.Errorf("the secret %s was printed", secret)
				}
			}
			if tt.answers.ServiceAccount() && (runner.count(wizard.EffectCheckAccount{}) != 1 || s.Answers.ClientSecret != fakeClientSecret) {
				t.Errorf("service account: %d proofs, secret kept: %v", runner.count(wizard.EffectCheckAccount{}), s.Answers.ClientSecret != "")
			}
		})
	}
}

func withServiceAccount(a wizard.Answers) wizard.Answers {
	a.CredentialKind = wizard.KindServiceAccount
	return a
}

func withFenceTest(a wizard.Answers, node string) wizard.Answers {
	a.FenceTest = node
	return a
}

func TestFlagsModeStopsOnAFailedStep(t *testing.T) {
	p := FlagPrompter{Yes: true, Given: func(string) bool { return true }}
	runner := failingRunner{fail: wizard.EffectProveAppKey{}, result: wizard.AppKeyProven{Err: errors.New("Invalid application key")}}
	_, err := RunLines(context.Background(), wizard.New(wizard.Answers{AppKey: "AK1", AppSecret: "AS1"}), runner, p, &bytes.Buffer{})
	if !errors.Is(err, ErrStepFailed) || !strings.Contains(err.Error(), "Invalid application key") {
		t.Errorf("err = %v", err)
	}
}

// failingRunner is the fake runner, except that one effect fails.
type failingRunner struct {
	fail   wizard.Work
	result wizard.Result
}

func (f failingRunner) Run(ctx context.Context, work wizard.Work, progress func(wizard.Result)) wizard.Result {
	if fmt.Sprintf("%T", work) == fmt.Sprintf("%T", f.fail) {
		return f.result
	}
	return fakeResult(work, progress)
}

func TestLinePrompterGivesUpWhenInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	stdin, _ := io.Pipe() // never written: the prompt would wait forever
	p := NewLinePrompter(ctx, stdin, io.Discard)
	done := make(chan error, 1)
	go func() {
		_, err := p.Ask(Question{Label: "Cluster name"})
		done <- err
	}()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Ask after Ctrl+C: %v", err)
	}
}
