package setup

import (
	"context"
	"time"
)

// Sandbox is the simulated OVH API the wizard runs against with --sandbox,
// as main hands it over (ovhsim.StartWizardSandbox): plain data, so nothing
// on the wizard side imports the simulator.
type Sandbox struct {
	Endpoint  string // http://127.0.0.1:PORT/1.0
	AppKey    string
	AppSecret string
	// RebootTime is how long its reboot tasks take (the agent's reboot_time).
	RebootTime time.Duration
	// Nodes are the sandbox's cluster nodes when no cluster file is given,
	// and NodeAddrs their servers' IPv4 addresses: there is no DNS for them.
	Nodes     []string
	NodeAddrs map[string][]string
	// SeedServers is how many servers --seed-servers gave it, 0 for its four.
	SeedServers int
}

// resolve gives the sandbox's nodes the addresses of their servers.
func (s *Sandbox) resolve(_ context.Context, node string) []string {
	return s.NodeAddrs[node]
}
