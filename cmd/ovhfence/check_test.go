package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/cluster"
	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/ovhsim"
)

// tokenConf mints a validated key with rules on env's simulator and stores it
// in an ovh.conf; it returns the file and the key's secrets.
func tokenConf(t *testing.T, env *simEnv, rules []ovhsim.Rule) (conf, as, ck string) {
	t.Helper()
	ak, as, ck := env.sim.CreateToken(rules)
	conf = writeFile(t, "ovh.conf", string(ovhapi.FormatConfigFile(ovhapi.Config{
		Endpoint: env.endpoint, ApplicationKey: ak, ApplicationSecret: as, ConsumerKey: ck,
	})))
	return conf, as, ck
}

func clusterFile(t *testing.T, env *simEnv, conf string) string {
	t.Helper()
	c := cluster.New("alpha", cluster.TargetPcs)
	c.Endpoint, c.Credentials = env.endpoint, conf
	for i, sn := range env.servers {
		c.Nodes = append(c.Nodes, cluster.NewNode("node"+string(rune('1'+i)), sn))
	}
	return writeFile(t, "alpha.cluster", string(cluster.Format(c)))
}

func TestCheckCommand(t *testing.T) {
	tests := []struct {
		name      string
		rules     func(servers []string) []ovhsim.Rule
		byCluster bool
		wantCode  int
		wantOut   []string // substrings of stdout, one per line, in order
	}{
		{
			name:     "exact fencing key",
			rules:    func(sn []string) []ovhsim.Rule { return ovhsim.FencingRules(sn...) },
			wantOut:  []string{"OK: the key can fence "},
			wantCode: 0,
		},
		{
			name:      "servers from the cluster file",
			rules:     func(sn []string) []ovhsim.Rule { return ovhsim.FencingRules(sn...) },
			byCluster: true,
			wantOut:   []string{"OK: the key can fence "},
		},
		{
			name:     "key missing a server",
			rules:    func(sn []string) []ovhsim.Rule { return ovhsim.FencingRules(sn[:2]...) },
			wantCode: 1,
			wantOut:  []string{"FAIL: missing 5 rules: every fencing rule for ns567892.ip-123-22-46.eu; "},
		},
		{
			name:     "GET /* only",
			rules:    func([]string) []ovhsim.Rule { return []ovhsim.Rule{{Method: "GET", Path: "/*"}} },
			wantCode: 1,
			wantOut:  []string{"FAIL: missing 6 rules: PUT /dedicated/server/", "FAIL: rule GET /* is broader"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearOVHEnv(t)
			env := newSimEnv(t)
			conf, as, ck := tokenConf(t, env, tt.rules(env.servers))
			args := []string{"check", "--config", conf, "--server", strings.Join(env.servers, ",")}
			if tt.byCluster {
				args = []string{"check", "--cluster", clusterFile(t, env, conf)}
			}
			mark := len(env.sim.Requests())
			res := runInProcess(args...)
			if res.code != tt.wantCode {
				t.Errorf("exit %d, want %d; stdout:\n%s\nstderr:\n%s", res.code, tt.wantCode, res.stdout, res.stderr)
			}
			lines := strings.Split(strings.TrimSuffix(res.stdout, "\n"), "\n")
			if len(lines) != len(tt.wantOut) {
				t.Fatalf("stdout has %d lines, want %d:\n%s", len(lines), len(tt.wantOut), res.stdout)
			}
			for i, want := range tt.wantOut {
				if !strings.HasPrefix(lines[i], want) {
					t.Errorf("line %d = %q, want it to start with %q", i, lines[i], want)
				}
			}
			assertNoSecret(t, res, as, ck)
			for _, call := range env.calls(mark) {
				if !strings.HasPrefix(call, "GET ") {
					t.Errorf("check called %s; it must only read", call)
				}
			}
		})
	}
}

func TestCheckCommandUsageErrors(t *testing.T) {
	clearOVHEnv(t)
	env := newSimEnv(t)
	noCK := writeFile(t, "nock.conf", string(ovhapi.FormatConfigFile(ovhapi.Config{
		Endpoint: env.endpoint, ApplicationKey: "AK", ApplicationSecret: env.secret,
	})))
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no servers", []string{"--config", env.conf}, "--cluster FILE or --server is required"},
		{"cluster and servers", []string{"--cluster", "x", "--server", "ns1"}, "give either --cluster or --server"},
		{"missing cluster file", []string{"--cluster", filepath.Join(t.TempDir(), "none")}, "--cluster: "},
		{"missing config file", []string{"--server", "ns1", "--config", filepath.Join(t.TempDir(), "none")}, "--config: "},
		{"no credentials at all", []string{"--server", "ns1"}, "--application-key is required when not running interactively"},
		{"no consumer key", []string{"--server", "ns1", "--config", noCK}, "no consumer key: give --config OVH_CONF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runInProcess(append([]string{"check"}, tt.args...)...)
			if res.code != 2 || !strings.Contains(res.stderr, tt.want) || res.stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and %q on stderr", res.code, res.stdout, res.stderr, tt.want)
			}
			assertNoSecret(t, res, env.secret, env.ck)
		})
	}
}

func TestKeysRequestThenCheck(t *testing.T) {
	env := newKeysEnv(t, validateAfter(0))
	conf := filepath.Join(t.TempDir(), "ovh.conf")
	servers := strings.Join(env.servers, ",")
	if res := runInProcess(env.args("--server", servers, "--wait", "--poll-interval", "20ms", "--write", conf)...); res.code != 0 {
		t.Fatalf("keys request: exit %d; stderr:\n%s", res.code, res.stderr)
	}
	if !strings.Contains(mustRead(t, conf), "consumer_key=") {
		t.Fatalf("%s holds no consumer key", conf)
	}
	res := runInProcess("check", "--config", conf, "--server", servers)
	if res.code != 0 || !strings.HasPrefix(res.stdout, "OK: ") {
		t.Errorf("check: exit %d; stdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	assertNoSecret(t, res, env.as, env.lastKey(t))
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
