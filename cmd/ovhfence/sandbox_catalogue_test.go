package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/cluster"
)

// runSandboxSetup runs setup --sandbox --yes with extra flags and returns the
// cluster file it wrote (nil if it failed) and stderr.
func runSandboxSetup(t *testing.T, flags ...string) (*cluster.Cluster, string) {
	t.Helper()
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	args := append([]string{"--sandbox", "--yes", "--out", dir}, flags...)
	if code := runSetup(args, strings.NewReader(""), &stdout, &stderr); code != 0 {
		return nil, stderr.String()
	}
	c, err := cluster.Load(filepath.Join(dir, "sandbox.cluster"))
	if err != nil {
		t.Fatal(err)
	}
	return c, stderr.String()
}

// With default answers, the sandbox (today's catalogues, reference §3.3)
// maps every node on its reverse, picks rescue12-customer and never the
// ipxe-shell beside it, the legacy server's rescue64-pro, and poweroff
// because every mapped server has a power netboot; it names each netboot.
func TestSandboxSetupPicksTodaysNetboots(t *testing.T) {
	c, stderr := runSandboxSetup(t)
	if c == nil {
		t.Fatalf("setup failed:\n%s", stderr)
	}
	want := []struct {
		node, server  string
		rescue, power int64
	}{
		{"node1", "ns567890.ip-123-22-44.eu", 230242, 95083},
		{"node2", "ns567891.ip-123-22-45.eu", 230287, 95117},
		{"node3", "ns567892.ip-123-22-46.eu", 1122, 95160},
	}
	if c.FenceMode != cluster.FencePoweroff || len(c.Nodes) != len(want) {
		t.Fatalf("mode %s, %d nodes; want poweroff and 3 nodes", c.FenceMode, len(c.Nodes))
	}
	for i, w := range want {
		n := c.Nodes[i]
		if n.Name != w.node || n.Server != w.server || n.RescueBootID != w.rescue || n.PowerBootID != w.power {
			t.Errorf("node %d = %+v, want %+v", i, n, w)
		}
	}
	for _, description := range []string{"Customer rescue system (Debian-12-based)", "Rescue64 pro", "Power-off server"} {
		if !strings.Contains(stderr, description) {
			t.Errorf("the wizard does not show the netboot %q:\n%s", description, stderr)
		}
	}
}

// A node on the range without a power netboot: rescue is the default, and
// poweroff is refused.
func TestSandboxSetupWithoutPowerNetboot(t *testing.T) {
	noPower := "node3=ns567893.ip-123-22-47.eu"
	c, stderr := runSandboxSetup(t, "--map", noPower)
	if c == nil || c.FenceMode != cluster.FenceRescue || c.Nodes[2].RescueBootID != 46502 || c.Nodes[2].PowerBootID != 0 {
		t.Fatalf("got %+v; want rescue mode with node3's rescue-customer 46502 and no power netboot:\n%s", c, stderr)
	}
	if c, stderr := runSandboxSetup(t, "--map", noPower, "--fence-mode", "poweroff"); c != nil || !strings.Contains(stderr, "ns567893.ip-123-22-47.eu") {
		t.Fatalf("poweroff accepted with a server that has no power netboot: %+v\n%s", c, stderr)
	}
}

// The sandbox's servers have OVH monitoring with interventions: in poweroff
// mode, --no-intervention set turns it off with the fencing key and the
// cluster file says so; without the flag nothing on OVH changes.
func TestSandboxSetupNoIntervention(t *testing.T) {
	for flag, want := range map[string]string{"": cluster.NoInterventionUnchanged, "set": cluster.NoInterventionSet} {
		var flags []string
		if flag != "" {
			flags = []string{"--no-intervention", flag}
		}
		c, stderr := runSandboxSetup(t, flags...)
		if c == nil || c.FenceMode != cluster.FencePoweroff || c.NoIntervention != want {
			t.Fatalf("--no-intervention %q: %+v; want poweroff and no_intervention = %s\n%s", flag, c, want, stderr)
		}
		if setting := strings.Contains(stderr, "Setting noIntervention on ns567890.ip-123-22-44.eu"); setting != (want == cluster.NoInterventionSet) {
			t.Errorf("--no-intervention %q: setting noIntervention shown: %v\n%s", flag, setting, stderr)
		}
	}
}
