package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/ovhsim"
)

// keys service-account: the setup key (validated here as a user would)
// creates the account and its policy, the 0600 file holds them, the setup key
// is ended, and the agent can then fence exactly the named servers.
func TestKeysServiceAccountCreatesAProvenAccount(t *testing.T) {
	e := newKeysEnv(t, func(sim *ovhsim.Sim, ck string) {
		time.Sleep(50 * time.Millisecond)
		expiry := time.Now().Add(time.Hour)
		sim.ValidateCredential(ck, &expiry)
	})
	write := filepath.Join(t.TempDir(), "ovh.conf")
	servers := e.servers[:2]
	res := runInProcess("keys", "service-account", "--endpoint", e.endpoint, "--application-key", e.ak, "--application-secret-file", e.secretFile,
		"--server", strings.Join(servers, ","), "--write", write, "--poll-interval", "20ms")
	if res.code != 0 || !strings.Contains(res.stdout, "OK: OVH's authorization check allows") || !strings.Contains(res.stdout, "Ended the setup key.") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	for _, rule := range []string{"POST /me/api/oauth2/client", "GET  /me/api/oauth2/client/*", "POST /v2/iam/policy"} {
		if !strings.Contains(res.stdout, rule) {
			t.Errorf("the setup key's rule %q is not shown", rule)
		}
	}
	info, err := os.Stat(write)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("stat %s: %v %v", write, info, err)
	}
	cfg, err := ovhapi.LoadConfigFile(write, "")
	if err != nil || !cfg.ServiceAccount() || cfg.ClientSecret == "" {
		t.Fatalf("written config %s: %v", cfg.Redacted(), err)
	}
	assertNoSecret(t, res, cfg.ClientSecret, e.as)
	logout := false
	for _, r := range e.sim.Requests() {
		logout = logout || r.Path == "/1.0/auth/logout" && r.Status == 200
	}
	if !logout {
		t.Error("the setup key was not ended")
	}
	agent := runAgent(t, nil, "action=list\novh_config="+write+"\n")
	if agent.code != 0 || agent.stdout != strings.Join(servers, ",\n")+",\n" {
		t.Errorf("list with the new account: code %d stdout %q stderr %q; want exactly the named servers", agent.code, agent.stdout, agent.stderr)
	}
}

func TestKeysServiceAccountRefusesEndpointsWithoutOAuth2(t *testing.T) {
	clearOVHEnv(t)
	res := runInProcess("keys", "service-account", "--endpoint", "kimsufi-eu", "--application-key", "ak",
		"--server", "ns1", "--write", filepath.Join(t.TempDir(), "ovh.conf"))
	if res.code != 2 || !strings.Contains(res.stderr, "only on ovh-eu, ovh-ca and ovh-us") {
		t.Fatalf("exit %d stderr %q", res.code, res.stderr)
	}
}
