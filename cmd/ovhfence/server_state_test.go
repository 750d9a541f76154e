package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/cluster"
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

// check warns, in poweroff mode only, about each server OVH monitors with
// proactive intervention (reference §3.7): once powered off it stops
// answering ping. noIntervention silences it.
func TestCheckWarnsAboutInterventionInPoweroffMode(t *testing.T) {
	clearOVHEnv(t)
	e := newSimEnv(t)
	noIntervention := true
	if err := e.sim.SetServerFields(e.servers[0], ovhsim.ServerFields{NoIntervention: &noIntervention}); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []cluster.FenceMode{cluster.FenceRescue, cluster.FencePoweroff} {
		c := cluster.New("alpha", cluster.TargetPcs)
		c.Endpoint, c.Credentials, c.FenceMode = e.endpoint, e.conf, mode
		for i, sn := range e.servers {
			n := cluster.NewNode(fmt.Sprintf("node%d", i+1), sn)
			n.RescueBootID, n.PowerBootID = seed(i).RescueBootID, seed(i).PowerBootID
			c.Nodes = append(c.Nodes, n)
		}
		res := runInProcess("check", "--cluster", writeFile(t, string(mode)+".cluster", string(cluster.Format(c))))
		warned := strings.Count(res.stdout, "WARN: server ")
		want := map[cluster.FenceMode]int{cluster.FenceRescue: 0, cluster.FencePoweroff: len(e.servers) - 1}[mode]
		if res.code != 0 || warned != want || strings.Contains(res.stdout, "WARN: server "+e.servers[0]) {
			t.Errorf("%s mode: exit %d, %d intervention warnings, want %d:\n%s%s", mode, res.code, warned, want, res.stdout, res.stderr)
		}
	}
}
