package wizard

import (
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/cluster"
)

// webServers match no node name or reverse: the normal case on OVH.
var webServers = []ServerInfo{
	{Name: "nsA.ip-51-38-1.eu", Reverse: "nsA.ip-51-38-1.eu", IP: "51.38.1.1"},
	{Name: "nsB.ip-51-38-2.eu", Reverse: "nsB.ip-51-38-2.eu", IP: "51.38.1.2"},
}

// serversRead is the state once the servers of nodes web1, web2 were read,
// with given the map passed up front.
func serversRead(t *testing.T, given map[string]string, addrs map[string][]NodeAddr) State {
	t.Helper()
	s := State{Step: StepServers, Seq: 1, Waiting: "Reading the servers…",
		Answers: Answers{Nodes: []string{"web1", "web2"}, Mapping: given}, Facts: Facts{DiscoveryKey: "dk"}}
	s, _ = Next(s, Reply{Seq: 1, Result: ServersFound{Servers: webServers, NodeAddrs: addrs}})
	return s
}

func TestMappingNeedsEvidenceOrAPerson(t *testing.T) {
	const a, b = "nsA.ip-51-38-1.eu", "nsB.ip-51-38-2.eu"
	byPosition := map[string]string{"web1": a, "web2": b}
	tests := []struct {
		name      string
		given     map[string]string
		addrs     map[string][]NodeAddr
		submit    SubmitMapping
		wantStep  Step
		wantProbl string
	}{
		{"--yes takes no guess", nil, nil, SubmitMapping{Mapping: byPosition}, StepMap, "pass --map web1=SERVICE-NAME"},
		{"a person confirms the same map", nil, nil, SubmitMapping{Mapping: byPosition, Confirmed: true}, StepMode, ""},
		{"given with --map", byPosition, nil, SubmitMapping{Mapping: byPosition}, StepMode, ""},
		{"half given: the other node is a guess", map[string]string{"web1": a}, nil, SubmitMapping{Mapping: byPosition}, StepMap, "--map web2="},
		{"ring0_addr is the server's ip", nil, map[string][]NodeAddr{
			"web1": {{IP: "51.38.1.1", Source: "ring0_addr"}}, "web2": {{IP: "51.38.1.2", Source: "getent ahostsv4 web2"}}},
			SubmitMapping{Mapping: byPosition}, StepMode, ""},
		{"a vRack address is no evidence", nil, map[string][]NodeAddr{
			"web1": {{IP: "192.168.0.1", Source: "ring0_addr"}}, "web2": {{IP: "51.38.1.2", Source: "ring0_addr"}}},
			SubmitMapping{Mapping: byPosition}, StepMap, "--map web1="},
		{"evidence says otherwise", nil, map[string][]NodeAddr{
			"web1": {{IP: "51.38.1.2", Source: "ring0_addr"}}, "web2": {{IP: "51.38.1.1", Source: "ring0_addr"}}},
			SubmitMapping{Mapping: byPosition}, StepMap, "--map web1="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := serversRead(t, tt.given, tt.addrs)
			if s.Step != StepMap || s.Problem != "" {
				t.Fatalf("servers read: step %v problem %q", s.Step, s.Problem)
			}
			after, _ := Next(s, tt.submit)
			if after.Step != tt.wantStep || !strings.Contains(after.Problem, tt.wantProbl) || (tt.wantProbl == "") != (after.Problem == "") {
				t.Errorf("step %v problem %q, want step %v problem containing %q", after.Step, after.Problem, tt.wantStep, tt.wantProbl)
			}
		})
	}
}

func TestBadGivenMapEntriesAreNamed(t *testing.T) {
	tests := []struct {
		name  string
		given map[string]string
		want  string
	}{
		{"misspelled server", map[string]string{"web1": "nsA.ip-51-38-1.eu", "web2": "nsb.ip-51-38-2.eu"}, "map entry web2=nsb.ip-51-38-2.eu: nsb.ip-51-38-2.eu is not one of the servers found"},
		{"server taken twice", map[string]string{"web1": "nsA.ip-51-38-1.eu", "web2": "nsA.ip-51-38-1.eu"}, "map entries web1=nsA.ip-51-38-1.eu and web2=nsA.ip-51-38-1.eu"},
		{"unknown node", map[string]string{"web3": "nsA.ip-51-38-1.eu"}, "map entry web3=nsA.ip-51-38-1.eu: web3 is not a cluster node"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := serversRead(t, tt.given, nil)
			if s.Step != StepServers || !strings.Contains(s.Problem, tt.want) || !strings.Contains(s.Problem, "--map or --answers") {
				t.Errorf("step %v problem %q, want the servers step and %q", s.Step, s.Problem, tt.want)
			}
			if s.Answers.Mapping != nil || s.Facts.Matches != nil {
				t.Errorf("the bad map stayed: %v %v", s.Answers.Mapping, s.Facts.Matches)
			}
		})
	}
	// Before any key is requested: a node the cluster lacks, a server --servers lacks.
	for given, want := range map[string]string{"web3": "web3 is not a cluster node", "web1": "nsC is not one of the servers"} {
		s := State{Step: StepPreflight, Seq: 1, Answers: Answers{Servers: []string{"nsA", "nsB"}, Mapping: map[string]string{given: "nsC"}}}
		after, effects := Next(s, SubmitPreflight{Targets: []cluster.Target{cluster.TargetPcs}, Endpoint: "ovh-eu", ClusterName: "web", Nodes: []string{"web1", "web2"}})
		if effects != nil || !strings.Contains(after.Problem, "map entry "+given+"=nsC: "+want) {
			t.Errorf("preflight with --map %s=nsC: effects %v problem %q", given, effects, after.Problem)
		}
	}
}
