package render

import (
	"strings"

	"github.com/ovhfence/ovhfence/cluster"
)

// pmxcfsRoot is Proxmox's cluster file system, replicated to every node.
const pmxcfsRoot = "/etc/pve/"

// NextSteps is what the admin does after the files are written: validate and
// activate (Proxmox VE 3) or run the script (Pacemaker), join the fence domain,
// copy the credentials where needed, and test without fencing first.
func NextSteps(c *cluster.Cluster) string {
	view := struct {
		*cluster.Cluster
		FirstDevice, FirstServer string
		Replicated               bool
		Timing                   Timing
		StonithTimeout           int
	}{
		Cluster:        c,
		Replicated:     c.Target == cluster.TargetPVE3 && strings.HasPrefix(c.Credentials, pmxcfsRoot),
		FirstDevice:    DeviceName(c.Nodes[0].Name),
		FirstServer:    c.Nodes[0].Server,
		Timing:         TimingOf(c),
		StonithTimeout: stonithTimeout(c),
	}
	out, err := execute("next-steps.tmpl", view)
	if err != nil {
		panic(err) // the embedded template is fixed; tests execute it for every target
	}
	return string(out)
}
