package wizard

import (
	"strings"

	"github.com/ovhfence/ovhfence/cluster"
)

func serverNames(servers []ServerInfo) []string {
	names := make([]string, len(servers))
	for i, srv := range servers {
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

// hostMatches reports whether host is node or node's fully qualified name.
func hostMatches(host, node string) bool {
	host, node = strings.ToLower(strings.TrimSuffix(host, ".")), strings.ToLower(node)
	return host == node || strings.HasPrefix(host, node+".")
}
