// Package render turns a cluster model into the files a cluster stack reads:
// cluster.conf for Proxmox VE 3 (merged with etree), pcs and crm scripts for
// Pacemaker. Renderers are pure: bytes out. Writing them is atomicfile's,
// and ovh.conf's format is ovhapi's.
package render

import (
	"strconv"

	"github.com/ovhfence/ovhfence/cluster"
)

// AgentName is the fence agent every device uses.
const AgentName = "fence_ovh"

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
	params = append(params, param{"power_timeout", strconv.Itoa(c.PowerTimeout)})
	if c.RebootTime > 0 {
		params = append(params, param{"reboot_time", strconv.Itoa(c.RebootTime)})
	}
	return params
}

// idString is "" for an unset boot ID, which the agent then looks up itself.
func idString(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}
