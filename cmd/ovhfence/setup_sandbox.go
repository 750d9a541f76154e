package main

import (
	"github.com/ovhfence/ovhfence/ovhsim"
	"github.com/ovhfence/ovhfence/setup"
)

// sandboxData hands the wizard the simulator main started as plain data:
// nothing on the wizard side (wizard, setup, tui) imports ovhsim.
func sandboxData(sim *ovhsim.WizardSandbox) *setup.Sandbox {
	return &setup.Sandbox{Endpoint: sim.Endpoint(), AppKey: sim.AppKey, AppSecret: sim.AppSecret,
		RebootTime: sim.RebootTime, Nodes: sim.Nodes, NodeAddrs: sim.NodeAddrs}
}
