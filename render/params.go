// Package render turns a cluster model into the files a cluster stack reads:
// cluster.conf for Proxmox VE 3 (merged with etree), pcs and crm scripts for
// Pacemaker, and ovh.conf. Renderers are pure functions; the Write* helpers
// store their output atomically.
package render

import (
	"strconv"

	"github.com/ovhfence/ovhfence/cluster"
)

// AgentName is the fence agent every device uses.
const AgentName = "fence_ovh"

// TimeoutMargin is added to the agent's longest wait so that Pacemaker never kills
// an agent that is still, legitimately, waiting for OVH.
const TimeoutMargin = 60

// param is one agent or Pacemaker parameter, kept in the order it is written.
type param struct {
	Key, Value string
}

// DeviceName is the fence device (cluster.conf) or stonith resource (Pacemaker)
// that fences node.
func DeviceName(node string) string { return "fence_ovh_" + node }

// agentParams are the agent's parameters for fencing n: ours only, never a
// secret (the agent reads those from ovh_config, DESIGN.md D4), and only the
// boot IDs the fence mode uses.
func agentParams(c *cluster.Cluster, n cluster.Node) []param {
	params := []param{
		{"plug", n.Server},
		{"endpoint", c.Endpoint},
		{"ovh_config", c.Credentials},
		{"fence_mode", string(c.FenceMode)},
	}
	offBoot := param{"rescue_boot_id", idString(n.RescueBootID)}
	if c.FenceMode == cluster.FencePoweroff {
		offBoot = param{"power_boot_id", idString(n.PowerBootID)}
	}
	for _, p := range []param{offBoot, {"disk_boot_id", idString(n.DiskBootID)}} {
		if p.Value != "" {
			params = append(params, p)
		}
	}
	return append(params, param{"power_timeout", strconv.Itoa(c.PowerTimeout)})
}

// idString is "" for an unset boot ID, which the agent then looks up itself.
func idString(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// offTimeout bounds one "off": the fence delay, then one OVH reboot task.
func offTimeout(c *cluster.Cluster, n cluster.Node) int {
	return n.Delay + c.PowerTimeout + TimeoutMargin
}

// rebootTimeout bounds one "reboot": the delay, then up to two OVH reboot tasks
// (the agent's method=onoff does off, then on; cycle does one).
func rebootTimeout(c *cluster.Cluster, n cluster.Node) int {
	return n.Delay + 2*c.PowerTimeout + TimeoutMargin
}

// stonithTimeout is the cluster-wide fencing timeout: at least every device's longest action.
func stonithTimeout(c *cluster.Cluster) int {
	longest := 0
	for _, n := range c.Nodes {
		longest = max(longest, rebootTimeout(c, n))
	}
	return longest
}
