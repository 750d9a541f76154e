package ovhsim

import (
	"fmt"
	"strings"
	"testing"
)

// Invariant over sizes: n servers, unique names, each named for the first three
// octets of its own address (what the wizard matches nodes on), the defaults
// first.
func TestSeedServers(t *testing.T) {
	for _, n := range []int{0, 1, 4, 5, 60, 500, 1200} {
		seeds := SeedServers(n)
		if len(seeds) != n {
			t.Fatalf("SeedServers(%d) gave %d", n, len(seeds))
		}
		seen := map[string]bool{}
		for i, s := range seeds {
			if seen[s.Name] {
				t.Fatalf("n=%d: %s twice", n, s.Name)
			}
			seen[s.Name] = true
			octets := strings.Split(s.IP, ".")
			if len(octets) != 4 || !strings.Contains(s.Name, fmt.Sprintf(".ip-%s-%s-%s.", octets[0], octets[1], octets[2])) {
				t.Fatalf("n=%d: %s does not carry the /24 of %s", n, s.Name, s.IP)
			}
			if i < len(DefaultServers()) && s != DefaultServers()[i] {
				t.Fatalf("n=%d: seed %d is not the default one", n, i)
			}
		}
		sim := New(Config{Servers: seeds})
		if got := len(sim.serverNames); got != n && n > 0 {
			t.Fatalf("a simulator seeded with %d has %d servers", n, got)
		}
	}
}
