package wizard

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// Invariants over generated accounts: at most MaxCandidates per node, each a
// listed name, each either named as the node (or its FQDN) or carrying the
// ip-A-B-C of the node's address, name matches first; and when the account
// holds a server named as the node, or one of its /24, one is found.
func TestCandidatesInvariants(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 4))
	for i := 0; i < 3000; i++ {
		node := fmt.Sprintf("node%d", rng.IntN(5))
		addr := fmt.Sprintf("51.%d.%d.%d", rng.IntN(3), rng.IntN(3), 1+rng.IntN(250))
		if rng.IntN(5) == 0 {
			addr = []string{"", "10.0.0.1", "2001:db8::1", "not an address"}[rng.IntN(4)]
		}
		var names []string
		for n := rng.IntN(30); n > 0; n-- {
			switch rng.IntN(4) {
			case 0:
				names = append(names, fmt.Sprintf("node%d%s", rng.IntN(5), []string{"", ".example.net", "0"}[rng.IntN(3)]))
			default:
				names = append(names, fmt.Sprintf("ns%d.ip-51-%d-%d.eu", rng.IntN(1e6), rng.IntN(3), rng.IntN(3)))
			}
		}
		got := Candidates(node, addr, names)
		part := ipPart(addr)
		byName := func(sn string) bool { return hostMatches(sn, node) }
		byIP := func(sn string) bool { return part != "" && strings.Contains(sn, "."+part+".") }
		if len(got) > MaxCandidates {
			t.Fatalf("%s %s: %d candidates", node, addr, len(got))
		}
		for k, sn := range got {
			if !slices.Contains(names, sn) || !(byName(sn) || byIP(sn)) {
				t.Fatalf("%s %s: candidate %q neither listed nor matching", node, addr, sn)
			}
			if k > 0 && byName(sn) && !byName(got[k-1]) {
				t.Fatalf("%s %s: name match %q after an address match", node, addr, sn)
			}
		}
		if len(got) == 0 && (slices.ContainsFunc(names, byName) || slices.ContainsFunc(names, byIP)) {
			t.Fatalf("%s %s: no candidate among %v", node, addr, names)
		}
	}
}

func TestCandidatesExamples(t *testing.T) {
	names := []string{"ns1.ip-51-75-12.eu", "ns2.ip-51-75-120.eu", "node1.example.net", "ns3.ip-51-75-12.eu", "ns4.ip-51-75-12.eu"}
	for _, c := range []struct {
		node, addr string
		want       []string
	}{
		{"node1", "51.75.12.7", []string{"node1.example.net", "ns1.ip-51-75-12.eu"}},
		{"node2", "51.75.120.7", []string{"ns2.ip-51-75-120.eu"}},
		{"node2", "51.75.12.7", []string{"ns1.ip-51-75-12.eu", "ns3.ip-51-75-12.eu"}},
		{"node2", "51.75.1.7", nil},
		{"node2", "", nil},
	} {
		if got := Candidates(c.node, c.addr, names); !slices.Equal(got, c.want) {
			t.Errorf("Candidates(%s, %s) = %v, want %v", c.node, c.addr, got, c.want)
		}
	}
}
