package setup

import (
	"context"
	"slices"
	"time"

	"github.com/ovhfence/ovhfence/ovhsim"
)

// SandboxValidationDelay is how long the sandbox waits before it "clicks" a
// validation URL, so the person sees the waiting step.
const SandboxValidationDelay = 2 * time.Second

// Sandbox is the embedded simulated OVH API the wizard runs against with
// --sandbox: the seeded servers, short reboot tasks with the power-off lag, and every consumer key
// validated on the person's behalf.
type Sandbox struct {
	Endpoint  string // http://127.0.0.1:PORT/1.0
	AppKey    string
	AppSecret string
	Sim       *ovhsim.Sim
	// RebootTime is how long its reboot tasks take (the agent's reboot_time).
	RebootTime time.Duration

	server *ovhsim.Server
}

// resolve gives the sandbox's nodes the addresses of their servers (node1 →
// the first default server's): there is no DNS for them.
func (s *Sandbox) resolve(_ context.Context, node string) []string {
	if i := slices.Index(SandboxNodes, node); i >= 0 {
		return []string{ovhsim.DefaultServers()[i].IP}
	}
	return nil
}

// StartSandbox serves a simulator on 127.0.0.1 and creates its application.
// seedServers > 0 seeds that many servers (ovhsim.SeedServers), for trying a
// large account; 0 seeds the default ones. OVH's fair-use budget (60 calls a
// minute per key) is on, so that the wizard and the agent are tried under it
// every time; POST /_sim/ratelimit {"perMinute":0} switches it off.
func StartSandbox(seedServers int) (*Sandbox, error) {
	durations := ovhsim.Durations{Init: 300 * time.Millisecond, Todo: 300 * time.Millisecond, Doing: 1400 * time.Millisecond}
	cfg := ovhsim.Config{Durations: durations, PowerOffLag: ovhsim.SandboxPowerOffLag(durations), RateLimitPerMinute: ovhsim.DefaultRateLimitPerMinute}
	if seedServers > 0 {
		cfg.Servers = ovhsim.SeedServers(seedServers)
	}
	server, err := ovhsim.Start("127.0.0.1:0", cfg)
	if err != nil {
		return nil, err
	}
	sim := server.Sim
	sim.OnCredentialRequest(func(ck string) {
		time.AfterFunc(SandboxValidationDelay, func() {
			_ = sim.ValidateCredential(ck, nil) // fails only if the key was refused meanwhile
		})
	})
	ak, as := sim.CreateApp("ovhfence sandbox")
	return &Sandbox{Endpoint: server.Endpoint(), AppKey: ak, AppSecret: as, Sim: sim,
		RebootTime: durations.Init + durations.Todo + durations.Doing, server: server}, nil
}

// Close stops the simulator.
func (s *Sandbox) Close() error { return s.server.Close() }
