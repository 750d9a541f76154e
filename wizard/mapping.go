package wizard

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"
)

// A wrong node→server map fences the wrong machine, so the wizard never
// guesses one: each node's server is either matched with evidence the person
// sees, or chosen by the person (--map, --answers, or typed at the map step).

// Match is the server found for a node and the evidence for it.
type Match struct {
	Server   string
	Evidence string // shown to the person, e.g. "reverse DNS web1.example.net"
}

// NodeAddr is an IPv4 address of a cluster node and where it was read.
type NodeAddr struct {
	IP     string
	Source string // "ring0_addr in /etc/corosync/corosync.conf", "getent ahostsv4 web1"
}

// EvidenceGiven marks a server the person chose (--map, --answers, or an
// earlier answer at the map step).
const EvidenceGiven = "chosen by you"

// MatchServers finds each node's server: the one given, else the one whose
// service name or reverse DNS is the node's host name, else the one whose
// main IP address (OVH's "ip") is one of the node's public addresses. A node
// with no such server, or with two, gets none: the person chooses.
func MatchServers(nodes []string, servers []ServerInfo, addrs map[string][]NodeAddr, given map[string]string) map[string]Match {
	matches := map[string]Match{}
	taken := map[string]bool{}
	for _, node := range nodes {
		if sn := given[node]; sn != "" {
			matches[node] = Match{Server: sn, Evidence: EvidenceGiven}
			taken[sn] = true
		}
	}
	for _, node := range nodes {
		if _, done := matches[node]; done {
			continue
		}
		var found []Match
		for _, srv := range servers {
			if evidence := matchEvidence(node, srv, addrs[node]); evidence != "" {
				found = append(found, Match{Server: srv.Name, Evidence: evidence})
			}
		}
		if len(found) == 1 && !taken[found[0].Server] {
			matches[node] = found[0]
			taken[found[0].Server] = true
		}
	}
	return matches
}

// matchEvidence says why srv is node's server, or "".
func matchEvidence(node string, srv ServerInfo, addrs []NodeAddr) string {
	switch {
	case hostMatches(srv.Name, node):
		return "its service name is the node's name"
	case srv.Reverse != "" && hostMatches(srv.Reverse, node):
		return "reverse DNS " + srv.Reverse
	}
	for _, a := range addrs {
		if PublicIPv4(a.IP) && a.IP == srv.IP {
			return fmt.Sprintf("%s gives %s, the server's IP address", a.Source, a.IP)
		}
	}
	return ""
}

// PublicIPv4 reports whether ip is a public IPv4 address. A server's "ip" is
// its public address; private, shared (100.64/10), loopback and link-local
// addresses, a vRack's among them, can repeat across servers and never match.
func PublicIPv4(ip string) bool {
	a, err := netip.ParseAddr(ip)
	if err != nil || !a.Is4() {
		return false
	}
	return a.IsGlobalUnicast() && !a.IsPrivate() && !netip.MustParsePrefix("100.64.0.0/10").Contains(a)
}

// ValidateGivenMapping checks the map the person gave before any guess could
// hide a mistake in it: each entry names a cluster node, no server twice, and,
// when known is not nil, a server among known. Errors name the entry.
func ValidateGivenMapping(mapping map[string]string, nodes, known []string) error {
	entries := make([]string, 0, len(mapping))
	for node := range mapping {
		entries = append(entries, node)
	}
	sort.Strings(entries)
	owner := map[string]string{}
	for _, node := range entries {
		sn := mapping[node]
		switch {
		case !slices.Contains(nodes, node):
			return fmt.Errorf("map entry %s=%s: %s is not a cluster node (%s)", node, sn, node, strings.Join(nodes, ", "))
		case owner[sn] != "":
			return fmt.Errorf("map entries %s=%s and %s=%s: each node needs its own server", owner[sn], sn, node, sn)
		case known != nil && !slices.Contains(known, sn):
			return fmt.Errorf("map entry %s=%s: %s is not one of the servers found (%s)", node, sn, sn, strings.Join(known, ", "))
		}
		owner[sn] = node
	}
	return nil
}

// refuseGivenMapping stops at a bad map entry given up front. The flags mode
// ends there; a person tries again and chooses every server at the map step.
func (s State) refuseGivenMapping(err error) (State, []Effect) {
	s.Answers.Mapping = nil
	return s.fail(err.Error() + " (from --map or --answers; the map given is set aside: try again to choose each server at the map step)")
}

// IsLocalNode reports whether node is the machine the wizard runs on (its
// host name, short or fully qualified, either way round).
func (s State) IsLocalNode(node string) bool {
	host := s.Facts.Preflight.Hostname
	return host != "" && node != "" && (hostMatches(host, node) || hostMatches(node, host))
}
