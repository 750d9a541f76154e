package setup

import (
	"testing"

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
