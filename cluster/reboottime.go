package cluster

import "time"

// RecordRebootTime stores what setup's live test measured: the longer of the
// off and the return to disk, each from the reboot request to the verified
// read-back, rounded up to whole seconds. The agent's own wait
// (power_timeout) is raised, when needed, to 1.5 times that, the headroom
// the Pacemaker timeouts keep too: these servers reboot slowly, and a fence
// must not fail for it. Nothing measured (both 0) records nothing.
func (c *Cluster) RecordRebootTime(off, on time.Duration) {
	longest := max(off, on)
	if longest <= 0 {
		return
	}
	c.RebootTime = max(int((longest+time.Second-1)/time.Second), 1)
	c.PowerTimeout = min(max(c.PowerTimeout, (3*c.RebootTime+1)/2), MaxPowerTimeout)
}
