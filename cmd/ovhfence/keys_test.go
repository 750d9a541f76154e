package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ovhfence/ovhfence/keys"
	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/ovhsim"
)

// runInProcess runs an ovhfence subcommand through the dispatcher, with no terminal.
func runInProcess(args ...string) result {
	var stdout, stderr bytes.Buffer
	code := dispatch("ovhfence", args, strings.NewReader(""), &stdout, &stderr)
	return result{stdout.String(), stderr.String(), code}
}

// clearOVHEnv makes sure no OVH_* variable of the machine leaks into a test.
func clearOVHEnv(t *testing.T) {
	for _, name := range []string{ovhapi.EnvEndpoint, ovhapi.EnvApplicationKey, ovhapi.EnvApplicationSecret, ovhapi.EnvConsumerKey, ovhapi.EnvClientID, ovhapi.EnvClientSecret} {
		t.Setenv(name, "")
	}
}

// assertNoSecret fails if any secret shows in the command's output (DESIGN.md D4).
func assertNoSecret(t *testing.T, res result, secrets ...string) {
	t.Helper()
	for _, secret := range secrets {
		if secret != "" && strings.Contains(res.stdout+res.stderr, secret) {
			t.Errorf("a secret appears in the output:\nstdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
		}
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestKeysRequestUsageErrors(t *testing.T) {
	clearOVHEnv(t)
	secretFile := writeFile(t, "secret", "s3cr3t-application-secret\n")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no subcommand", []string{"keys"}, "Usage: ovhfence keys request"},
		{"no application key", []string{"keys", "request", "--server", "ns1", "--write", "x", "--application-secret-file", secretFile},
			"--application-key is required when not running interactively"},
		{"no secret", []string{"keys", "request", "--server", "ns1", "--write", "x", "--application-key", "AK"},
			"--application-secret-file FILE is required when not running interactively"},
		{"no server", []string{"keys", "request", "--write", "x", "--application-key", "AK", "--application-secret-file", secretFile},
			"--server is required"},
		{"no write", []string{"keys", "request", "--server", "ns1", "--application-key", "AK", "--application-secret-file", secretFile},
			"--write FILE is required"},
		{"secret in argv", []string{"keys", "request", "--application-secret", "s3cr3t-application-secret"},
			"flag provided but not defined: -application-secret"},
		{"empty secret file", []string{"keys", "request", "--server", "ns1", "--write", "x", "--application-key", "AK",
			"--application-secret-file", writeFile(t, "empty", "\n")}, "--application-secret-file: "},
		{"bad endpoint", []string{"keys", "request", "--server", "ns1", "--write", "x", "--application-key", "AK",
			"--application-secret-file", secretFile, "--endpoint", "ovh-mars"}, `--endpoint: unknown OVH endpoint "ovh-mars"`},
		{"stray argument", []string{"keys", "request", "ns1"}, `unexpected argument "ns1"`},
		{"discovery and servers", []string{"keys", "request", "--discovery", "--server", "ns1"}, "give either --discovery or --server"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runInProcess(tt.args...)
			if res.code != 2 || !strings.Contains(res.stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", res.code, res.stderr, tt.want)
			}
			if res.stdout != "" {
				t.Errorf("stdout = %q, want nothing", res.stdout)
			}
			assertNoSecret(t, res, "s3cr3t-application-secret")
		})
	}
}

// keysEnv is a simulated account with an application key; the user's action
// on the validation page is played by onRequest.
type keysEnv struct {
	*simEnv
	ak, as     string
	secretFile string
	requested  chan string // consumer keys requested, in order
}

func newKeysEnv(t *testing.T, onRequest func(sim *ovhsim.Sim, ck string)) *keysEnv {
	t.Helper()
	clearOVHEnv(t)
	env := newSimEnv(t)
	ak, as := env.sim.CreateApp("ovhfence keys test")
	requested := make(chan string, 4)
	env.sim.OnCredentialRequest(func(ck string) {
		requested <- ck
		// The hook runs before the response is sent: let the user act later.
		go onRequest(env.sim, ck)
	})
	return &keysEnv{simEnv: env, ak: ak, as: as, secretFile: writeFile(t, "secret", as+"\n"), requested: requested}
}

func (e *keysEnv) args(extra ...string) []string {
	base := []string{"keys", "request", "--endpoint", e.endpoint, "--application-key", e.ak, "--application-secret-file", e.secretFile}
	return append(base, extra...)
}

func (e *keysEnv) lastKey(t *testing.T) string {
	t.Helper()
	select {
	case ck := <-e.requested:
		return ck
	default:
		t.Fatal("no consumer key was requested")
		return ""
	}
}

func validateAfter(d time.Duration) func(*ovhsim.Sim, string) {
	return func(sim *ovhsim.Sim, ck string) {
		time.Sleep(d)
		_ = sim.ValidateCredential(ck, nil)
	}
}

func ignoreRequest(*ovhsim.Sim, string) {}

func TestKeysRequest(t *testing.T) {
	twoServers := func(sn []string) []ovhapi.Rule { return keys.FencingRules(sn[:2]) }
	tests := []struct {
		name       string
		user       func(*ovhsim.Sim, string)
		extra      []string // SN0 and SN1 stand for the simulator's first two servers
		wantCode   int
		wantRules  func(servers []string) []ovhapi.Rule
		wantStderr string
		wantFile   bool // installed in --write; else left in --write.pending
	}{
		{
			name:      "without waiting stores the pending key only",
			user:      ignoreRequest,
			extra:     []string{"--server", "SN0,SN1"},
			wantRules: twoServers,
		},
		{
			name:       "waits for the validation",
			user:       validateAfter(200 * time.Millisecond),
			extra:      []string{"--server", "SN0", "--server", "SN1", "--wait", "--poll-interval", "50ms"},
			wantRules:  twoServers,
			wantStderr: "The key is validated.",
			wantFile:   true,
		},
		{
			name:       "refused key times out and installs nothing",
			user:       func(sim *ovhsim.Sim, ck string) { _ = sim.RefuseCredential(ck) },
			extra:      []string{"--server", "SN0,SN1", "--wait", "--timeout", "300ms", "--poll-interval", "50ms"},
			wantCode:   1,
			wantRules:  twoServers,
			wantStderr: "the key was not validated in time",
		},
		{
			name:      "discovery key",
			user:      ignoreRequest,
			extra:     []string{"--discovery"},
			wantRules: func([]string) []ovhapi.Rule { return keys.DiscoveryRules() },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newKeysEnv(t, tt.user)
			conf := filepath.Join(t.TempDir(), "ovh.conf")
			servers := strings.NewReplacer("SN0", env.servers[0], "SN1", env.servers[1])
			args := env.args("--write", conf)
			for _, arg := range tt.extra {
				args = append(args, servers.Replace(arg))
			}
			res := runInProcess(args...)
			if res.code != tt.wantCode || !strings.Contains(res.stderr, tt.wantStderr) {
				t.Fatalf("exit %d, want %d; stderr:\n%s\nwant it to contain %q", res.code, tt.wantCode, res.stderr, tt.wantStderr)
			}
			ck := env.lastKey(t)
			assertNoSecret(t, res, env.as, ck)

			words := strings.Join(strings.Fields(res.stdout), " ")
			for _, rule := range tt.wantRules(env.servers) {
				if !strings.Contains(words, rule.Method+" "+rule.Path+" to "+keys.Explain(rule)) {
					t.Errorf("stdout does not explain %v:\n%s", rule, res.stdout)
				}
			}
			if !hasLineWithPrefix(res.stdout, "http") {
				t.Errorf("stdout has no line holding only the validation URL:\n%s", res.stdout)
			}
			want := ovhapi.Config{Endpoint: env.endpoint, ApplicationKey: env.ak, ApplicationSecret: env.as, ConsumerKey: ck}
			assertConfFile(t, conf, tt.wantFile, want)
			assertConfFile(t, conf+".pending", !tt.wantFile, want)
		})
	}
}

func hasLineWithPrefix(text, prefix string) bool {
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, prefix) && !strings.Contains(line, " ") {
			return true
		}
	}
	return false
}

// assertConfFile checks that path is an ovh.conf of mode 0600 holding want, or absent.
func assertConfFile(t *testing.T, path string, exists bool, want ovhapi.Config) {
	t.Helper()
	info, err := os.Stat(path)
	if !exists {
		if !os.IsNotExist(err) {
			t.Errorf("%s exists (err %v), want nothing written", path, err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %v, want 0600", path, info.Mode().Perm())
	}
	got, err := ovhapi.LoadConfigFile(path, "")
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("%s holds %s, want %s", path, got.Redacted(), want.Redacted())
	}
}

func TestKeysRequestCredentialSources(t *testing.T) {
	tests := []struct {
		name string
		args func(e *keysEnv, t *testing.T) []string
	}{
		{"secret from the environment", func(e *keysEnv, t *testing.T) []string {
			t.Setenv(ovhapi.EnvApplicationSecret, e.as)
			return []string{"--endpoint", e.endpoint, "--application-key", e.ak}
		}},
		{"everything from an ovh.conf", func(e *keysEnv, t *testing.T) []string {
			conf := writeFile(t, "app.conf", string(ovhapi.FormatConfigFile(ovhapi.Config{
				Endpoint: e.endpoint, ApplicationKey: e.ak, ApplicationSecret: e.as, ConsumerKey: "OldConsumerKeyOldConsumerKey0000",
			})))
			return []string{"--config", conf}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newKeysEnv(t, validateAfter(0))
			out := filepath.Join(t.TempDir(), "ovh.conf")
			args := append([]string{"keys", "request"}, tt.args(env, t)...)
			res := runInProcess(append(args, "--server", env.servers[0], "--wait", "--poll-interval", "20ms", "--write", out)...)
			if res.code != 0 {
				t.Fatalf("exit %d; stderr:\n%s", res.code, res.stderr)
			}
			ck := env.lastKey(t)
			assertNoSecret(t, res, env.as, ck)
			assertConfFile(t, out, true, ovhapi.Config{Endpoint: env.endpoint, ApplicationKey: env.ak, ApplicationSecret: env.as, ConsumerKey: ck})
		})
	}
}
