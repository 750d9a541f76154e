package setup

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ovhfence/ovhfence/cluster"
	"github.com/ovhfence/ovhfence/fencing"
	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/ovhsim"
	"github.com/ovhfence/ovhfence/wizard"
)

// atServiceAccountStep is the wizard at the fencing-key step in
// service-account mode, the sandbox's three nodes mapped to their servers.
func atServiceAccountStep(sb *Sandbox) wizard.State {
	a := wizard.Answers{Targets: []cluster.Target{cluster.TargetPcs}, Endpoint: sb.Endpoint, ClusterName: "demo",
		Nodes: sb.Nodes, AppKey: sb.AppKey, AppSecret: sb.AppSecret, CredentialKind: wizard.KindServiceAccount,
		Mapping: map[string]string{}, Mode: cluster.FenceRescue}
	s := wizard.New(a)
	s.Step = wizard.StepFencingKey
	s.Facts.Boots = map[string]fencing.BootIDs{}
	for i, node := range sb.Nodes {
		seed := ovhsim.DefaultServers()[i]
		s.Answers.Mapping[node] = seed.Name
		s.Facts.Boots[seed.Name] = fencing.BootIDs{Rescue: seed.RescueBootID, Power: seed.PowerBootID, Disk: 1}
	}
	return s
}

// sabotage edits the policy the runner just created, through the simulator's
// control surface, before the wizard proves the grant.
type sabotage struct {
	t      *testing.T
	runner *Runner
	sim    string // the simulator's base URL
	edit   func(p *ovhapi.Policy)
	policy ovhapi.Policy // as created
}

func (s *sabotage) Run(ctx context.Context, work wizard.Work, progress func(wizard.Result)) wizard.Result {
	res := s.runner.Run(ctx, work, progress)
	created, ok := res.(wizard.AccountCreated)
	if !ok || created.Err != nil || s.edit == nil {
		return res
	}
	w := work.(wizard.EffectCreateAccount)
	s.policy = ovhapi.FencingPolicy(w.Name, "", w.Servers)
	edited := s.policy
	s.edit(&edited)
	body, _ := json.Marshal(map[string]any{"resources": edited.Resources, "permissions": map[string]any{"allow": edited.Permissions.Allow}})
	req, _ := http.NewRequest(http.MethodPut, s.sim+"/_sim/policies/"+created.PolicyID, bytes.NewReader(body))
	answer, err := http.DefaultClient.Do(req)
	if err != nil || answer.StatusCode != http.StatusOK {
		s.t.Fatalf("editing policy %s: %v %v", created.PolicyID, err, answer)
	}
	answer.Body.Close()
	return res
}

// drive plays events, running every effect, until the wizard stops on a problem.
func drive(ctx context.Context, s wizard.State, r wizard.Runner, events ...wizard.Event) wizard.State {
	for _, ev := range events {
		var effects []wizard.Effect
		for s, effects = wizard.Next(s, ev); len(effects) > 0; {
			res := r.Run(ctx, effects[0].Work, func(wizard.Result) {})
			s, effects = wizard.Next(s, wizard.Reply{Seq: effects[0].Seq, Result: res})
		}
		if s.Problem != "" {
			return s
		}
	}
	return s
}

// A policy missing one fencing action or one server is caught by the
// authorization check, and the wizard stops before anything is fenced: the
// simulator's request log has no reboot and no netboot write. Unsabotaged,
// the same run fences node2 as the service account.
func TestServiceAccountProofStopsBeforeAnyReboot(t *testing.T) {
	drop := func(list []ovhapi.PolicyAction, action string) []ovhapi.PolicyAction {
		return slices.DeleteFunc(slices.Clone(list), func(a ovhapi.PolicyAction) bool { return a.Action == action })
	}
	tests := []struct {
		name    string
		edit    func(p *ovhapi.Policy)
		missing string // in the wizard's problem
	}{
		{"no sabotage", nil, ""},
		{"reboot taken away", func(p *ovhapi.Policy) {
			p.Permissions.Allow = drop(p.Permissions.Allow, "dedicatedServer:apiovh:reboot")
		},
			"IAM action dedicatedServer:apiovh:reboot"},
		{"put taken away", func(p *ovhapi.Policy) { p.Permissions.Allow = drop(p.Permissions.Allow, "dedicatedServer:apiovh:put") },
			"IAM action dedicatedServer:apiovh:put"},
		{"a server taken away", func(p *ovhapi.Policy) { p.Resources = p.Resources[:2] },
			"on " + ovhapi.ServerURN(ovhsim.DefaultServers()[2].Name)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim, sb := startSandbox(t, 0)
			out := t.TempDir()
			r := New(Options{Sandbox: sb, OutDir: out, KeyPoll: 100 * time.Millisecond, FencePoll: 100 * time.Millisecond})
			s := atServiceAccountStep(sb)
			node2 := s.Answers.Mapping["node2"]
			s = drive(context.Background(), s, &sabotage{t: t, runner: r, sim: sim.URL, edit: tt.edit},
				wizard.SubmitFencingKey{}, wizard.SubmitLiveTest{Node: "node2", Confirm: node2})
			var reboots, writes []string
			for _, req := range sim.Sim.Requests() {
				switch {
				case req.Method == http.MethodPost && strings.HasSuffix(req.Path, "/reboot"):
					reboots = append(reboots, req.Path)
				case req.Method == http.MethodPut && strings.Contains(req.Path, "/dedicated/server/"):
					writes = append(writes, req.Path)
				}
			}
			if tt.missing == "" {
				if s.Problem != "" || s.Facts.Cycle == nil || len(reboots) != 2 {
					t.Fatalf("unsabotaged: problem %q, cycle %+v, reboots %v", s.Problem, s.Facts.Cycle, reboots)
				}
			} else {
				if s.Step != wizard.StepFencingKey || !strings.Contains(s.Problem, tt.missing) || !strings.Contains(s.Problem, "nothing was fenced") {
					t.Errorf("step %v, problem %q, want it to name %q", s.Step, s.Problem, tt.missing)
				}
				if len(reboots)+len(writes) > 0 {
					t.Errorf("reboots %v and netboot writes %v after a failed proof", reboots, writes)
				}
			}
			// The setup key was ended; the client secret is in no log.
			if log := strings.Join(r.transcript, "\n"); !strings.Contains(log, "ended the service-account setup key") ||
				strings.Contains(log, s.Answers.ClientSecret) || s.Answers.ClientSecret == "" {
				t.Errorf("transcript (secret set: %v):\n%s", s.Answers.ClientSecret != "", log)
			}
			if entries, _ := os.ReadDir(out); len(entries) > 0 {
				t.Errorf("files written before the output step: %v", entries)
			}
		})
	}
}
