package ovhsim

import (
	"strings"
	"time"
)

// WizardValidationDelay is how long the wizard's sandbox waits before it
// "clicks" a validation URL, so the person sees the waiting step.
const WizardValidationDelay = 2 * time.Second

// WizardSandbox is the simulator `ovhfence --sandbox` runs the setup wizard
// against: the seeded servers, short reboot tasks with the power-off lag,
// OVH's fair-use budget, and every consumer key validated on the person's
// behalf. main starts it and hands the wizard its endpoint, keys and nodes as
// plain data, so nothing on the wizard side imports this package.
type WizardSandbox struct {
	*Server
	AppKey, AppSecret string
	// RebootTime is how long its reboot tasks take (the agent's reboot_time).
	RebootTime time.Duration
	// Nodes are the sandbox's cluster nodes (node1…node3, which the default
	// servers' reverses name), and NodeAddrs their servers' addresses: there
	// is no DNS for them.
	Nodes     []string
	NodeAddrs map[string][]string
}

// StartWizardSandbox serves a simulator on 127.0.0.1 and creates its
// application. seedServers > 0 seeds that many servers (SeedServers), for
// trying a large account; 0 seeds the default ones. OVH's budget (60 calls a
// minute per key) is on, so that the wizard and the agent are tried under it
// every time; POST /_sim/ratelimit {"perMinute":0} switches it off.
func StartWizardSandbox(seedServers int) (*WizardSandbox, error) {
	durations := Durations{Init: 300 * time.Millisecond, Todo: 300 * time.Millisecond, Doing: 1400 * time.Millisecond}
	cfg := Config{Durations: durations, PowerOffLag: SandboxPowerOffLag(durations), RateLimitPerMinute: DefaultRateLimitPerMinute}
	if seedServers > 0 {
		cfg.Servers = SeedServers(seedServers)
	}
	server, err := Start("127.0.0.1:0", cfg)
	if err != nil {
		return nil, err
	}
	sim := server.Sim
	sim.OnCredentialRequest(func(ck string) {
		time.AfterFunc(WizardValidationDelay, func() {
			_ = sim.ValidateCredential(ck, nil) // fails only if the key was refused meanwhile
		})
	})
	ak, as := sim.CreateApp("ovhfence sandbox")
	sb := &WizardSandbox{Server: server, AppKey: ak, AppSecret: as, RebootTime: durations.total(), NodeAddrs: map[string][]string{}}
	for _, seed := range DefaultServers()[:3] {
		node, _, _ := strings.Cut(seed.Reverse, ".")
		sb.Nodes = append(sb.Nodes, node)
		sb.NodeAddrs[node] = []string{seed.IP}
	}
	return sb, nil
}
