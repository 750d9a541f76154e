package wizard

import (
	"fmt"
	"slices"
	"strings"
)

// Everything that needs no API is checked before any key is requested: a
// bad answer given up front (flags, --answers) must not cost a browser
// validation first.

// checkGiven checks the answers given up front against the cluster's nodes:
// the servers' names and count, the fence mode and the node to fence.
// (The map is checked by ValidateGivenMapping, whose refusal sets it aside.)
func checkGiven(a Answers, nodes []string) error {
	if err := ValidateServers(a.Servers); err != nil {
		return fmt.Errorf("--%s: %w", FieldServers.Flag, err)
	}
	if err := checkServerCount(a.Servers, nodes); err != nil {
		return fmt.Errorf("--%s: %w", FieldServers.Flag, err)
	}
	if a.Mode != "" {
		if err := FieldFenceMode.Check(string(a.Mode)); err != nil {
			return fmt.Errorf("--%s: %w", FieldFenceMode.Flag, err)
		}
	}
	if a.FenceTest != "" && !slices.Contains(nodes, a.FenceTest) {
		return fmt.Errorf("--%s %s: not a cluster node (%s)", FieldFenceTest.Flag, a.FenceTest, strings.Join(nodes, ", "))
	}
	return nil
}

// checkServerCount refuses a server list too short for the nodes: each node
// needs its own server. An empty list means "discover them".
func checkServerCount(servers, nodes []string) error {
	if len(servers) > 0 && len(servers) < len(nodes) {
		return fmt.Errorf("%d servers named for %d nodes (%s): each node needs its own server",
			len(servers), len(nodes), strings.Join(nodes, ", "))
	}
	return nil
}

// knownServers are the servers a map entry must name: those of --servers,
// or, when none were named, any (nil: not known before discovery).
func knownServers(servers []string) []string {
	if len(servers) == 0 {
		return nil
	}
	return servers
}
