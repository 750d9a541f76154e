package cluster

import (
	"bytes"
	"fmt"
	"strconv"
)

// Format writes c as a commented cluster file that Parse reads back to the same cluster.
func Format(c *Cluster) []byte {
	var b bytes.Buffer
	b.WriteString(`# ovhfence cluster file: which cluster node runs on which OVH server, and how
# fencing behaves. "ovhfence render" turns it into cluster.conf, pcs or crm
# configuration. It holds no secrets: the OVH keys live in the credentials file.

[cluster]
`)
	fields := []struct{ comment, key, value string }{
		{"", "name", c.Name},
		{"pve3 (Proxmox VE 3: cman, cluster.conf) | pcs | crm (Pacemaker)", "target", string(c.Target)},
		{"OVH API: ovh-eu | ovh-ca | ovh-us | kimsufi-eu | kimsufi-ca | soyoustart-eu | soyoustart-ca | a URL", "endpoint", c.Endpoint},
		{"the ovh.conf holding the application key, secret and consumer key (mode 0600)", "credentials", c.Credentials},
		{"rescue: reboot into the rescue system | poweroff: the power netboot, the server stops", "fence_mode", string(c.FenceMode)},
		{"what the cluster asks when it fences a node: off | reboot", "action", string(c.Action)},
		{"seconds the agent waits for one OVH reboot task (under Pacemaker its own timeouts bound a fence instead)", "power_timeout", strconv.Itoa(c.PowerTimeout)},
	}
	if c.RebootTime > 0 {
		fields = append(fields, struct{ comment, key, value string }{
			"seconds a hard reboot took in setup's live test (request to verified read-back, the longer of off and on); absent: not measured, 150 s assumed",
			"reboot_time", strconv.Itoa(c.RebootTime)})
	}
	if c.NoIntervention != "" {
		fields = append(fields, struct{ comment, key, value string }{
			"set: setup turned on noIntervention (no OVH technician when a powered-off server stops answering ping) | unchanged",
			"no_intervention", c.NoIntervention})
	}
	for _, f := range fields {
		if f.comment != "" {
			fmt.Fprintf(&b, "# %s\n", f.comment)
		}
		fmt.Fprintf(&b, "%s = %s\n", f.key, f.value)
	}
	b.WriteString(`
# One section per cluster node: [node "<cluster node name>"]
#   server    the node's OVH service name (the agent's plug)
#   *_boot_id the server's boot IDs; 0 lets the agent look them up at fence time
#   delay     seconds to wait before fencing this node: of two nodes, the one with
#             the larger delay survives a fence race
`)
	for _, n := range c.Nodes {
		fmt.Fprintf(&b, "\n[node %q]\n", n.Name)
		fmt.Fprintf(&b, "server = %s\n", n.Server)
		for _, id := range n.bootIDs() {
			fmt.Fprintf(&b, "%s = %d\n", id.key, id.id)
		}
		fmt.Fprintf(&b, "delay = %d\n", n.Delay)
	}
	return b.Bytes()
}
