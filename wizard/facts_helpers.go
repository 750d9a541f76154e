package wizard

import (
	"slices"
	"strings"

	"github.com/ovhfence/ovhfence/cluster"
)

func (f Facts) serverNames() []string {
	names := make([]string, len(f.Servers))
	for i, srv := range f.Servers {
		names[i] = srv.Name
	}
	return names
}

// WithoutPower lists the servers that have no power netboot.
func (f Facts) WithoutPower(servers []string) []string {
	var missing []string
	for _, sn := range servers {
		if f.Boots[sn].Power == 0 {
			missing = append(missing, sn)
		}
	}
	return missing
}

// DefaultMode is poweroff when every server can really be stopped, rescue otherwise.
func (f Facts) DefaultMode(servers []string) cluster.FenceMode {
	if len(f.WithoutPower(servers)) == 0 {
		return cluster.FencePoweroff
	}
	return cluster.FenceRescue
}

// AutoMap proposes a server for each node: the given mapping where it names a
// known server, then a server whose reverse or name starts with the node's
// name, then the remaining servers that were read (a node's candidates) in
// order; a node still without one is left for the person to pick from the
// list. The person confirms or fixes it.
func AutoMap(nodes []string, servers []ServerInfo, given map[string]string) map[string]string {
	mapping := map[string]string{}
	taken := map[string]bool{}
	assign := func(node, sn string) {
		mapping[node] = sn
		taken[sn] = true
	}
	known := func(sn string) bool {
		return slices.ContainsFunc(servers, func(srv ServerInfo) bool { return srv.Name == sn })
	}
	for _, node := range nodes {
		if sn := given[node]; sn != "" && known(sn) && !taken[sn] {
			assign(node, sn)
		}
	}
	for _, node := range nodes {
		if mapping[node] != "" {
			continue
		}
		for _, srv := range servers {
			if !taken[srv.Name] && (hostMatches(srv.Reverse, node) || hostMatches(srv.Name, node)) {
				assign(node, srv.Name)
				break
			}
		}
	}
	for _, node := range nodes {
		for _, srv := range servers {
			if mapping[node] != "" {
				break
			}
			if !taken[srv.Name] && srv.Read {
				assign(node, srv.Name)
			}
		}
	}
	return mapping
}

// hostMatches reports whether host is node or node's fully qualified name.
func hostMatches(host, node string) bool {
	host, node = strings.ToLower(strings.TrimSuffix(host, ".")), strings.ToLower(node)
	return host == node || strings.HasPrefix(host, node+".")
}
