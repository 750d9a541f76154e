package render

import (
	"github.com/ovhfence/ovhfence/cluster"
	"github.com/ovhfence/ovhfence/fencing"
)

// TimeoutMargin is added to every Pacemaker timeout: the agent's time sync,
// its proofs' reads and a slow API answer come on top of the reboots.
const TimeoutMargin = 60

// Timing is how long fencing c's servers takes and the Pacemaker timeouts
// sized from it (issue 12's fire drill). Under Pacemaker the agent leaves the
// time limit to Pacemaker (as fence-agents do), so these are the bounds.
type Timing struct {
	// Reboot is one hard reboot in seconds: reboot_time as setup's live test
	// measured it (request to verified read-back, the longer of off and on),
	// else what the agent assumes (fencing.TypicalRebootTime).
	Reboot   int
	Measured bool
	// Off and Cycle are pcmk_off_timeout and pcmk_reboot_timeout without the
	// node's delay: 1.5 × the reboots of their sequence (off; off then on, as
	// method=onoff does) + TimeoutMargin.
	Off, Cycle int
	Margin     int
}

// TimingOf sizes c's timeouts.
func TimingOf(c *cluster.Cluster) Timing {
	t := Timing{Reboot: int(fencing.TypicalRebootTime.Seconds()), Margin: TimeoutMargin}
	if c.RebootTime > 0 {
		t.Reboot, t.Measured = c.RebootTime, true
	}
	t.Off = headroom(t.Reboot) + TimeoutMargin
	t.Cycle = headroom(2*t.Reboot) + TimeoutMargin
	return t
}

// headroom is 1.5 × seconds, rounded up: a reboot may be slower than the one measured.
func headroom(seconds int) int { return (3*seconds + 1) / 2 }

// offTimeout bounds one "off" of n: its fence delay, then one reboot.
func offTimeout(c *cluster.Cluster, n cluster.Node) int {
	return n.Delay + TimingOf(c).Off
}

// rebootTimeout bounds one "reboot" of n: its delay, then two reboots (the
// agent's method=onoff does off, then on; cycle does one).
func rebootTimeout(c *cluster.Cluster, n cluster.Node) int {
	return n.Delay + TimingOf(c).Cycle
}

// stonithTimeout is the cluster-wide fencing timeout: every device's longest action.
func stonithTimeout(c *cluster.Cluster) int {
	longest := 0
	for _, n := range c.Nodes {
		longest = max(longest, rebootTimeout(c, n))
	}
	return longest
}
