package wizard

import (
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/cluster"
)

// TestGivenAnswersRefusedBeforeAnyKey: every answer given up front that is
// wrong on its face (no API needed to tell) stops the wizard at the preflight,
// before the clock check, the application key proof or any key request.
func TestGivenAnswersRefusedBeforeAnyKey(t *testing.T) {
	tests := []struct {
		name  string
		given Answers
		want  string
	}{
		{"too few servers", Answers{Servers: []string{sn1, sn2}}, "2 servers named for 3 nodes"},
		{"server named twice", Answers{Servers: []string{sn1, sn1, sn2}}, "named twice"},
		{"bad fence mode", Answers{Mode: "power-off"}, `fence mode "power-off": want rescue or poweroff`},
		{"fence test of no node", Answers{FenceTest: "node7"}, "--fence-test: node7 is not a cluster node"},
		{"map of an unknown node", Answers{Mapping: map[string]string{"node9": sn1}}, "node9 is not a cluster node"},
		{"map misspells a --servers name", Answers{Servers: []string{sn1, sn2, sn3}, Mapping: map[string]string{"node1": sn1 + "x"}},
			"is not one of the servers found"},
		{"map gives a server twice", Answers{Mapping: map[string]string{"node1": sn1, "node2": sn1}}, "each node needs its own server"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := Next(New(tt.given), Start{})
			s, _ = Next(s, Reply{Seq: s.Seq, Result: PreflightFound{Preflight: testPreflight}})
			s, effects := Next(s, SubmitPreflight{Targets: []cluster.Target{cluster.TargetPcs}, Endpoint: "ovh-eu",
				ClusterName: "demo", Nodes: testNodes})
			if len(effects) != 0 || s.Step != StepPreflight || !strings.Contains(s.Problem, tt.want) {
				t.Errorf("step %v, effects %#v, problem %q; want refused at the preflight with %q", s.Step, effects, s.Problem, tt.want)
			}
		})
	}
}

// TestTypedServersCheckedBeforeTheDiscoveryKey: servers typed at their step
// are counted against the nodes, and against the map given, before the
// discovery key is requested.
func TestTypedServersCheckedBeforeTheDiscoveryKey(t *testing.T) {
	s := reach(t, StepServers)
	next, effects := Next(s, SubmitServers{Names: []string{sn1, sn2}})
	if len(effects) != 0 || !strings.Contains(next.Problem, "2 servers named for 3 nodes") {
		t.Errorf("effects %#v, problem %q", effects, next.Problem)
	}
	s.Answers.Mapping = map[string]string{"node1": sn3}
	next, effects = Next(s, SubmitServers{Names: []string{sn1, sn2, sn1 + "x"}})
	if len(effects) != 0 || !strings.Contains(next.Problem, "map entry node1="+sn3) {
		t.Errorf("effects %#v, problem %q", effects, next.Problem)
	}
}
