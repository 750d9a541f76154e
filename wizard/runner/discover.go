package runner

import (
	"context"
	"fmt"
	"net/netip"
	"slices"

	"github.com/ovhfence/ovhfence/wizard"
)

// discoverServers reads the servers named, or else lists the account's
// servers in one call and reads only the nodes' candidates (at most
// wizard.MaxCandidates each, found from the names and the nodes' public
// addresses), so that an account with hundreds of servers costs a handful of
// calls. The others are listed by name for the person to pick from.
func (r *Runner) discoverServers(ctx context.Context, w wizard.EffectDiscoverServers, progress func(wizard.Result)) ([]wizard.ServerInfo, error) {
	client, err := r.client(w.Config)
	if err != nil {
		return nil, err
	}
	names, toRead := w.Names, w.Names
	if len(names) == 0 {
		if names, err = client.ListServers(ctx); err != nil {
			return nil, err
		}
		toRead = nil
		for _, node := range w.Nodes {
			addr := r.publicAddress(ctx, node)
			candidates := wizard.Candidates(node, addr, names)
			r.logf("node %s (address %q): candidates %v", node, addr, candidates)
			for _, sn := range candidates {
				if !slices.Contains(toRead, sn) {
					toRead = append(toRead, sn)
				}
			}
		}
	}
	servers := make([]wizard.ServerInfo, len(names))
	for i, sn := range names {
		servers[i] = wizard.ServerInfo{Name: sn}
	}
	for i, sn := range toRead {
		report(progress, fmt.Sprintf("%d servers listed; reading candidate %d of %d: %s", len(names), i+1, len(toRead), sn))
		srv, err := client.GetServer(ctx, sn)
		if err != nil {
			return nil, err
		}
		info := wizard.ServerInfo{Name: srv.Name, Reverse: srv.Reverse, Datacenter: srv.Datacenter, State: srv.State, Read: true}
		if at := slices.Index(names, sn); at >= 0 {
			servers[at] = info
		}
	}
	r.logf("listed %d servers, read %d", len(names), len(toRead))
	return servers, nil
}

// publicAddress is node's first public IPv4 address, or "" when it has none
// or does not resolve: then only its name can match a server's.
func (r *Runner) publicAddress(ctx context.Context, node string) string {
	addrs, err := r.opts.LookupHost(ctx, node)
	if err != nil {
		r.logf("resolving node %s: %v", node, err)
		return ""
	}
	for _, a := range addrs {
		ip, err := netip.ParseAddr(a)
		if err == nil && ip.Is4() && ip.IsGlobalUnicast() && !ip.IsPrivate() {
			return ip.String()
		}
	}
	return ""
}

func report(progress func(wizard.Result), line string) {
	if progress != nil {
		progress(wizard.DiscoveryProgress{Line: line})
	}
}
