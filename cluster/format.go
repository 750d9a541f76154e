package cluster

import (
	"bytes"
	"fmt"
)

// Format writes c as a commented cluster file that Parse reads back to the same cluster.
func Format(c *Cluster) []byte {
	var b bytes.Buffer
	b.WriteString(`# ovhfence cluster file: which cluster node runs on which OVH server, and how
# fencing behaves. "ovhfence render" turns it into cluster.conf, pcs or crm
# configuration. It holds no secrets: the OVH keys live in the credentials file.

[cluster]
`)
	fmt.Fprintf(&b, "name = %s\n", c.Name)
	b.WriteString("# pve3 (Proxmox VE 3: cman, cluster.conf) | pcs | crm (Pacemaker)\n")
	fmt.Fprintf(&b, "target = %s\n", c.Target)
	b.WriteString("# OVH API: ovh-eu | ovh-ca | ovh-us | kimsufi-eu | kimsufi-ca | soyoustart-eu | soyoustart-ca | a URL\n")
	fmt.Fprintf(&b, "endpoint = %s\n", c.Endpoint)
	b.WriteString("# the ovh.conf holding the application key, secret and consumer key (mode 0600)\n")
	fmt.Fprintf(&b, "credentials = %s\n", c.Credentials)
	b.WriteString("# rescue: reboot into the rescue system | poweroff: the power netboot, the server stops\n")
	fmt.Fprintf(&b, "fence_mode = %s\n", c.FenceMode)
	b.WriteString("# what the cluster asks when it fences a node: off | reboot\n")
	fmt.Fprintf(&b, "action = %s\n", c.Action)
	b.WriteString("# seconds the agent waits for one OVH reboot task\n")
	fmt.Fprintf(&b, "power_timeout = %d\n", c.PowerTimeout)
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
