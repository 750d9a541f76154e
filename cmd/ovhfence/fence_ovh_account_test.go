package main

import (
	"bufio"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/ovhsim"
)

// The real fence_ovh binary with a service account (issue 14): no keys, a
// bearer token fetched by the agent, rights from an IAM policy.

// newAccountEnv is newSimEnv with a service account whose policy allows
// fencing on the cluster's three servers, in an ovh.conf.
func newAccountEnv(t *testing.T) (e *simEnv, clientID, secret string) {
	t.Helper()
	e = newSimEnv(t)
	clientID, secret, identity := e.sim.CreateServiceAccount("cluster fencing")
	e.sim.AddPolicy(ovhsim.FencingPolicy(identity, e.servers...))
	e.conf = filepath.Join(t.TempDir(), "ovh.conf")
	data := ovhapi.FormatConfigFile(ovhapi.Config{Endpoint: e.endpoint, ClientID: clientID, ClientSecret: secret})
	if err := os.WriteFile(e.conf, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return e, clientID, secret
}

func (e *simEnv) tokenRequests(mark int) int {
	n := 0
	for _, r := range e.sim.Requests()[mark:] {
		if r.Path == "/auth/oauth2/token" {
			n++
		}
	}
	return n
}

func TestServiceAccountFencesOffStatusOnReboot(t *testing.T) {
	e, _, secret := newAccountEnv(t)
	s := seed(1)
	for _, step := range []struct {
		action, stdout string
		code           int
	}{
		{"off", "Success: Powered OFF\n", 0},
		{"status", "Status: OFF\n", 2},
		{"on", "Success: Powered ON\n", 0},
		{"status", "Status: ON\n", 0},
		{"reboot", "Success: Rebooted\n", 0},
	} {
		mark := len(e.sim.Requests())
		res := e.run(t, e.stdin(step.action, s.Name, append(bootParams(s), "fence_mode=poweroff", "verbose=1")...))
		if res.code != step.code || res.stdout != step.stdout {
			t.Fatalf("%s: code %d stdout %q stderr %q", step.action, res.code, res.stdout, res.stderr)
		}
		if strings.Contains(res.stdout+res.stderr, secret) {
			t.Fatalf("%s: the client secret was printed", step.action)
		}
		if n := e.tokenRequests(mark); n != 1 {
			t.Errorf("%s: %d token requests, want 1", step.action, n)
		}
		for _, r := range e.sim.Requests()[mark:] {
			if r.Auth != "bearer" && r.Auth != "token" {
				t.Errorf("%s: %s %s authenticated as %q", step.action, r.Method, r.Path, r.Auth)
			}
		}
	}
	state, _ := e.sim.ServerState(s.Name)
	if state.PowerState != "poweron" {
		t.Fatalf("after reboot the server is %+v", state)
	}
}

// OVH ends the token while the reboot task runs: the agent gets a new one and
// still proves the fence.
func TestServiceAccountTokenExpiresMidFence(t *testing.T) {
	e, _, _ := newAccountEnv(t)
	s := seed(0)
	mark := len(e.sim.Requests())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			for _, r := range e.sim.Requests()[mark:] {
				if r.Method == "POST" && strings.HasSuffix(r.Path, "/reboot") {
					e.sim.ExpireTokens()
					return
				}
			}
		}
	}()
	res := e.run(t, e.stdin("off", s.Name, append(bootParams(s), "fence_mode=poweroff")...))
	wg.Wait()
	if res.code != 0 || res.stdout != "Success: Powered OFF\n" {
		t.Fatalf("off: code %d stdout %q stderr %q", res.code, res.stdout, res.stderr)
	}
	refused := 0
	for _, r := range e.sim.Requests()[mark:] {
		if r.Status == http.StatusUnauthorized {
			refused++
		}
	}
	if n := e.tokenRequests(mark); n != 2 || refused != 1 {
		t.Errorf("%d token requests and %d refused calls, want 2 and 1 (renewed once)", n, refused)
	}
}

func TestServiceAccountMonitorAndList(t *testing.T) {
	e, _, _ := newAccountEnv(t)
	mark := len(e.sim.Requests())
	res := e.run(t, "action=monitor\nplug="+e.servers[0]+"\novh_config="+e.conf+"\n")
	if res.code != 0 {
		t.Fatalf("monitor: code %d stderr %q", res.code, res.stderr)
	}
	assertSequence(t, e.calls(mark), []string{"POST /auth/oauth2/token", "GET /1.0/auth/details", "GET /1.0/dedicated/server/" + e.servers[0]})

	res = e.run(t, "action=list\novh_config="+e.conf+"\n")
	if res.code != 0 || res.stdout != strings.Join(e.servers, ",\n")+",\n" {
		t.Fatalf("list: code %d stdout %q stderr %q; want the account's three servers of four", res.code, res.stdout, res.stderr)
	}
	// Without a policy the account may read nothing.
	clientID, secret, _ := e.sim.CreateServiceAccount("no policy")
	env := []string{"OVH_CLIENT_ID=" + clientID, "OVH_CLIENT_SECRET=" + secret}
	for _, stdin := range []string{"action=list\n", "action=monitor\n", "action=monitor\nplug=" + e.servers[0] + "\n"} {
		res = runAgent(t, env, stdin+"endpoint="+e.endpoint+"\n")
		if res.code != 1 || !strings.Contains(res.stderr, "dedicatedServer:apiovh:get") || strings.Contains(res.stderr, secret) {
			t.Errorf("%q without a policy: code %d stderr %q; want exit 1 naming dedicatedServer:apiovh:get", stdin, res.code, res.stderr)
		}
	}
}

func TestServiceAccountAndKeysTogetherAreRefused(t *testing.T) {
	e, _, _ := newAccountEnv(t)
	res := e.run(t, e.stdin("status", e.servers[0], "application_key=AK1234", "consumer_key=CK12345678"))
	lines := strings.Split(strings.TrimSpace(res.stderr), "\n")
	if res.code != 1 || len(lines) != 1 || !strings.Contains(lines[0], "remove application_key, consumer_key to use the service account") {
		t.Fatalf("code %d stderr %q; want exit 1 with one line saying what to remove", res.code, res.stderr)
	}
	if len(e.sim.Requests()) != 0 {
		t.Errorf("the agent called OVH before refusing: %v", e.calls(0))
	}
}

// `ovhfence sandbox --service-account` prints a service account the agent
// can fence every sandbox server with, from the environment alone.
func TestSandboxServiceAccountDrivesTheAgent(t *testing.T) {
	cmd := exec.Command(filepath.Join(filepath.Dir(fenceOVH), "ovhfence"), "sandbox", "--service-account", "--reboot-seconds", "0.5")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}()
	vars := map[string]string{}
	lines := bufio.NewScanner(stdout)
	for len(vars) < 4 && lines.Scan() {
		if name, value, ok := strings.Cut(lines.Text(), "="); ok {
			vars[name] = value
		}
	}
	if vars["OVH_CLIENT_ID"] == "" || vars["OVH_CLIENT_SECRET"] == "" || vars["OVH_APPLICATION_KEY"] != "" || vars["OVH_SERVERS"] == "" {
		t.Fatalf("sandbox printed %v; want OVH_ENDPOINT, OVH_CLIENT_ID, OVH_CLIENT_SECRET and OVH_SERVERS only", vars)
	}
	env := []string{"OVH_ENDPOINT=" + vars["OVH_ENDPOINT"], "OVH_CLIENT_ID=" + vars["OVH_CLIENT_ID"], "OVH_CLIENT_SECRET=" + vars["OVH_CLIENT_SECRET"]}
	servers := strings.Split(vars["OVH_SERVERS"], ",")
	res := runAgent(t, env, "action=list\n")
	if res.code != 0 || res.stdout != strings.Join(servers, ",\n")+",\n" {
		t.Fatalf("list: code %d stdout %q stderr %q", res.code, res.stdout, res.stderr)
	}
	for _, sn := range servers {
		if res := runAgent(t, env, "action=reboot\nplug="+sn+"\nstonith_status_sleep=0.1\nreboot_time=0.5\n"); res.code != 0 || res.stdout != "Success: Rebooted\n" {
			t.Errorf("reboot %s: code %d stdout %q stderr %q", sn, res.code, res.stdout, res.stderr)
		}
	}
}
