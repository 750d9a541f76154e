package render

import (
	"strconv"

	"github.com/ovhfence/ovhfence/cluster"
)

// MonitorInterval is how often Pacemaker checks each device. Each monitor is one
// authenticated OVH API call, so it is kept well above the API's rate limits.
const MonitorInterval = "60s"

// OpTimeout bounds a device's start and monitor, which both run the agent's
// monitor: a time sync (login_timeout, 5 s) and one API read tried up to 4 times
// (shell_timeout, 15 s each) with backoff between, about 75 s at worst. Pacemaker's
// default of 20 s would fail a device over one slow answer, and a failed start
// keeps it stopped on that node until a cleanup.
const OpTimeout = "120s"

// PcsScript is a reviewable shell script that adds c's fencing with pcs, editing
// the CIB offline and pushing it in one step.
func PcsScript(c *cluster.Cluster) ([]byte, error) {
	return pacemakerScript(c, "pcs.sh.tmpl")
}

// CrmScript is the same configuration in crmsh configure syntax, for
// "crm -f FILE configure" (or "crm configure load update FILE").
func CrmScript(c *cluster.Cluster) ([]byte, error) {
	return pacemakerScript(c, "crm.tmpl")
}

func pacemakerScript(c *cluster.Cluster, template string) ([]byte, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return execute(template, newPacemakerView(c))
}

// pacemakerView is what the pcs and crm templates show.
type pacemakerView struct {
	Cluster                    *cluster.Cluster
	Devices                    []stonithDevice
	Properties                 []param
	Timing                     Timing
	MonitorInterval, OpTimeout string
	Survivor                   string // two nodes: the one a fence race leaves running; else ""
}

// stonithDevice is the stonith resource that fences Node.
type stonithDevice struct {
	Name, Node, Server string
	AgentParams        []param
	PcmkParams         []param
}

func newPacemakerView(c *cluster.Cluster) pacemakerView {
	v := pacemakerView{Cluster: c, Timing: TimingOf(c), MonitorInterval: MonitorInterval, OpTimeout: OpTimeout}
	for _, n := range c.Nodes {
		v.Devices = append(v.Devices, stonithDevice{
			Name:        DeviceName(n.Name),
			Node:        n.Name,
			Server:      n.Server,
			AgentParams: agentParams(c, n),
			PcmkParams:  pcmkParams(c, n),
		})
	}
	v.Properties = []param{
		{"stonith-enabled", "true"},
		{"stonith-action", string(c.Action)},
		{"stonith-timeout", seconds(stonithTimeout(c))},
	}
	if len(c.Nodes) == 2 {
		v.Survivor = c.Nodes[0].Name
		if c.Nodes[1].Delay > c.Nodes[0].Delay {
			v.Survivor = c.Nodes[1].Name
		}
	}
	return v
}

// pcmkParams tell Pacemaker which node the device fences and how long to allow.
// The target goes to the agent only as our plug parameter: pcmk_host_argument=none
// stops the fencer from also sending plug=<node name> (reference/fence-agent-api.md §5).
func pcmkParams(c *cluster.Cluster, n cluster.Node) []param {
	params := []param{{"pcmk_host_list", n.Name}, {"pcmk_host_argument", "none"}}
	if n.Delay > 0 {
		params = append(params, param{"pcmk_delay_base", seconds(n.Delay)})
	}
	return append(params,
		param{"pcmk_off_timeout", seconds(offTimeout(c, n))},
		param{"pcmk_reboot_timeout", seconds(rebootTimeout(c, n))})
}

func seconds(n int) string { return strconv.Itoa(n) + "s" }
