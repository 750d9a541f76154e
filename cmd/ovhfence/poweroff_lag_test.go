package main

import (
	"strings"
	"testing"
	"time"
)

// With OVH's power-off lag (reference §3.6: powerState reads poweron for a
// while after the power-off request), off in poweroff mode reports success
// only once powerState reads poweroff, whether the lag ends before or after
// the reboot task is done (task: 0.5 s here), and fails at its deadline.
func TestPoweroffModeWaitsForTheLag(t *testing.T) {
	for _, lag := range []time.Duration{300 * time.Millisecond, 2 * time.Second} {
		e := newSimEnv(t)
		e.sim.SetPowerOffLag(lag)
		s := seed(0)
		start := time.Now()
		res := e.run(t, e.stdin("off", s.Name, append(bootParams(s), "fence_mode=poweroff")...))
		elapsed := time.Since(start)
		if res.code != 0 || res.stdout != "Success: Powered OFF\n" {
			t.Fatalf("lag %v: code %d stdout %q stderr %q", lag, res.code, res.stdout, res.stderr)
		}
		if elapsed < lag {
			t.Fatalf("lag %v: success after %v, before the server went dark", lag, elapsed)
		}
		if state, _ := e.sim.ServerState(s.Name); state.PowerState != "poweroff" {
			t.Fatalf("lag %v: success printed, server %+v", lag, state)
		}
	}
	e := newSimEnv(t)
	e.sim.SetPowerOffLag(time.Minute)
	s := seed(0)
	res := e.run(t, e.stdin("off", s.Name, append(bootParams(s), "fence_mode=poweroff", "power_timeout=3")...))
	if res.code != 1 || strings.Contains(res.stdout, "Success") || !strings.Contains(res.stdout+res.stderr, "powerState") {
		t.Fatalf("lag past the deadline: code %d stdout %q stderr %q", res.code, res.stdout, res.stderr)
	}
}
