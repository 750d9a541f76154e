package setup

import (
	"context"
	"testing"
	"time"

	"github.com/ovhfence/ovhfence/fencing"
	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/ovhsim"
)

// startSandbox starts the wizard's simulator, as main does, and hands it to
// the runner as plain data; the simulator itself is for the test's own checks.
func startSandbox(t *testing.T, seedServers int) (*ovhsim.WizardSandbox, *Sandbox) {
	t.Helper()
	sim, err := ovhsim.StartWizardSandbox(seedServers)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	return sim, &Sandbox{Endpoint: sim.Endpoint(), AppKey: sim.AppKey, AppSecret: sim.AppSecret,
		RebootTime: sim.RebootTime, Nodes: sim.Nodes, NodeAddrs: sim.NodeAddrs}
}

// fenceTestRunner is a runner on a sandbox ready for a fence test of default
// server i in poweroff mode: a fencing key that may also read its netboots,
// the target with the netboots it found, and a client with that key.
func fenceTestRunner(t *testing.T, i int, outDir string) (*Runner, ovhapi.Config, fencing.Target, *ovhapi.Client) {
	t.Helper()
	sim, sb := startSandbox(t, 0)
	sn := ovhsim.DefaultServers()[i].Name
	rules := append(ovhsim.FencingRules(sn), ovhsim.Rule{Method: "GET", Path: "/dedicated/server/" + sn + "/boot*"})
	ak, as, ck := sim.CreateToken(rules)
	cfg := ovhapi.Config{Endpoint: sb.Endpoint, ApplicationKey: ak, ApplicationSecret: as, ConsumerKey: ck}
	r := New(Options{Sandbox: sb, FencePoll: 50 * time.Millisecond, OutDir: outDir})
	client, err := r.client(cfg)
	if err != nil {
		t.Fatal(err)
	}
	boots, err := fencing.DiscoverBoots(context.Background(), client, sn)
	if err != nil {
		t.Fatal(err)
	}
	return r, cfg, fencing.Target{Server: sn, Mode: fencing.ModePoweroff, Boots: boots}, client
}
