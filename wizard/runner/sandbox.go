package runner

import (
	"net"
	"net/http"
	"time"

	"github.com/ovhfence/ovhfence/ovhsim"
)

// SandboxValidationDelay is how long the sandbox waits before it "clicks" a
// validation URL, so the person sees the waiting step.
const SandboxValidationDelay = 2 * time.Second

// Sandbox is the embedded simulated OVH API the wizard runs against with
// --sandbox: three seeded servers, short reboot tasks, and every consumer key
// validated on the person's behalf.
type Sandbox struct {
	Endpoint  string // http://127.0.0.1:PORT/1.0
	AppKey    string
	AppSecret string
	Sim       *ovhsim.Sim

	server *http.Server
}

// StartSandbox serves a simulator on 127.0.0.1 and creates its application.
func StartSandbox() (*Sandbox, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	sim := ovhsim.New(ovhsim.Config{Durations: ovhsim.Durations{
		Init: 300 * time.Millisecond, Todo: 300 * time.Millisecond, Doing: 1400 * time.Millisecond,
	}})
	sim.OnCredentialRequest(func(ck string) {
		time.AfterFunc(SandboxValidationDelay, func() {
			_ = sim.ValidateCredential(ck, nil) // fails only if the key was refused meanwhile
		})
	})
	ak, as := sim.CreateApp("ovhfence sandbox")
	sb := &Sandbox{
		Endpoint: "http://" + ln.Addr().String() + "/1.0", AppKey: ak, AppSecret: as, Sim: sim,
		server: &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second},
	}
	go sb.server.Serve(ln) //nolint:errcheck // Serve always returns an error after Close
	return sb, nil
}

// Close stops the simulator.
func (s *Sandbox) Close() error { return s.server.Close() }
