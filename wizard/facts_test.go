package wizard

import (
	"reflect"
	"testing"
	"time"

	"github.com/ovhfence/ovhfence/cluster"
	"github.com/ovhfence/ovhfence/fencing"
)

func secs(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func fencingBoots(rescue, power int64) fencing.BootIDs {
	return fencing.BootIDs{Rescue: rescue, Power: power, Disk: 1}
}

func TestMatchServers(t *testing.T) {
	plain := []ServerInfo{{Name: "ns1.eu", IP: "51.38.1.1"}, {Name: "ns2.eu", IP: "51.38.1.2"}, {Name: "ns3.eu", IP: "10.0.0.3"}}
	listed := []ServerInfo{{Name: "ns1.eu"}, {Name: "ns2.eu"}, {Name: "ns3.eu"}} // names only, not read (a large account)
	ring := func(ip string) []NodeAddr { return []NodeAddr{{IP: ip, Source: "ring0_addr"}} }
	tests := []struct {
		name    string
		nodes   []string
		servers []ServerInfo
		addrs   map[string][]NodeAddr
		given   map[string]string
		want    map[string]string // node → server; a node absent has no match
	}{
		{"by reverse, whatever the order", []string{"node2", "node1"}, []ServerInfo{
			{Name: "ns1.eu", Reverse: "node1.example.net."}, {Name: "ns2.eu", Reverse: "NODE2.example.net"}},
			nil, nil, map[string]string{"node1": "ns1.eu", "node2": "ns2.eu"}},
		{"by name", []string{"ns2"}, plain, nil, nil, map[string]string{"ns2": "ns2.eu"}},
		{"nothing matches: no guess", []string{"a", "b"}, plain, nil, nil, map[string]string{}},
		{"given, the rest unmatched", []string{"a", "b"}, plain, nil, map[string]string{"b": "ns1.eu"}, map[string]string{"b": "ns1.eu"}},
		{"by address", []string{"web1", "web2"}, plain, map[string][]NodeAddr{"web1": ring("51.38.1.2"), "web2": ring("51.38.1.1")},
			nil, map[string]string{"web1": "ns2.eu", "web2": "ns1.eu"}},
		{"a private (vRack) address never matches", []string{"web1"}, plain, map[string][]NodeAddr{"web1": ring("10.0.0.3")}, nil, map[string]string{}},
		{"a server already given is not matched again", []string{"a", "b"}, plain, map[string][]NodeAddr{"b": ring("51.38.1.1")},
			map[string]string{"a": "ns1.eu"}, map[string]string{"a": "ns1.eu"}},
		{"two servers with evidence: no match", []string{"web1"}, []ServerInfo{{Name: "ns1.eu", Reverse: "web1.example.net"}, {Name: "ns2.eu", IP: "51.38.1.2"}},
			map[string][]NodeAddr{"web1": ring("51.38.1.2")}, nil, map[string]string{}},
		{"servers only listed are left for the person to pick", []string{"a", "b"}, listed, map[string][]NodeAddr{"a": ring("51.38.1.1")},
			map[string]string{"b": "ns3.eu"}, map[string]string{"b": "ns3.eu"}},
		{"a listed server named as the node still matches", []string{"ns2"}, listed, nil, nil, map[string]string{"ns2": "ns2.eu"}},
		{"prefix is not a match", []string{"node1"}, []ServerInfo{{Name: "ns1.eu", Reverse: "node10.example.net"}, {Name: "ns2.eu", Reverse: "node1.example.net"}},
			nil, nil, map[string]string{"node1": "ns2.eu"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			matches := MatchServers(tt.nodes, tt.servers, tt.addrs, tt.given)
			got := map[string]string{}
			for node, m := range matches {
				got[node] = m.Server
				if m.Evidence == "" {
					t.Errorf("%s → %s has no evidence", node, m.Server)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("MatchServers = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDefaultMode(t *testing.T) {
	tests := []struct {
		boots map[string]fencing.BootIDs
		want  cluster.FenceMode
	}{
		{map[string]fencing.BootIDs{"a": fencingBoots(2, 3), "b": fencingBoots(2, 4)}, cluster.FencePoweroff},
		{map[string]fencing.BootIDs{"a": fencingBoots(2, 3), "b": fencingBoots(2, 0)}, cluster.FenceRescue},
		{map[string]fencing.BootIDs{"a": fencingBoots(2, 3)}, cluster.FenceRescue}, // b unknown
	}
	for _, tt := range tests {
		if got := (Facts{Boots: tt.boots}).DefaultMode([]string{"a", "b"}); got != tt.want {
			t.Errorf("DefaultMode(%v) = %s, want %s", tt.boots, got, tt.want)
		}
	}
}

func TestParseTargets(t *testing.T) {
	tests := []struct {
		in      string
		want    []cluster.Target
		wantErr bool
	}{
		{"pcs", []cluster.Target{cluster.TargetPcs}, false},
		{"PCS, pve3", []cluster.Target{cluster.TargetPcs, cluster.TargetPVE3}, false},
		{"crm pcs", []cluster.Target{cluster.TargetCrm, cluster.TargetPcs}, false},
		{"", nil, true},
		{"pcs,pcs", nil, true},
		{"pve4", nil, true},
	}
	for _, tt := range tests {
		got, err := ParseTargets(tt.in)
		if (err != nil) != tt.wantErr || (!tt.wantErr && !reflect.DeepEqual(got, tt.want)) {
			t.Errorf("ParseTargets(%q) = %v, %v", tt.in, got, err)
		}
	}
}

func TestTrimSecret(t *testing.T) {
	for in, want := range map[string]string{" abc\n": "abc", `"abc"`: "abc", "\tabc \r\n": "abc", "a b": "a b"} {
		if got := TrimSecret(in); got != want {
			t.Errorf("TrimSecret(%q) = %q, want %q", in, got, want)
		}
	}
}
