package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/ovhsim"
)

// The tests below drive the built fence_ovh binary exactly as Pacemaker and cman do
// (no argv, key=value on stdin) and by flags, against ovhsim on 127.0.0.1.

var fenceOVH string // path of the built binary, invoked through a fence_ovh symlink

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "fence_ovh-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin := filepath.Join(dir, "ovhfence")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building ovhfence: %v\n%s", err, out)
		os.Exit(1)
	}
	fenceOVH = filepath.Join(dir, "fence_ovh")
	if err := os.Symlink(bin, fenceOVH); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// simEnv is one simulated OVH account with a validated fencing key, stored in an
// ovh.conf the agent is pointed at.
type simEnv struct {
	sim      *ovhsim.Sim
	endpoint string
	conf     string
	secret   string
	ck       string
	servers  []string
}

func newSimEnv(t *testing.T) *simEnv {
	t.Helper()
	sim := ovhsim.New(ovhsim.Config{Durations: ovhsim.Durations{Init: 100 * time.Millisecond, Todo: 100 * time.Millisecond, Doing: 300 * time.Millisecond}})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	var servers []string
	for _, s := range ovhsim.DefaultServers()[:3] { // a three-node cluster's servers
		servers = append(servers, s.Name)
	}
	ak, as, ck := sim.CreateToken(ovhsim.FencingRules(servers...))
	endpoint := srv.URL + "/1.0"
	conf := filepath.Join(t.TempDir(), "ovh.conf")
	data := ovhapi.FormatConfigFile(ovhapi.Config{Endpoint: endpoint, ApplicationKey: ak, ApplicationSecret: as, ConsumerKey: ck})
	if err := os.WriteFile(conf, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return &simEnv{sim: sim, endpoint: endpoint, conf: conf, secret: as, ck: ck, servers: servers}
}

type result struct {
	stdout, stderr string
	code           int
}

// run runs fence_ovh with args, or with stdin lines when args is empty, in an
// environment without OVH_* variables.
func (e *simEnv) run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	return runAgent(t, nil, stdin, args...)
}

func runAgent(t *testing.T, extraEnv []string, stdin string, args ...string) result {
	t.Helper()
	return runAgentFor(t, 60*time.Second, extraEnv, stdin, args...)
}

// runAgentFor is runAgent with the process killed after limit instead of 60 s.
func runAgentFor(t *testing.T, limit time.Duration, extraEnv []string, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, fenceOVH, args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH")}, extraEnv...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if exitErr, ok := err.(*exec.ExitError); ok {
		code = exitErr.ExitCode()
	} else if err != nil {
		t.Fatalf("running fence_ovh: %v", err)
	}
	return result{stdout.String(), stderr.String(), code}
}

// stdin builds Pacemaker-style key=value lines for server sn.
func (e *simEnv) stdin(action, sn string, extra ...string) string {
	lines := []string{"nodename=node2", "plug=" + sn, "ovh_config=" + e.conf, "endpoint=" + e.endpoint, "stonith_status_sleep=0.1", "reboot_time=0.5"}
	if action != "" {
		lines = append([]string{"action=" + action}, lines...)
	}
	return strings.Join(append(lines, extra...), "\n") + "\n"
}

// calls returns "METHOD path" for each OVH request the simulator saw since mark.
func (e *simEnv) calls(mark int) []string {
	var calls []string
	for _, r := range e.sim.Requests()[mark:] {
		calls = append(calls, r.Method+" "+r.Path)
	}
	return calls
}

// seed returns the simulator's seed of server i, for its boot IDs.
func seed(i int) ovhsim.ServerSeed { return ovhsim.DefaultServers()[i] }

func bootParams(s ovhsim.ServerSeed) []string {
	return []string{fmt.Sprintf("rescue_boot_id=%d", s.RescueBootID), fmt.Sprintf("power_boot_id=%d", s.PowerBootID), "disk_boot_id=1"}
}

func countCalls(calls []string, want string) int {
	n := 0
	for _, c := range calls {
		if c == want {
			n++
		}
	}
	return n
}

// assertSequence checks that want appears in calls in this order (other calls may
// come between, e.g. task polls).
func assertSequence(t *testing.T, calls, want []string) {
	t.Helper()
	i := 0
	for _, c := range calls {
		if i < len(want) && c == want[i] {
			i++
		}
	}
	if i < len(want) {
		t.Fatalf("calls %q lack %q in order", calls, want[i:])
	}
}

func TestPacemakerStyleOffOnStatus(t *testing.T) {
	e := newSimEnv(t)
	s := seed(1)
	srvPath := "/1.0/dedicated/server/" + s.Name

	mark := len(e.sim.Requests())
	res := e.run(t, e.stdin("off", s.Name, bootParams(s)...))
	if res.code != 0 || res.stdout != "Success: Powered OFF\n" {
		t.Fatalf("off: code %d stdout %q stderr %q", res.code, res.stdout, res.stderr)
	}
	calls := e.calls(mark)
	assertSequence(t, calls, []string{"GET /1.0/auth/time", "GET " + srvPath, "PUT " + srvPath, "POST " + srvPath + "/reboot", "GET " + srvPath + "/task/" + taskID(t, e, s.Name), "GET " + srvPath})
	if n := countCalls(calls, "POST "+srvPath+"/reboot"); n != 1 {
		t.Fatalf("off sent %d reboots, want 1: %q", n, calls)
	}
	state, _ := e.sim.ServerState(s.Name)
	if state.BootID != s.RescueBootID || state.BootedKernel != "rescue12-customer" {
		t.Fatalf("after off the server is %+v, want booted into rescue", state)
	}

	// Rescue mode: the API cannot tell a rescued server from one merely set to
	// rescue, so status answers ON (the safe side) and says why (issue 8 item 2).
	res = e.run(t, e.stdin("status", s.Name, bootParams(s)...))
	if res.code != 0 || res.stdout != "Status: ON\n" || !strings.Contains(res.stderr, "cannot tell") {
		t.Fatalf("status after off in rescue mode: code %d stdout %q stderr %q", res.code, res.stdout, res.stderr)
	}
	mark = len(e.sim.Requests())
	res = e.run(t, e.stdin("on", s.Name, bootParams(s)...))
	if res.code != 0 || res.stdout != "Success: Powered ON\n" {
		t.Fatalf("on: code %d stdout %q stderr %q", res.code, res.stdout, res.stderr)
	}
	if n := countCalls(e.calls(mark), "POST "+srvPath+"/reboot"); n != 1 {
		t.Fatalf("on sent %d reboots, want 1", n)
	}
	res = e.run(t, e.stdin("status", s.Name, bootParams(s)...))
	if res.code != 0 || res.stdout != "Status: ON\n" {
		t.Fatalf("status after on: code %d stdout %q", res.code, res.stdout)
	}
	// The API cannot prove a server runs its disk: on never answers Already ON
	// (issue 8 item 5), it reboots to the disk again.
	res = e.run(t, e.stdin("on", s.Name, bootParams(s)...))
	if res.code != 0 || res.stdout != "Success: Powered ON\n" {
		t.Fatalf("second on: code %d stdout %q", res.code, res.stdout)
	}
}

// taskID returns the ID of the newest task of server sn, as the path suffix.
func taskID(t *testing.T, e *simEnv, sn string) string {
	t.Helper()
	state, ok := e.sim.ServerState(sn)
	if !ok || len(state.Tasks) == 0 {
		t.Fatalf("server %s has no task", sn)
	}
	return fmt.Sprint(state.Tasks[len(state.Tasks)-1].ID)
}

func TestCmanStyleDefaultReboot(t *testing.T) {
	e := newSimEnv(t)
	s := seed(2)
	// cman sends no action (the default, reboot), agent=, nodename= and port=.
	stdin := strings.Join(append([]string{"agent=fence_ovh", "nodename=" + s.Name, "port=" + s.Name, "ovh_config=" + e.conf, "endpoint=" + e.endpoint, "stonith_status_sleep=0.1", "reboot_time=0.5"}, bootParams(s)...), "\n")
	mark := len(e.sim.Requests())
	res := e.run(t, stdin)
	if res.code != 0 || res.stdout != "Success: Rebooted\n" {
		t.Fatalf("reboot: code %d stdout %q stderr %q", res.code, res.stdout, res.stderr)
	}
	calls := e.calls(mark)
	srvPath := "/1.0/dedicated/server/" + s.Name
	if countCalls(calls, "POST "+srvPath+"/reboot") != 1 || countCalls(calls, "PUT "+srvPath) != 1 {
		t.Fatalf("cycle reboot should be one boot change and one reboot: %q", calls)
	}
	state, _ := e.sim.ServerState(s.Name)
	if state.BootID != 1 || state.BootedKernel != "hd" || state.PowerState != "poweron" {
		t.Fatalf("after reboot: %+v", state)
	}
}

func TestFlagsPoweroffModeAndOnOff(t *testing.T) {
	e := newSimEnv(t)
	s := seed(0)
	flags := func(action string, more ...string) []string {
		return append([]string{"-o", action, "-n", s.Name, "--ovh-config", e.conf, "--endpoint", e.endpoint,
			"--fence-mode", "poweroff", "--stonith-status-sleep", "0.1", "--reboot-time", "0.5", "--power-boot-id", fmt.Sprint(s.PowerBootID)}, more...)
	}
	res := e.run(t, "", flags("off")...)
	if res.code != 0 || res.stdout != "Success: Powered OFF\n" {
		t.Fatalf("off: code %d stdout %q stderr %q", res.code, res.stdout, res.stderr)
	}
	if state, _ := e.sim.ServerState(s.Name); state.PowerState != "poweroff" || state.BootID != s.PowerBootID {
		t.Fatalf("poweroff mode left %+v", state)
	}
	mark := len(e.sim.Requests())
	res = e.run(t, "", flags("off")...)
	if res.code != 0 || res.stdout != "Success: Already OFF\n" {
		t.Fatalf("second off: code %d stdout %q", res.code, res.stdout)
	}
	for _, c := range e.calls(mark) {
		if strings.HasPrefix(c, "PUT ") || strings.HasPrefix(c, "POST ") {
			t.Fatalf("Already OFF must change nothing, saw %s", c)
		}
	}
	// Powered off but set to boot from disk (someone's reboot may be on its way):
	// not "Already OFF", the agent fences it again.
	e.setBootWithoutReboot(t, s.Name, 1)
	res = e.run(t, "", flags("off")...)
	if res.code != 0 || res.stdout != "Success: Powered OFF\n" {
		t.Fatalf("off of a powered-off server set to its disk: code %d stdout %q stderr %q", res.code, res.stdout, res.stderr)
	}
	if state, _ := e.sim.ServerState(s.Name); state.PowerState != "poweroff" || state.BootID != s.PowerBootID {
		t.Fatalf("after the second fence: %+v", state)
	}
	res = e.run(t, "", flags("reboot", "--method", "onoff")...)
	if res.code != 0 || res.stdout != "Success: Rebooted\n" {
		t.Fatalf("reboot onoff: code %d stdout %q stderr %q", res.code, res.stdout, res.stderr)
	}
	if state, _ := e.sim.ServerState(s.Name); state.PowerState != "poweron" || state.BootID != 1 {
		t.Fatalf("after onoff: %+v", state)
	}
}

func TestListMonitorValidate(t *testing.T) {
	e := newSimEnv(t)
	common := []string{"--ovh-config", e.conf, "--endpoint", e.endpoint}
	res := e.run(t, "", append([]string{"-o", "list"}, common...)...)
	want := strings.Join(e.servers, ",\n") + ",\n"
	if res.code != 0 || res.stdout != want {
		t.Fatalf("list: code %d stdout %q want %q stderr %q", res.code, res.stdout, want, res.stderr)
	}
	res = e.run(t, "", append([]string{"-o", "list-status"}, common...)...)
	if res.code != 0 || !strings.Contains(res.stdout, e.servers[0]+",,on\n") {
		t.Fatalf("list-status: code %d stdout %q", res.code, res.stdout)
	}
	mark := len(e.sim.Requests())
	res = e.run(t, "action=monitor\novh_config="+e.conf+"\nendpoint="+e.endpoint+"\n")
	if res.code != 0 || res.stdout != "" {
		t.Fatalf("monitor: code %d stdout %q stderr %q", res.code, res.stdout, res.stderr)
	}
	if calls := e.calls(mark); len(calls) > 2 {
		t.Fatalf("monitor made %d API calls, want ≤ 2: %q", len(calls), calls)
	}
	mark = len(e.sim.Requests())
	res = e.run(t, e.stdin("validate-all", e.servers[0]))
	if res.code != 0 || len(e.calls(mark)) != 0 {
		t.Fatalf("validate-all: code %d, %d API calls, stderr %q", res.code, len(e.calls(mark)), res.stderr)
	}
	res = e.run(t, "action=validate-all\nplug=x\n")
	if res.code != 1 || !strings.Contains(res.stderr, "Failed: no OVH application key") {
		t.Fatalf("validate-all without keys: code %d stderr %q", res.code, res.stderr)
	}
}

func TestRevokedOrRefusedKey(t *testing.T) {
	for _, revoke := range []struct {
		name string
		do   func(*ovhsim.Sim, string) error
		want string
	}{
		{"expired", (*ovhsim.Sim).ExpireCredential, "credential"},
		{"refused", (*ovhsim.Sim).RefuseCredential, "credential"},
	} {
		for _, action := range []string{"monitor", "status", "off", "on", "reboot", "list"} {
			t.Run(revoke.name+"/"+action, func(t *testing.T) {
				e := newSimEnv(t)
				if err := revoke.do(e.sim, e.ck); err != nil {
					t.Fatal(err)
				}
				s := seed(0)
				res := e.run(t, e.stdin(action, s.Name, bootParams(s)...))
				if res.code != 1 || strings.Contains(res.stdout, "Success") || !strings.Contains(res.stderr, "Failed: ") ||
					!strings.Contains(strings.ToLower(res.stderr), revoke.want) {
					t.Fatalf("%s with a %s key: code %d stdout %q stderr %q", action, revoke.name, res.code, res.stdout, res.stderr)
				}
				for _, r := range e.sim.Requests() {
					if (r.Method == "PUT" || r.Method == "POST") && strings.HasPrefix(r.Path, "/1.0/dedicated") && r.Status < 300 {
						t.Fatalf("a call that changes the server was accepted: %s %s", r.Method, r.Path)
					}
				}
			})
		}
	}
}

func TestNoNetworkActions(t *testing.T) {
	tests := []struct {
		name, stdin string
		args        []string
		code        int
		stdout      string // prefix
		stderr      string // substring
	}{
		{name: "metadata on stdin", stdin: "action=metadata\n", stdout: "<?xml"},
		{name: "meta-data alias", stdin: "action=meta-data\n", stdout: "<?xml"},
		{name: "metadata flag", args: []string{"-o", "metadata"}, stdout: "<?xml"},
		{name: "manpage", args: []string{"-o", "manpage"}, stdout: ".TH"},
		{name: "version", args: []string{"-V"}, stdout: "ovhfence 0."},
		{name: "help", args: []string{"-h"}, stdout: "fence_ovh", stderr: ""},
		{name: "unknown action", stdin: "action=explode\nplug=x\n", code: 1, stderr: "Failed: Unrecognised action 'explode'"},
		{name: "unknown flag", args: []string{"--explode"}, code: 1, stderr: "Parse error"},
		{name: "no plug", stdin: "action=off\n", code: 1, stderr: "Failed: You have to enter plug number"},
		{name: "bad fence mode", stdin: "action=off\nplug=x\nfence_mode=melt\n", code: 1, stderr: "fence_mode"},
		{name: "unreadable ovh_config", stdin: "action=off\nplug=x\novh_config=/nonexistent/ovh.conf\n", code: 1, stderr: "/nonexistent/ovh.conf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runAgent(t, nil, tt.stdin, tt.args...)
			if res.code != tt.code || !strings.HasPrefix(res.stdout, tt.stdout) || !strings.Contains(res.stderr, tt.stderr) {
				t.Fatalf("code %d stdout %.80q stderr %q", res.code, res.stdout, res.stderr)
			}
			if tt.code != 0 && strings.Contains(res.stdout, "Success") {
				t.Fatalf("a failure printed Success")
			}
		})
	}
}

func TestDelayPrecedesEverything(t *testing.T) {
	// fence-agents' delay check: delay=N with its FENCE_TEST_ARGS must run ≥ N s.
	start := time.Now()
	res := runAgent(t, nil, "delay=2\nlogin=test\npasswd=test\nipaddr=test\nport=1\nmanaged=1\ndevices=test\nsession_url=http://test\nemail=test@test.te\nping_targets=localhost\n")
	if elapsed := time.Since(start); elapsed < 2*time.Second {
		t.Fatalf("delay=2 returned after %s", elapsed)
	}
	if res.code != 1 || strings.Contains(res.stdout, "Success") {
		t.Fatalf("without a consumer key the run must fail: code %d stdout %q", res.code, res.stdout)
	}
}

func TestBootDiscoveryWithBootRules(t *testing.T) {
	e := newSimEnv(t)
	s := seed(1)
	// A key that may also read the netboots lets the agent discover them (D2).
	rules := append(ovhsim.FencingRules(s.Name), ovhsim.Rule{Method: "GET", Path: "/dedicated/server/" + s.Name + "/boot*"})
	ak, as, ck := e.sim.CreateToken(rules)
	conf := filepath.Join(t.TempDir(), "ovh.conf")
	os.WriteFile(conf, ovhapi.FormatConfigFile(ovhapi.Config{Endpoint: e.endpoint, ApplicationKey: ak, ApplicationSecret: as, ConsumerKey: ck}), 0o600)
	res := e.run(t, "action=off\nplug="+s.Name+"\novh_config="+conf+"\nfence_mode=poweroff\nstonith_status_sleep=0.1\nreboot_time=0.5\n")
	if res.code != 0 || res.stdout != "Success: Powered OFF\n" {
		t.Fatalf("off with discovery: code %d stdout %q stderr %q", res.code, res.stdout, res.stderr)
	}
	if state, _ := e.sim.ServerState(s.Name); state.BootID != s.PowerBootID || state.PowerState != "poweroff" {
		t.Fatalf("discovered the wrong netboot: %+v", state)
	}
}

// TestPowerTimeoutAndPacemaker: power_timeout bounds the wait for the reboot task,
// except under Pacemaker's fencer, whose own timeout is then the only bound
// (fence-agents' disable_timeout behaviour).
func TestPowerTimeoutAndPacemaker(t *testing.T) {
	e := newSimEnv(t)
	e.sim.SetDurations(ovhsim.Durations{Init: 500 * time.Millisecond, Todo: 500 * time.Millisecond, Doing: 2 * time.Second})
	s := seed(0)
	stdin := e.stdin("off", s.Name, append(bootParams(s), "power_timeout=1")...)

	res := e.run(t, stdin)
	if res.code != 1 || !strings.Contains(res.stderr, "raise power_timeout") || strings.Contains(res.stdout, "Success") {
		t.Fatalf("off with power_timeout=1 and a 3 s task: code %d stdout %q stderr %q", res.code, res.stdout, res.stderr)
	}
	waitTaskDone(t, e, s.Name)

	res = runAgent(t, []string{"PCMK_service=pacemaker-fenced"}, stdin)
	if res.code != 0 || res.stdout != "Success: Powered OFF\n" {
		t.Fatalf("under pacemaker-fenced power_timeout must not apply: code %d stdout %q stderr %q", res.code, res.stdout, res.stderr)
	}
	waitTaskDone(t, e, s.Name)

	res = runAgent(t, []string{"PCMK_service=pacemaker-fenced"}, stdin+"disable_timeout=false\n")
	if res.code != 1 || !strings.Contains(res.stderr, "raise power_timeout") {
		t.Fatalf("disable_timeout=false keeps power_timeout: code %d stdout %q stderr %q", res.code, res.stdout, res.stderr)
	}
}

// waitTaskDone waits until the server's last task has finished, so that the next
// reboot is not refused with TaskAlreadyExists.
func waitTaskDone(t *testing.T, e *simEnv, sn string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		state, _ := e.sim.ServerState(sn)
		if n := len(state.Tasks); n > 0 && state.Tasks[n-1].Status == "done" {
			return
		}
	}
	t.Fatalf("the reboot task of %s never finished", sn)
}

// TestKeysAsParametersAndPasswordScript: the old way, keys in the device's
// parameters (login = application key, passwd_script printing the secret), still works.
func TestKeysAsParametersAndPasswordScript(t *testing.T) {
	e := newSimEnv(t)
	cfg, err := ovhapi.LoadConfigFile(e.conf, "")
	if err != nil {
		t.Fatal(err)
	}
	secretFile := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(secretFile, []byte(cfg.ApplicationSecret+"\n"), 0o600)
	stdin := strings.Join([]string{"action=status", "port=" + e.servers[0], "endpoint=" + e.endpoint,
		"login=" + cfg.ApplicationKey, "passwd_script=cat " + secretFile, "ovhcustomerkey=" + cfg.ConsumerKey, "verbose=1"}, "\n")
	res := e.run(t, stdin)
	if res.code != 0 || res.stdout != "Status: ON\n" {
		t.Fatalf("status with keys as parameters: code %d stdout %q stderr %q", res.code, res.stdout, res.stderr)
	}
	if strings.Contains(res.stderr, cfg.ApplicationSecret) || strings.Contains(res.stderr, cfg.ConsumerKey) {
		t.Fatalf("a secret leaked: %q", res.stderr)
	}
	res = e.run(t, strings.Replace(stdin, "cat "+secretFile, "echo no vault here >&2; false", 1))
	if res.code != 1 || !strings.Contains(res.stderr, "Failed: password_script failed (exit status 1: no vault here)") {
		t.Fatalf("a failing password script: code %d stderr %q", res.code, res.stderr)
	}
	start := time.Now()
	res = e.run(t, strings.Replace(stdin, "cat "+secretFile, "sleep 30", 1)+"\nshell_timeout=1\n")
	if res.code != 1 || !strings.Contains(res.stderr, "did not finish within shell_timeout") || time.Since(start) > 10*time.Second {
		t.Fatalf("a hung password script: code %d after %s, stderr %q", res.code, time.Since(start), res.stderr)
	}
}

// TestBuiltByGo123 guards DESIGN.md D7: Proxmox VE 3 runs Linux 2.6.32, which
// binaries from Go 1.24 and later no longer support. Run the tests with
// GOTOOLCHAIN=go1.23.12, as test.sh does.
func TestBuiltByGo123(t *testing.T) {
	out, err := exec.Command("go", "version", "-m", fenceOVH).CombinedOutput()
	if err != nil {
		t.Fatalf("go version -m: %v\n%s", err, out)
	}
	first, _, _ := strings.Cut(string(out), "\n")
	if !strings.Contains(first, ": go1.23.") {
		t.Fatalf("the binary was built by %q; build with GOTOOLCHAIN=go1.23.12", first)
	}
	if !strings.Contains(string(out), "CGO_ENABLED=0") {
		t.Fatalf("the binary is not static (CGO_ENABLED=0):\n%s", out)
	}
}

// TestStatusOfAFencedServerWithTheLeastPrivilegeKey: the fencing key may not read
// netboots (D3), and list-status knows no boot IDs. A server fenced in poweroff
// mode is proven OFF by its power state; one fenced in rescue mode answers ON,
// since the API cannot tell it from one merely set to rescue (issue 8 item 2).
func TestStatusOfAFencedServerWithTheLeastPrivilegeKey(t *testing.T) {
	e := newSimEnv(t)
	off, rescued := seed(1), seed(2)
	if res := e.run(t, e.stdin("off", off.Name, append(bootParams(off), "fence_mode=poweroff")...)); res.code != 0 {
		t.Fatalf("off: %d %q", res.code, res.stderr)
	}
	if res := e.run(t, e.stdin("off", rescued.Name, bootParams(rescued)...)); res.code != 0 {
		t.Fatalf("off: %d %q", res.code, res.stderr)
	}
	res := e.run(t, e.stdin("status", off.Name))
	if res.code != 2 || res.stdout != "Status: OFF\n" {
		t.Fatalf("status without boot IDs: code %d stdout %q stderr %q", res.code, res.stdout, res.stderr)
	}
	res = e.run(t, "", "-o", "list-status", "--ovh-config", e.conf, "--endpoint", e.endpoint)
	want := e.servers[0] + ",,on\n" + off.Name + ",,off\n" + rescued.Name + ",,on\n"
	if res.code != 0 || res.stdout != want {
		t.Fatalf("list-status: code %d stdout %q want %q stderr %q", res.code, res.stdout, want, res.stderr)
	}
}

// ---- Issue 8: fence_ovh never claims what it has not proven ----

// apiClient is a client on the test's fencing key, acting as another cluster
// node or the OVH manager would.
func (e *simEnv) apiClient(t *testing.T) *ovhapi.Client {
	t.Helper()
	cfg, err := ovhapi.LoadConfigFile(e.conf, "")
	if err != nil {
		t.Fatal(err)
	}
	client, err := ovhapi.New(cfg, ovhapi.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// useKey points the agent at a new key with rules.
func (e *simEnv) useKey(t *testing.T, rules []ovhsim.Rule) {
	t.Helper()
	ak, as, ck := e.sim.CreateToken(rules)
	e.conf = filepath.Join(t.TempDir(), "ovh.conf")
	if err := os.WriteFile(e.conf, ovhapi.FormatConfigFile(ovhapi.Config{Endpoint: e.endpoint, ApplicationKey: ak, ApplicationSecret: as, ConsumerKey: ck}), 0o600); err != nil {
		t.Fatal(err)
	}
}

// pendingDiskReboot leaves a hard reboot pending that was asked with the disk
// set (an on that gave up, or a reboot from the manager), then sets bootID again
// as another agent's off would.
func (e *simEnv) pendingDiskReboot(t *testing.T, sn string, bootID int64) {
	t.Helper()
	c := e.apiClient(t)
	ctx := context.Background()
	if err := c.SetBoot(ctx, sn, 1, ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Reboot(ctx, sn); err != nil {
		t.Fatal(err)
	}
	if err := c.SetBoot(ctx, sn, bootID, ""); err != nil {
		t.Fatal(err)
	}
}

// Item 1: powered off on its off netboot but with a disk reboot pending: not
// "Already OFF"; the agent follows the pending reboot, then sends its own.
func TestOffFollowsAPendingDiskReboot(t *testing.T) {
	e := newSimEnv(t)
	s := seed(0)
	params := append(bootParams(s), "fence_mode=poweroff")
	if res := e.run(t, e.stdin("off", s.Name, params...)); res.code != 0 {
		t.Fatalf("first off: %d %q", res.code, res.stderr)
	}
	e.pendingDiskReboot(t, s.Name, s.PowerBootID)
	res := e.run(t, e.stdin("off", s.Name, params...))
	if res.code != 0 || res.stdout != "Success: Powered OFF\n" {
		t.Fatalf("off with a disk reboot pending: code %d stdout %q stderr %q", res.code, res.stdout, res.stderr)
	}
	state, _ := e.sim.ServerState(s.Name)
	if state.BootedKernel != "poweroff" || state.PowerState != "poweroff" {
		t.Fatalf("after off the server runs %q (%s), want powered off", state.BootedKernel, state.PowerState)
	}
}

// Item 3: an off netboot equal to the disk netboot is refused by validate-all
// and by every action, before anything is changed.
func TestOffNetbootEqualToTheDiskIsRefused(t *testing.T) {
	e := newSimEnv(t)
	s := seed(0)
	for _, action := range []string{"validate-all", "off", "status", "on", "reboot"} {
		mark := len(e.sim.Requests())
		res := e.run(t, e.stdin(action, s.Name, "rescue_boot_id=1"))
		if res.code != 1 || !strings.Contains(res.stderr, "disk netboot") || strings.Contains(res.stdout, "Success") {
			t.Fatalf("%s with rescue_boot_id=1: code %d stdout %q stderr %q", action, res.code, res.stdout, res.stderr)
		}
		if calls := e.calls(mark); len(calls) != 0 {
			t.Fatalf("%s with rescue_boot_id=1 called the API: %q", action, calls)
		}
	}
}

// Items 6 and 7: transient faults of every kind, each more often than the
// client's old four attempts, are retried until the deadline, each a warning.
func TestTransientFaultsAreRetriedUntilTheDeadline(t *testing.T) {
	faults := []struct {
		name  string
		fault ovhsim.Fault
	}{
		{"task polls answer 500", ovhsim.Fault{Kind: ovhsim.FaultTask500, Count: 6}},
		{"task polls answer 404 after creation", ovhsim.Fault{Kind: ovhsim.FaultTask404, Count: 6}},
		{"429 on server calls", ovhsim.Fault{Kind: ovhsim.FaultStatus429, Path: "/dedicated/server/*", Count: 6}},
		{"dropped connections", ovhsim.Fault{Kind: ovhsim.FaultDrop, Path: "/dedicated/server/*", Count: 6}},
		{"/auth/time answers 500", ovhsim.Fault{Kind: ovhsim.FaultStatus500, Path: "/auth/time", Count: 2}},
		{"/auth/time drops", ovhsim.Fault{Kind: ovhsim.FaultDrop, Path: "/auth/time", Count: 1}},
		{"slow /auth/time", ovhsim.Fault{Kind: ovhsim.FaultSlowTime, Latency: 3 * time.Second, Count: 1}},
	}
	for _, f := range faults {
		f := f
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			e := newSimEnv(t)
			s := seed(0)
			e.sim.AddFault(f.fault)
			res := e.run(t, e.stdin("off", s.Name, append(bootParams(s), "login_timeout=1", "power_timeout=60")...))
			if res.code != 0 || res.stdout != "Success: Powered OFF\n" {
				t.Fatalf("off: code %d stdout %q stderr %q", res.code, res.stdout, res.stderr)
			}
			if !strings.Contains(res.stderr, "WARNING") {
				t.Fatalf("no retry warning in %q", res.stderr)
			}
		})
	}
}

// Item 8: a key without GET …/task, and one 5xx on the reboot request: the
// hint names the missing rule rather than blaming OVH.
func TestMissingTaskListRuleIsNamed(t *testing.T) {
	e := newSimEnv(t)
	s := seed(0)
	base := "/dedicated/server/" + s.Name
	e.useKey(t, []ovhsim.Rule{{Method: "GET", Path: base}, {Method: "PUT", Path: base},
		{Method: "POST", Path: base + "/reboot"}, {Method: "GET", Path: base + "/task/*"}})
	e.sim.AddFault(ovhsim.Fault{Kind: ovhsim.FaultStatus500, Method: "POST", Path: base + "/reboot", Count: 1})
	res := e.run(t, e.stdin("off", s.Name, bootParams(s)...))
	if res.code != 1 || !strings.Contains(res.stderr, "lacks a rule for GET "+base+"/task") {
		t.Fatalf("off: code %d stderr %q; want the missing GET …/task rule named", res.code, res.stderr)
	}
}

func TestMetadataListsEveryRule(t *testing.T) {
	res := runAgent(t, nil, "", "-o", "metadata")
	for _, rule := range []string{"GET /dedicated/server/NAME (", "PUT /dedicated/server/NAME", "POST /dedicated/server/NAME/reboot",
		"GET /dedicated/server/NAME/task (", "GET /dedicated/server/NAME/task/*", "GET /dedicated/server/NAME/boot ", "GET /dedicated/server/NAME/boot/*", "GET /dedicated/server,"} {
		if !strings.Contains(res.stdout, rule) {
			t.Errorf("metadata does not list %q", rule)
		}
	}
}

// Item 9: reboot --method onoff: off verified, on failed → as fence-agents,
// the failed on is logged and the reboot succeeds.
func TestRebootOnOffWithAFailedOnSucceeds(t *testing.T) {
	e := newSimEnv(t)
	s := seed(0)
	// The off's reboot request goes through; every later one fails: the on cannot succeed.
	e.sim.AddFault(ovhsim.Fault{Kind: ovhsim.FaultHTML503, Method: "POST", Path: "/dedicated/server/*/reboot", After: 1})
	res := runAgent(t, nil, e.stdin("reboot", s.Name, append(bootParams(s), "method=onoff", "stonith_status_sleep=0.5", "power_timeout=5", "retry_on=1")...))
	if res.code != 0 || res.stdout != "Success: Rebooted\n" || !strings.Contains(res.stderr, "powering it on failed") {
		t.Fatalf("reboot onoff with a failed on: code %d stdout %q stderr %q", res.code, res.stdout, res.stderr)
	}
}

// Item 10: a cluster-wide key that may not list the account's servers: exit 1
// naming the missing rule, not an empty list.
func TestListWithAClusterWideKey(t *testing.T) {
	e := newSimEnv(t)
	e.useKey(t, []ovhsim.Rule{{Method: "GET", Path: "/dedicated/server/*"}, {Method: "PUT", Path: "/dedicated/server/*"},
		{Method: "POST", Path: "/dedicated/server/*/reboot"}})
	res := e.run(t, "", "-o", "list", "--ovh-config", e.conf, "--endpoint", e.endpoint)
	if res.code != 1 || res.stdout != "" || !strings.Contains(res.stderr, "GET /dedicated/server") {
		t.Fatalf("list: code %d stdout %q stderr %q", res.code, res.stdout, res.stderr)
	}
}

// Item 11: two offs at once while a reboot is pending: both succeed, and the
// server ends fenced.
func TestTwoOffsAtOnceWithAPendingReboot(t *testing.T) {
	e := newSimEnv(t)
	s := seed(0)
	e.pendingDiskReboot(t, s.Name, 1)
	results := make(chan result, 2)
	for range 2 {
		go func() { results <- runAgent(t, nil, e.stdin("off", s.Name, bootParams(s)...)) }()
	}
	for range 2 {
		if res := <-results; res.code != 0 || res.stdout != "Success: Powered OFF\n" {
			t.Fatalf("off: code %d stdout %q stderr %q", res.code, res.stdout, res.stderr)
		}
	}
	if state, _ := e.sim.ServerState(s.Name); state.BootedKernel != "rescue12-customer" {
		t.Fatalf("after two offs the server runs %q", state.BootedKernel)
	}
}

// Item 12: plug_separator splits plugs: off fences each; status is ON if any is.
func TestSeveralPlugs(t *testing.T) {
	e := newSimEnv(t)
	a, b := seed(0), seed(1)
	// Boot IDs differ per server: a key that may look them up.
	e.useKey(t, append(ovhsim.FencingRules(a.Name, b.Name), ovhsim.Rule{Method: "GET", Path: "/dedicated/server/*/boot*"}))
	plugs := a.Name + ":" + b.Name
	res := e.run(t, e.stdin("off", plugs, "plug_separator=:", "fence_mode=poweroff"))
	if res.code != 0 || res.stdout != "Success: Powered OFF\n" {
		t.Fatalf("off of two plugs: code %d stdout %q stderr %q", res.code, res.stdout, res.stderr)
	}
	for _, s := range []ovhsim.ServerSeed{a, b} {
		if state, _ := e.sim.ServerState(s.Name); state.PowerState != "poweroff" {
			t.Fatalf("%s after off: %+v", s.Name, state)
		}
	}
	if res := e.run(t, e.stdin("status", plugs, "plug_separator=:", "fence_mode=poweroff")); res.code != 2 {
		t.Fatalf("status of two fenced plugs: code %d stdout %q", res.code, res.stdout)
	}
	if res := e.run(t, e.stdin("on", b.Name)); res.code != 0 {
		t.Fatalf("on: %d %q", res.code, res.stderr)
	}
	if res := e.run(t, e.stdin("status", plugs, "plug_separator=:", "fence_mode=poweroff")); res.code != 0 || res.stdout != "Status: ON\n" {
		t.Fatalf("status with one plug on: code %d stdout %q", res.code, res.stdout)
	}
}

// Item 13: a task that answers 404 from its creation gets a hint that fits.
func TestTask404RightAfterCreationHint(t *testing.T) {
	e := newSimEnv(t)
	s := seed(0)
	e.sim.AddFault(ovhsim.Fault{Kind: ovhsim.FaultTask404})
	res := e.run(t, e.stdin("off", s.Name, append(bootParams(s), "power_timeout=2")...))
	if res.code != 1 || strings.Contains(res.stderr, "purges") || !strings.Contains(res.stderr, "still answers 404") {
		t.Fatalf("off: code %d stderr %q", res.code, res.stderr)
	}
}

// Items 5 and 14: an on whose reboot requests all fail makes 1 + retry_on
// attempts; it leaves the disk netboot set on a server that runs rescue, and the
// next on still reboots it rather than reading "Already ON".
func TestFailedOnThenOn(t *testing.T) {
	e := newSimEnv(t)
	s := seed(0)
	if res := e.run(t, e.stdin("off", s.Name, bootParams(s)...)); res.code != 0 {
		t.Fatalf("off: %d %q", res.code, res.stderr)
	}
	e.sim.AddFault(ovhsim.Fault{Kind: ovhsim.FaultHTML503, Method: "POST", Path: "/dedicated/server/*/reboot"})
	res := e.run(t, e.stdin("on", s.Name, append(bootParams(s), "power_timeout=1.5", "retry_on=1")...))
	if res.code != 1 || !strings.Contains(res.stderr, "attempt 1 of 2 failed") {
		t.Fatalf("on with failing reboots: code %d stdout %q stderr %q", res.code, res.stdout, res.stderr)
	}
	e.sim.ClearFaults()
	res = e.run(t, e.stdin("on", s.Name, append(bootParams(s), "reboot_time=0.3")...))
	if res.code != 0 || res.stdout != "Success: Powered ON\n" {
		t.Fatalf("on after a failed on: code %d stdout %q stderr %q", res.code, res.stdout, res.stderr)
	}
	if state, _ := e.sim.ServerState(s.Name); state.BootedKernel != "hd" {
		t.Fatalf("after on the server runs %q", state.BootedKernel)
	}
}

// hostileProxy sits between the agent and ovhsim and answers some calls itself:
// answer(method, path) returns a status and body, or 0 to pass the call on.
func (e *simEnv) hostileProxy(t *testing.T, answer func(method, path string) (int, string, http.Header)) {
	t.Helper()
	target, err := url.Parse(strings.TrimSuffix(e.endpoint, "/1.0"))
	if err != nil {
		t.Fatal(err)
	}
	pass := httputil.NewSingleHostReverseProxy(target) // keeps the Host header: signatures still match
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status, body, header := answer(r.Method, r.URL.Path)
		if status == 0 {
			pass.ServeHTTP(w, r)
			return
		}
		for k, v := range header {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(proxy.Close)
	cfg, err := ovhapi.LoadConfigFile(e.conf, "")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Endpoint = proxy.URL + "/1.0"
	e.endpoint, e.conf = cfg.Endpoint, filepath.Join(t.TempDir(), "ovh.conf")
	if err := os.WriteFile(e.conf, ovhapi.FormatConfigFile(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
}

// Items 4, 13 and 15 through a hostile proxy: answers about another task or
// server, null bodies and redirects are never taken for OVH's word.
func TestHostileAnswersAreNeverTrusted(t *testing.T) {
	s := seed(0)
	srvPath := "/1.0/dedicated/server/" + s.Name
	isTask := func(p string) bool { return strings.HasPrefix(p, srvPath+"/task/") }
	tests := []struct {
		name, action, want string
		answer             func(method, path string) (int, string, http.Header)
	}{
		{"another function's task, done", "off", "reinstallServer", func(m, p string) (int, string, http.Header) {
			if m == "GET" && isTask(p) {
				return 200, fmt.Sprintf(`{"taskId":%s,"function":"reinstallServer","status":"done"}`, path.Base(p)), nil
			}
			return 0, "", nil
		}},
		{"another task's body, done", "off", "describes task", func(m, p string) (int, string, http.Header) {
			if m == "GET" && isTask(p) {
				return 200, `{"taskId":1,"function":"hardReboot","status":"done"}`, nil
			}
			return 0, "", nil
		}},
		{"a null task", "on", "null", func(m, p string) (int, string, http.Header) {
			if m == "GET" && isTask(p) {
				return 200, `null`, nil
			}
			return 0, "", nil
		}},
		{"another server's body", "status", "describes server", func(m, p string) (int, string, http.Header) {
			if m == "GET" && p == srvPath {
				return 200, `{"name":"ns-other.eu","bootId":95083,"powerState":"poweroff"}`, nil
			}
			return 0, "", nil
		}},
		{"{} for the server", "status", "describes server", func(m, p string) (int, string, http.Header) {
			if m == "GET" && p == srvPath {
				return 200, `{}`, nil
			}
			return 0, "", nil
		}},
		{"the reboot answered 200 null", "off", "without a hardReboot task", func(m, p string) (int, string, http.Header) {
			if m == "POST" && p == srvPath+"/reboot" {
				return 200, `null`, nil
			}
			return 0, "", nil
		}},
		{"a redirect", "status", "redirect", func(m, p string) (int, string, http.Header) {
			if m == "GET" && p == srvPath {
				return 307, `{}`, http.Header{"Location": {"http://127.0.0.1:1/1.0/dedicated/server/" + s.Name}}
			}
			return 0, "", nil
		}},
	}
	for _, tt := range tests {
		tt := tt
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newSimEnv(t)
			if tt.action == "on" {
				e.setBootWithoutReboot(t, s.Name, s.RescueBootID)
			}
			e.hostileProxy(t, tt.answer)
			res := e.run(t, e.stdin(tt.action, s.Name, append(bootParams(s), "power_timeout=2")...))
			if res.code != 1 || res.stdout != "" || strings.Count(res.stderr, "Failed: ") != 1 || !strings.Contains(res.stderr, tt.want) {
				t.Fatalf("%s: code %d stdout %q stderr %q; want one Failed line mentioning %q", tt.action, res.code, res.stdout, res.stderr, tt.want)
			}
		})
	}
}
