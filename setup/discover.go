package setup

import (
	"context"
	"fmt"
	"slices"

	"github.com/ovhfence/ovhfence/cluster"
	"github.com/ovhfence/ovhfence/safetext"
	"github.com/ovhfence/ovhfence/wizard"
)

// discoverServers reads the servers named, or else lists the account's
// servers in one call and reads only the nodes' candidates (at most
// wizard.MaxCandidates each, found from the names and the nodes' public
// addresses), so that an account with hundreds of servers costs a handful of
// calls. The others are listed by name for the person to pick from. Which
// server is a node's is decided by wizard.MatchServers on the evidence read
// here (names, reverse DNS, OVH's "ip" against the node addresses returned),
// never by being a candidate.
func (r *Runner) discoverServers(ctx context.Context, w wizard.EffectDiscoverServers, progress func(wizard.Result)) ([]wizard.ServerInfo, map[string][]wizard.NodeAddr, error) {
	addrs := r.nodeAddrs(ctx, w.Nodes)
	client, err := r.client(w.Config)
	if err != nil {
		return nil, addrs, err
	}
	names, toRead := w.Names, w.Names
	if len(names) == 0 {
		if names, err = client.ListServers(ctx); err != nil {
			return nil, addrs, err
		}
		toRead = nil
		for _, node := range w.Nodes {
			addr := publicAddress(append(slices.Clone(w.NodeAddrs[node]), addrs[node]...))
			candidates := wizard.Candidates(node, addr, names)
			r.logf("node %s (public address %q): candidates %v", node, addr, candidates)
			for _, sn := range candidates {
				if !slices.Contains(toRead, sn) {
					toRead = append(toRead, sn)
				}
			}
		}
	}
	servers := make([]wizard.ServerInfo, len(names))
	for i, sn := range names {
		if err := checkServiceName(sn); err != nil {
			return nil, addrs, err
		}
		servers[i] = wizard.ServerInfo{Name: sn}
	}
	for i, sn := range toRead {
		report(progress, fmt.Sprintf("%d servers listed; reading candidate %d of %d: %s", len(names), i+1, len(toRead), sn))
		srv, err := client.GetServer(ctx, sn)
		if err != nil {
			return nil, addrs, err
		}
		if err := checkServiceName(srv.Name); err != nil {
			return nil, addrs, err
		}
		info := wizard.ServerInfo{Name: srv.Name, Reverse: safetext.Line(srv.Reverse), Datacenter: safetext.Line(srv.Datacenter),
			State: safetext.Line(srv.State), IP: safetext.Line(srv.IP), Read: true}
		if at := slices.Index(names, sn); at >= 0 {
			servers[at] = info
		}
	}
	r.logf("listed %d servers, read %d", len(names), len(toRead))
	return servers, addrs, nil
}

// checkServiceName refuses a server name that is not an OVH service name: the
// wizard shows names as they are, and they end up in the configuration.
func checkServiceName(sn string) error {
	if !cluster.IsServiceName(sn) {
		return fmt.Errorf("OVH answered a server name that is not a service name: %q", safetext.Line(sn))
	}
	return nil
}

// publicAddress is the first public IPv4 address among addrs, or "" when
// there is none: then only the node's name can pick a candidate.
func publicAddress(addrs []wizard.NodeAddr) string {
	for _, a := range addrs {
		if wizard.PublicIPv4(a.IP) {
			return a.IP
		}
	}
	return ""
}

func report(progress func(wizard.Result), line string) {
	if progress != nil {
		progress(wizard.DiscoveryProgress{Line: line})
	}
}
