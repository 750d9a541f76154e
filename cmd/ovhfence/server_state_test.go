package main

import (
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/ovhsim"
)

// fence_ovh warns about a server OVH reports as hacked and fences it anyway;
// check warns too, without failing the key.
func TestServerStateIsWarnedAbout(t *testing.T) {
	e := newSimEnv(t)
	s := seed(1)
	hacked := "hacked"
	if err := e.sim.SetServerFields(s.Name, ovhsim.ServerFields{State: &hacked}); err != nil {
		t.Fatal(err)
	}
	res := e.run(t, e.stdin("off", s.Name, bootParams(s)...))
	if res.code != 0 || res.stdout != "Success: Powered OFF\n" || !strings.Contains(res.stderr, "WARNING") ||
		!strings.Contains(res.stderr, s.Name+" in state hacked") {
		t.Fatalf("off: code %d stdout %q stderr %q", res.code, res.stdout, res.stderr)
	}
	clearOVHEnv(t)
	check := runInProcess("check", "--config", e.conf, "--server", strings.Join(e.servers, ","))
	if check.code != 0 || !strings.Contains(check.stdout, "WARN: OVH reports server "+s.Name+" in state hacked") || !strings.Contains(check.stdout, "OK: ") {
		t.Fatalf("check: exit %d\n%s%s", check.code, check.stdout, check.stderr)
	}
}
