package wizard

import (
	"fmt"
	"net/netip"
	"strings"
)

// MaxCandidates is how many servers discovery reads per node at most.
const MaxCandidates = 2

// Candidates picks, from the account's server names alone, the servers node
// may run on, at most MaxCandidates: a name equal to the node's name or FQDN
// first, then OVH service names (nsNNN.ip-A-B-C.eu) whose ip-A-B-C part is the
// first three octets of addr, the node's public IPv4 address ("" when
// unknown). Only these are read; a node with none is picked by the person.
func Candidates(node, addr string, names []string) []string {
	var out []string
	for _, sn := range names {
		if len(out) < MaxCandidates && hostMatches(sn, node) {
			out = append(out, sn)
		}
	}
	part := ipPart(addr)
	for _, sn := range names {
		if len(out) < MaxCandidates && part != "" && strings.Contains(sn, "."+part+".") && !hostMatches(sn, node) {
			out = append(out, sn)
		}
	}
	return out
}

// ipPart is "ip-A-B-C" for the IPv4 address A.B.C.D, else "".
func ipPart(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil || !ip.Is4() {
		return ""
	}
	o := ip.As4()
	return fmt.Sprintf("ip-%d-%d-%d", o[0], o[1], o[2])
}
