package wizard

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// fenceTestRunning is the state once the real fence test of node2 started
// and reported its recovery command.
func fenceTestRunning(t *testing.T) State {
	t.Helper()
	s := reach(t, StepLiveTest)
	s, effects := Next(s, SubmitLiveTest{Node: "node2", Confirm: sn2})
	if len(effects) != 1 || !s.Facts.FenceTesting {
		t.Fatalf("no fence test started: %v %q", effects, s.Problem)
	}
	if w := effects[0].Work.(EffectFenceCycle); w.ClusterTarget != s.Answers.Targets[0] {
		t.Errorf("the fence test does not know where ovh.conf goes: %q", w.ClusterTarget)
	}
	s, _ = Next(s, Reply{Seq: s.Seq, Result: FenceStarted{Pending: "/etc/ovh.conf.pending", Recovery: "ovhfence agent --action on --plug " + sn2}})
	return s
}

func TestInterruptedFenceTest(t *testing.T) {
	canceled := fmt.Errorf("off: %w", context.Canceled)
	tests := []struct {
		name         string
		interrupt    Event // nil: the test fails on its own
		result       FenceCycled
		wantProblem  []string
		wantRecovery bool // the recovery command stays to be shown
	}{
		{"Esc, brought back", Cancel{}, FenceCycled{Err: canceled, Recovered: true},
			[]string{"was cancelled", sn2 + " was brought back on its disk (verified)"}, false},
		{"Back, brought back", Back{}, FenceCycled{Err: canceled, Recovered: true}, []string{"was cancelled", "brought back"}, false},
		{"Esc, not brought back", Cancel{}, FenceCycled{Err: errors.Join(canceled, errors.New("bringing it back failed: 500"))},
			[]string{"may still be off or in rescue", "/etc/ovh.conf.pending", "ovhfence agent --action on --plug " + sn2}, true},
		{"an ovhError task, brought back", nil, FenceCycled{Err: errors.New("off: OVH task 7 ended in ovhError"), Recovered: true},
			[]string{"ovhError", "brought back on its disk"}, false},
		{"an ovhError task, not brought back", nil, FenceCycled{Err: errors.New("off: OVH task 7 ended in ovhError")},
			[]string{"ovhError", "ovhfence agent --action on --plug " + sn2}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fenceTestRunning(t)
			seq := s.Seq
			if tt.interrupt != nil {
				var effects []Effect
				s, effects = Next(s, tt.interrupt)
				if effects != nil || s.Seq != seq || !s.Busy() || !s.Stopping || !strings.Contains(s.Waiting, "bringing "+sn2+" back") {
					t.Fatalf("%T during the fence test: seq %d→%d busy %v stopping %v waiting %q: the test's answer would be dropped",
						tt.interrupt, seq, s.Seq, s.Busy(), s.Stopping, s.Waiting)
				}
			}
			s, _ = Next(s, Reply{Seq: seq, Result: tt.result})
			if s.Busy() || s.Stopping || s.Facts.FenceTesting || s.Step != StepLiveTest {
				t.Errorf("after the answer: busy %v stopping %v testing %v step %v", s.Busy(), s.Stopping, s.Facts.FenceTesting, s.Step)
			}
			for _, want := range tt.wantProblem {
				if !strings.Contains(s.Problem, want) {
					t.Errorf("problem %q lacks %q", s.Problem, want)
				}
			}
			if (s.Facts.Recovery != "") != tt.wantRecovery {
				t.Errorf("recovery %q, want it kept: %v", s.Facts.Recovery, tt.wantRecovery)
			}
		})
	}
}

// TestFencingTheLocalNodeNeedsItsNameTwice: the node the wizard runs on is
// fenced only with its name typed a second time.
func TestFencingTheLocalNodeNeedsItsNameTwice(t *testing.T) {
	tests := []struct {
		hostname, node, again string
		fenced                bool
	}{
		{"node2.example.net", "node2", "", false},
		{"node2", "node2", "node", false},
		{"NODE2", "node2", "node2", true},
		{"node2.example.net", "node2", "node2", true},
		{"node2.example.net", "node1", "", true}, // another node: the service name is enough
		{"", "node2", "", true},                  // no host name known (the sandbox)
	}
	for _, tt := range tests {
		s := reach(t, StepLiveTest)
		s.Facts.Preflight.Hostname = tt.hostname
		after, effects := Next(s, SubmitLiveTest{Node: tt.node, Confirm: s.Answers.Mapping[tt.node], ConfirmLocal: tt.again})
		if fenced := len(effects) == 1; fenced != tt.fenced {
			t.Errorf("host %q, fencing %s typed again as %q: fenced %v (problem %q), want %v",
				tt.hostname, tt.node, tt.again, fenced, after.Problem, tt.fenced)
		}
		if !tt.fenced && !strings.Contains(after.Problem, "the machine this wizard runs on") {
			t.Errorf("problem %q does not say why", after.Problem)
		}
	}
}
