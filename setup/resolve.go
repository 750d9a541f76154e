package setup

import (
	"context"
	"net/netip"
	"os/exec"
	"strings"
	"time"

	"github.com/ovhfence/ovhfence/wizard"
)

// nodeAddrs resolves each node's name to its IPv4 addresses, the evidence
// that matches a node to the server whose main address it is.
func (r *Runner) nodeAddrs(ctx context.Context, nodes []string) map[string][]wizard.NodeAddr {
	addrs := map[string][]wizard.NodeAddr{}
	for _, node := range nodes {
		for _, ip := range r.opts.Resolve(ctx, node) {
			addrs[node] = append(addrs[node], wizard.NodeAddr{IP: ip, Source: "getent ahostsv4 " + node})
		}
	}
	r.logf("resolved %d of %d node names", len(addrs), len(nodes))
	return addrs
}

// getentIPv4 asks the system resolver (NSS: /etc/hosts, DNS, …) as
// `getent ahostsv4 NODE` does; nothing when it fails or finds nothing.
func getentIPv4(ctx context.Context, node string) []string {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "getent", "ahostsv4", "--", node).Output()
	if err != nil {
		return nil
	}
	return parseAhosts(string(out))
}

// parseAhosts reads getent ahostsv4's "ADDRESS STREAM NAME" lines into distinct IPv4 addresses.
func parseAhosts(out string) []string {
	var ips []string
	seen := map[string]bool{}
	for _, line := range strings.Split(out, "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if a, err := netip.ParseAddr(fields[0]); err == nil && a.Is4() && !seen[fields[0]] {
			seen[fields[0]] = true
			ips = append(ips, fields[0])
		}
	}
	return ips
}
