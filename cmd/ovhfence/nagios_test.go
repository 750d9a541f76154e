package main

import (
	"errors"
	"math/rand"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ovhfence/ovhfence/keys"
	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/ovhsim"
)

// randomReport draws a check report from every kind of finding Check can make,
// alone or combined, the way keys.Check fills it (Unusable leaves the rest empty).
func randomReport(rng *rand.Rand, now time.Time) keys.Report {
	unreachable := &ovhapi.Error{Kind: ovhapi.KindNetwork, Err: errors.New("dial tcp: connection refused")}
	if rng.Intn(2) == 0 {
		unreachable = &ovhapi.Error{Kind: ovhapi.KindServer, Status: 503, Message: "Service Unavailable"}
	}
	refused := &ovhapi.Error{Kind: ovhapi.KindNotGranted, Status: 403, Message: "This call has not been granted"}
	servers := []string{"ns1.example", "ns2.example"}
	if rng.Intn(6) == 0 {
		return keys.Report{Servers: servers, Unusable: []error{unreachable, refused}[rng.Intn(2)]}
	}
	r := keys.Report{Servers: servers, Status: ovhapi.CredentialValidated, SkewLimit: 30 * time.Second}
	if rng.Intn(6) == 0 {
		r.Status = []string{ovhapi.CredentialPending, ovhapi.CredentialExpired, ovhapi.CredentialRefused}[rng.Intn(3)]
	}
	if rng.Intn(2) == 0 {
		days := []int{-3, 0, 1, 29, 31, 365}[rng.Intn(6)]
		exp := now.Add(time.Duration(days)*24*time.Hour + time.Minute)
		r.Expiration = &exp
	}
	if rng.Intn(5) == 0 {
		r.Missing = []ovhapi.Rule{{Method: "POST", Path: "/dedicated/server/ns1.example/reboot"}}
	}
	if rng.Intn(5) == 0 {
		r.TooBroad = []keys.BroadRule{{Rule: ovhapi.Rule{Method: "GET", Path: "/*"}, Reason: "it reaches the whole API | all of it"}}
	}
	if rng.Intn(5) == 0 {
		r.Skew = 2 * time.Minute
	}
	for _, sn := range servers {
		switch rng.Intn(6) {
		case 0:
			r.Unreadable = append(r.Unreadable, keys.ServerError{Server: sn, Err: unreachable})
		case 1:
			r.Unreadable = append(r.Unreadable, keys.ServerError{Server: sn, Err: refused})
		}
	}
	return r
}

// cannotReach: OVH did not answer, or answered that it cannot serve now.
func cannotReach(err error) bool {
	kind := ovhapi.KindOf(err)
	return kind == ovhapi.KindNetwork || kind == ovhapi.KindServer || kind == ovhapi.KindRateLimited
}

// wantNagios states the plugin's contract on its own: CRITICAL when fencing
// cannot work as configured, else WARNING for a key expiring within 30 days,
// else UNKNOWN when OVH could not be reached, else OK.
func wantNagios(r keys.Report, now time.Time) int {
	if r.Unusable != nil {
		if cannotReach(r.Unusable) {
			return nagiosUnknown
		}
		return nagiosCritical
	}
	broken := r.Status != ovhapi.CredentialValidated || len(r.Missing) > 0 || len(r.TooBroad) > 0 || r.Skew > r.SkewLimit ||
		(r.Expiration != nil && !r.Expiration.After(now))
	unreachable := false
	for _, u := range r.Unreadable {
		if cannotReach(u.Err) {
			unreachable = true
		} else {
			broken = true
		}
	}
	switch {
	case broken:
		return nagiosCritical
	case r.Expiration != nil && r.Expiration.Before(now.Add(30*24*time.Hour)):
		return nagiosWarning
	case unreachable:
		return nagiosUnknown
	}
	return nagiosOK
}

func TestNagiosStatusInvariants(t *testing.T) {
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	now := time.Now()
	for i := 0; i < 5000; i++ {
		r := randomReport(rng, now)
		code, line := nagiosStatus(r, now)
		if want := wantNagios(r, now); code != want {
			t.Fatalf("report %+v: exit %d, want %d (%s)", r, code, want, line)
		}
		if prefix := "OVHFENCE " + nagiosStates[code] + ": "; !strings.HasPrefix(line, prefix) {
			t.Fatalf("line %q does not start with %q", line, prefix)
		}
		if strings.ContainsAny(line, "\n\r|") {
			t.Fatalf("line %q must be one line without '|' (which starts Nagios performance data)", line)
		}
		// Every problem the plain check would print for a non-OK state is named.
		if code == nagiosCritical {
			for _, p := range r.Problems() {
				if !strings.Contains(line, strings.ReplaceAll(p, "|", "/")) {
					t.Fatalf("CRITICAL line %q does not name %q", line, p)
				}
			}
		}
	}
}

// TestCheckNagios runs `ovhfence check --nagios` against the simulator and an
// unreachable endpoint: one line on stdout, and Nagios' exit codes.
func TestCheckNagios(t *testing.T) {
	clearOVHEnv(t)
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadEndpoint := "http://" + closed.Addr().String() + "/1.0"
	closed.Close()

	inDays := func(days int) *time.Time { exp := time.Now().Add(time.Duration(days) * 24 * time.Hour); return &exp }
	tests := []struct {
		name     string
		rules    func(servers []string) []ovhsim.Rule
		expires  *time.Time
		endpoint string // instead of the simulator's
		args     []string
		wantCode int
		wantLine string
	}{
		{name: "exact key", wantCode: 0, wantLine: "OVHFENCE OK: the key can fence ns"},
		{name: "expires in 10 days", expires: inDays(10), wantCode: 1, wantLine: "OVHFENCE WARNING: the key expires on "},
		{name: "expires in 60 days", expires: inDays(60), wantCode: 0, wantLine: "OVHFENCE OK: "},
		{name: "missing a server", rules: func(sn []string) []ovhsim.Rule { return ovhsim.FencingRules(sn[:2]...) },
			wantCode: 2, wantLine: "OVHFENCE CRITICAL: 1 problem: missing 5 rules: every fencing rule for ns"},
		{name: "missing a server and expiring", rules: func(sn []string) []ovhsim.Rule { return ovhsim.FencingRules(sn[:2]...) },
			expires: inDays(3), wantCode: 2, wantLine: "OVHFENCE CRITICAL: "},
		{name: "OVH unreachable", endpoint: deadEndpoint, wantCode: 3, wantLine: "OVHFENCE UNKNOWN: cannot reach OVH"},
		{name: "bad flag", args: []string{"--bogus"}, wantCode: 3, wantLine: "OVHFENCE UNKNOWN: bad flags"},
		{name: "missing ovh.conf", args: []string{"--config", filepath.Join(t.TempDir(), "none")}, wantCode: 2,
			wantLine: "OVHFENCE CRITICAL: --config: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newSimEnv(t)
			rules := ovhsim.FencingRules(env.servers...)
			if tt.rules != nil {
				rules = tt.rules(env.servers)
			}
			endpoint := env.endpoint
			if tt.endpoint != "" {
				endpoint = tt.endpoint
			}
			ak, as, ck := env.sim.CreateToken(rules)
			if tt.expires != nil {
				if err := env.sim.ValidateCredential(ck, tt.expires); err != nil {
					t.Fatal(err)
				}
			}
			conf := writeFile(t, "ovh.conf", string(ovhapi.FormatConfigFile(ovhapi.Config{
				Endpoint: endpoint, ApplicationKey: ak, ApplicationSecret: as, ConsumerKey: ck,
			})))
			args := append([]string{"check", "--nagios", "--timeout", "20s", "--config", conf, "--server", strings.Join(env.servers, ",")}, tt.args...)
			res := runInProcess(args...)
			if res.code != tt.wantCode || !strings.HasPrefix(res.stdout, tt.wantLine) || strings.Count(res.stdout, "\n") != 1 {
				t.Errorf("exit %d, stdout %q; want exit %d and one line starting %q", res.code, res.stdout, tt.wantCode, tt.wantLine)
			}
			assertNoSecret(t, res, as, ck)
		})
	}
	// Without --nagios, check keeps its 0/1 for the same findings.
	env := newSimEnv(t)
	ak, as, ck := env.sim.CreateToken(ovhsim.FencingRules(env.servers...))
	if err := env.sim.ValidateCredential(ck, inDays(10)); err != nil {
		t.Fatal(err)
	}
	conf := writeFile(t, "ovh.conf", string(ovhapi.FormatConfigFile(ovhapi.Config{
		Endpoint: env.endpoint, ApplicationKey: ak, ApplicationSecret: as, ConsumerKey: ck})))
	if res := runInProcess("check", "--config", conf, "--server", strings.Join(env.servers, ",")); res.code != 1 {
		t.Errorf("plain check of an expiring key: exit %d, want 1 (stdout %q)", res.code, res.stdout)
	}
}
