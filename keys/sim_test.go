package keys

import (
	"context"
	"errors"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/ovhsim"
)

// startSim serves a simulator on 127.0.0.1 and returns it with its endpoint URL.
func startSim(t *testing.T) (*ovhsim.Sim, string) {
	t.Helper()
	sim := ovhsim.New(ovhsim.Config{})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return sim, srv.URL + "/1.0"
}

func newClient(t *testing.T, endpoint, ak, as, ck string) *ovhapi.Client {
	t.Helper()
	client, err := ovhapi.New(ovhapi.Config{Endpoint: endpoint, ApplicationKey: ak, ApplicationSecret: as, ConsumerKey: ck},
		ovhapi.Options{MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// serverNames are a three-node cluster's servers: the simulator's first three.
func serverNames() []string {
	var names []string
	for _, seed := range ovhsim.DefaultServers()[:3] {
		names = append(names, seed.Name)
	}
	return names
}

func simRules(rules []ovhapi.Rule) []ovhsim.Rule {
	out := make([]ovhsim.Rule, len(rules))
	for i, r := range rules {
		out[i] = ovhsim.Rule{Method: r.Method, Path: r.Path}
	}
	return out
}

func TestRequestAndWaitValidated(t *testing.T) {
	tests := []struct {
		name    string
		user    func(sim *ovhsim.Sim, ck string) // what the user does on the validation page
		wait    time.Duration                    // the wait's deadline
		cancel  time.Duration                    // cancel the wait after this long; 0 = never
		wantErr []error                          // nil = validated
	}{
		{
			name: "validated after a delay",
			user: func(sim *ovhsim.Sim, ck string) {
				time.AfterFunc(300*time.Millisecond, func() { _ = sim.ValidateCredential(ck, nil) })
			},
			wait: 5 * time.Second,
		},
		{
			name:    "refused",
			user:    func(sim *ovhsim.Sim, ck string) { _ = sim.RefuseCredential(ck) },
			wait:    400 * time.Millisecond,
			wantErr: []error{ErrNotValidated, context.DeadlineExceeded},
		},
		{
			name: "expired",
			user: func(sim *ovhsim.Sim, ck string) {
				_ = sim.ValidateCredential(ck, nil)
				_ = sim.ExpireCredential(ck)
			},
			wait:    400 * time.Millisecond,
			wantErr: []error{ErrNotValidated, context.DeadlineExceeded},
		},
		{
			name:    "cancelled while pending",
			user:    func(*ovhsim.Sim, string) {},
			wait:    5 * time.Second,
			cancel:  200 * time.Millisecond,
			wantErr: []error{ErrNotValidated, context.Canceled},
		},
	}
	servers := serverNames()[:1]
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim, endpoint := startSim(t)
			ak, as := sim.CreateApp("keys test")
			client := newClient(t, endpoint, ak, as, "")
			req, err := Request(context.Background(), client, FencingRules(servers), "")
			if err != nil {
				t.Fatal(err)
			}
			if req.State != ovhapi.CredentialPending || req.ValidationURL == "" || req.ConsumerKey == "" {
				t.Fatalf("Request() = %+v, want a pending key with a validation URL", req)
			}
			tt.user(sim, req.ConsumerKey)

			ctx, cancel := context.WithTimeout(context.Background(), tt.wait)
			defer cancel()
			if tt.cancel > 0 {
				time.AfterFunc(tt.cancel, cancel)
			}
			start := time.Now()
			cred, err := WaitValidated(ctx, client, req.ConsumerKey, 50*time.Millisecond)
			for _, want := range tt.wantErr {
				if !errors.Is(err, want) {
					t.Errorf("WaitValidated() error = %v, want it to wrap %v", err, want)
				}
			}
			if tt.wantErr != nil {
				return
			}
			if err != nil {
				t.Fatalf("WaitValidated() error = %v", err)
			}
			if elapsed := time.Since(start); elapsed < 250*time.Millisecond {
				t.Errorf("validated after %s, before the user validated", elapsed)
			}
			if cred.Status != ovhapi.CredentialValidated || !slices.Equal(cred.Rules, FencingRules(servers)) {
				t.Errorf("credential = %+v, want validated with the requested rules", cred)
			}
		})
	}
}

func TestWaitValidatedUnknownKeyFailsAtOnce(t *testing.T) {
	sim, endpoint := startSim(t)
	ak, as := sim.CreateApp("keys test")
	client := newClient(t, endpoint, ak, as, "")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := WaitValidated(ctx, client, "NoSuchConsumerKeyNoSuchConsumerK", 50*time.Millisecond)
	if ovhapi.KindOf(err) != ovhapi.KindCredentialUnknown || ctx.Err() != nil {
		t.Errorf("WaitValidated(unknown key) = %v, want an immediate %v", err, ovhapi.KindCredentialUnknown)
	}
}

func TestRequestWithoutRules(t *testing.T) {
	if _, err := Request(context.Background(), nil, nil, ""); err == nil {
		t.Error("Request(no rules) succeeded")
	}
}

func TestCheck(t *testing.T) {
	servers := serverNames()
	tests := []struct {
		name       string
		granted    []ovhapi.Rule
		timeOffset time.Duration // OVH's clock minus the local one
		want       []string
	}{
		{name: "good fencing key", granted: FencingRules(servers)},
		{
			name:    "key missing a server",
			granted: FencingRules(servers[:2]),
			want:    []string{"missing 5 rules: every fencing rule for " + servers[2] + "; request a new key"},
		},
		{
			name:    "GET /* only",
			granted: []ovhapi.Rule{{Method: "GET", Path: "/*"}},
			want: []string{
				"missing 6 rules: PUT /dedicated/server/" + servers[0] + ", POST /dedicated/server/" + servers[0] + "/reboot, " +
					"PUT /dedicated/server/" + servers[1] + ", POST /dedicated/server/" + servers[1] + "/reboot, " +
					"PUT /dedicated/server/" + servers[2] + ", POST /dedicated/server/" + servers[2] + "/reboot; request",
				"rule GET /* is broader than fencing needs",
			},
		},
		{
			name:       "clock behind",
			granted:    FencingRules(servers),
			timeOffset: 3 * time.Minute,
			want:       []string{"the local clock is 3 minutes behind OVH's"},
		},
		{
			name:    "server not on the account",
			granted: FencingRules(append(slices.Clone(servers), "ns000.example")),
			want:    []string{"cannot read server ns000.example: GET /dedicated/server/ns000.example: unknown server"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim, endpoint := startSim(t)
			sim.SetTimeOffset(tt.timeOffset)
			ak, as, ck := sim.CreateToken(simRules(tt.granted))
			checked := servers
			if tt.name == "server not on the account" {
				checked = append(slices.Clone(servers), "ns000.example")
			}
			report := Check(context.Background(), newClient(t, endpoint, ak, as, ck), checked, 30*time.Second)
			assertProblems(t, report, tt.want)
			assertOnlyReads(t, sim)
		})
	}
}

// assertOnlyReads checks that nothing but GETs reached the simulator: a check
// must never set a boot or reboot a server.
func assertOnlyReads(t *testing.T, sim *ovhsim.Sim) {
	t.Helper()
	for _, req := range sim.Requests() {
		if req.Method != "GET" {
			t.Errorf("Check sent %s %s", req.Method, req.Path)
		}
	}
}

func TestCheckUnusableKey(t *testing.T) {
	sim, endpoint := startSim(t)
	ak, as := sim.CreateApp("keys test")
	client := newClient(t, endpoint, ak, as, "")
	req, err := Request(context.Background(), client, FencingRules(serverNames()), "")
	if err != nil {
		t.Fatal(err)
	}
	sim.ClearRequests()
	report := Check(context.Background(), client.WithConsumerKey(req.ConsumerKey), serverNames(), time.Minute)
	assertProblems(t, report, []string{"the key cannot be used: GET /auth/currentCredential: consumer key not valid"})
	assertOnlyReads(t, sim)
}
