package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ovhfence/ovhfence/ovhapi"
)

// hostileMessage is what a compromised or broken API (or a proxy in between)
// could answer: a forged result line, terminal escapes, and megabytes.
var hostileMessage = "denied\nSuccess: Powered OFF\n\x1b[2J\x1b[31mStatus: OFF\x1b[0m\r\u202e" + strings.Repeat("A", 3<<20)

// hostileAPI answers the time honestly and every other call with a 400 whose
// message is hostileMessage.
func hostileAPI(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/auth/time") {
			fmt.Fprint(w, time.Now().Unix())
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"class": "Client::BadRequest", "message": hostileMessage})
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/1.0"
}

// forgedLine is a line the agent prints only when it has proven it.
var forgedLine = regexp.MustCompile(`(?m)^(Success|Status|Already)`)

// Rule: OVH's text reaches the Failed: line, the log and the debug file on one
// line, without control characters, cut to 512 bytes.
func TestAgentShowsHostileAPITextSafely(t *testing.T) {
	endpoint := hostileAPI(t)
	dir := t.TempDir()
	conf := filepath.Join(dir, "ovh.conf")
	cfg := ovhapi.Config{Endpoint: endpoint, ApplicationKey: "AK", ApplicationSecret: "application-secret-0123456789", ConsumerKey: "consumer-key-0123456789abcdef"}
	if err := os.WriteFile(conf, ovhapi.FormatConfigFile(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	debug := filepath.Join(dir, "debug.log")
	for _, action := range []string{"off", "status", "monitor"} {
		stdin := strings.Join([]string{"action=" + action, "plug=ns1.ip-1-2-3.eu", "ovh_config=" + conf, "endpoint=" + endpoint,
			"debug_file=" + debug, "verbose=1", "retry_on=1", "disk_boot_id=1", "rescue_boot_id=22"}, "\n") + "\n"
		res := runAgent(t, nil, stdin)
		if res.code == 0 {
			t.Errorf("%s: exit 0 against an API that refuses everything", action)
		}
		log, _ := os.ReadFile(debug)
		for name, text := range map[string]string{"stdout": res.stdout, "stderr": res.stderr, "debug file": string(log)} {
			assertSafeOutput(t, action+" "+name, text)
		}
		if !strings.Contains(res.stderr, "Failed: ") || !strings.Contains(res.stderr, "denied Success: Powered OFF") {
			t.Errorf("%s: the Failed: line does not quote OVH's message on one line:\n%.2000s", action, res.stderr)
		}
	}
}

func assertSafeOutput(t *testing.T, what, text string) {
	t.Helper()
	if m := forgedLine.FindString(text); m != "" {
		t.Errorf("%s has a line starting %q that the agent never proved:\n%.3000s", what, m, text)
	}
	if strings.ContainsAny(text, "\x1b\r\u202e") {
		t.Errorf("%s holds a control or format character", what)
	}
	for _, line := range strings.Split(text, "\n") {
		if len(line) > 4200 {
			t.Errorf("%s has a line of %d bytes", what, len(line))
			break
		}
	}
}

// Rule: the debug file is appended to, created 0600, and never opened through
// a link or when it is not a regular file (the agent then warns and fences on:
// a debug file is no reason to leave a node unfenced).
func TestAgentDebugFileRules(t *testing.T) {
	env := newSimEnv(t)
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	if err := os.WriteFile(victim, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	link, fifo, fresh := filepath.Join(dir, "link.log"), filepath.Join(dir, "fifo.log"), filepath.Join(dir, "new.log")
	if err := os.Symlink(victim, link); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{link, fifo} {
		res := env.run(t, env.stdin("monitor", env.servers[0], "debug_file="+path))
		if !strings.Contains(res.stderr, "cannot open debug file") {
			t.Errorf("debug_file=%s accepted: exit %d\n%s", path, res.code, res.stderr)
		}
	}
	if got, _ := os.ReadFile(victim); string(got) != "keep" {
		t.Errorf("the link's target was written: %q", got)
	}
	for range 2 {
		if res := env.run(t, env.stdin("monitor", env.servers[0], "debug_file="+fresh, "verbose=1")); res.code != 0 {
			t.Fatalf("monitor with a new debug file: exit %d\n%s", res.code, res.stderr)
		}
	}
	info, err := os.Stat(fresh)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("the debug file: %v, mode %v; want 0600", err, info.Mode().Perm())
	}
}

// Rule: a crafted endpoint never reaches a script, a crm line or a shown
// command: the cluster file is refused, and nothing is written.
func TestRenderRefusesCraftedEndpoint(t *testing.T) {
	example, err := os.ReadFile(twoNodeCluster)
	if err != nil {
		t.Fatal(err)
	}
	for _, endpoint := range []string{
		"https://eu.api.ovh.com/1.0 plug=ns2",
		"https://eu.api.ovh.com/1.0';reboot;'",
		"https://eu.api.ovh.com/1.0$(reboot)",
		"http://eu.api.ovh.com/1.0",
		`https://eu.api.ovh.com/1.0"`,
	} {
		dir := t.TempDir()
		file := filepath.Join(dir, "x.cluster")
		crafted := strings.Replace(string(example), "endpoint = ovh-eu", "endpoint = "+endpoint, 1)
		if err := os.WriteFile(file, []byte(crafted), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, kind := range []string{"crm", "pcs"} {
			out := filepath.Join(dir, kind)
			code, stdout, stderr := runRenderCLI(kind, "--cluster", file, "--out", out)
			if code == 0 || stdout != "" || !strings.Contains(stderr, "endpoint") {
				t.Errorf("render %s with endpoint %q: exit %d\nstderr: %s", kind, endpoint, code, stderr)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("render %s with endpoint %q wrote %s", kind, endpoint, out)
			}
		}
	}
}

// Rule 1 for render: streams, /dev/null, and a refusal of anything else
// that is not a regular file, before anything is written.
func TestRenderOutputKinds(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		out            string
		code           int
		stdout, stderr string // substrings; "" for stdout: nothing at all
	}{
		{"-", 0, "pcs -f", "Next steps"},
		{"/dev/stdout", 0, "pcs -f", "Next steps"},
		{"/dev/stderr", 0, "", "pcs -f"},
		{"/dev/null", 0, "", "Next steps"},
		{fifo, 1, "", "not a regular file"},
		{dir, 1, "", "not a regular file"},
		{"/dev/zero", 1, "", "not a regular file"},
	} {
		done := make(chan struct{})
		go func() {
			defer close(done)
			code, stdout, stderr := runRenderCLI("pcs", "--cluster", twoNodeCluster, "--out", tt.out)
			if code != tt.code || !strings.Contains(stdout, tt.stdout) || (tt.stdout == "" && stdout != "") || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("--out %s: exit %d\nstdout: %.200s\nstderr: %.300s", tt.out, code, stdout, stderr)
			}
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("--out %s hangs", tt.out)
		}
	}
	for _, dev := range []string{"/dev/null", "/dev/zero"} {
		if info, err := os.Lstat(dev); err != nil || info.Mode()&os.ModeCharDevice == 0 {
			t.Fatalf("%s is no longer a device: %v", dev, err)
		}
		if _, err := os.Lstat(dev + ".bak"); err == nil {
			t.Errorf("%s.bak was made", dev)
		}
	}
}

// Rule 5: pending edits in cluster.conf.new survive, and the output says so.
func TestRenderClusterConfKeepsPendingEdits(t *testing.T) {
	dir, in := copyFixture(t)
	live, _ := os.ReadFile(in)
	pending := strings.Replace(string(live), "</clusternodes>", "</clusternodes>\n  <!-- pending edit 4242 -->", 1)
	if err := os.WriteFile(filepath.Join(dir, "cluster.conf.new"), []byte(pending), 0o640); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runRenderCLI("clusterconf", "--cluster", threeNodeCluster, "--in", in)
	if code != 0 || !strings.Contains(stderr, "holds pending edits") || !strings.Contains(stderr, "--- a/cluster.conf.new") {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	if strings.Contains(stderr, "-  <!-- pending edit 4242 -->") {
		t.Errorf("the diff shows the pending edit as removed:\n%s", stderr)
	}
	written, _ := os.ReadFile(filepath.Join(dir, "cluster.conf.new"))
	if !strings.Contains(string(written), "pending edit 4242") {
		t.Errorf("the pending edit was dropped:\n%s", written)
	}
}

// Hostile flags and environment: each refused with exit 2 before OVH is asked
// anything, with the rule that refuses it, and no secret echoed.
func TestKeysRequestRefusesHostileFlagsAndEnvironment(t *testing.T) {
	const injected = "AK\n[ovh-eu]\nconsumer_key=StolenStolenStolen"
	tests := []struct {
		name  string
		extra []string
		env   map[string]string
		rule  string
	}{
		{"server with a shell metacharacter", []string{"--server", "ns1;reboot"}, nil, "not an OVH service name"},
		{"server with a newline", []string{"--server", "ns1\nns2"}, nil, "not an OVH service name"},
		{"server with a path", []string{"--server", "ns1/../../me"}, nil, "not an OVH service name"},
		{"application key with an ovh.conf section", []string{"--server", "ns1", "--application-key", injected}, nil, "application key holds characters"},
		{"application key from the environment", []string{"--server", "ns1"}, map[string]string{ovhapi.EnvApplicationKey: injected}, "application key holds characters"},
		{"endpoint from the environment", []string{"--server", "ns1"}, map[string]string{ovhapi.EnvEndpoint: "https://x/1.0 plug=ns2"}, "endpoint"},
		{"endpoint flag in clear text", []string{"--server", "ns1", "--endpoint", "http://api.example.com/1.0"}, nil, "loopback"},
		{"negative poll interval", []string{"--server", "ns1", "--poll-interval", "-1s"}, nil, "must be positive"},
		{"wrong type", []string{"--server", "ns1", "--timeout", "soon"}, nil, "invalid value"},
		{"huge flag", []string{"--server", strings.Repeat("n", 1<<20) + ";"}, nil, "not an OVH service name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newKeysEnv(t, ignoreRequest)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			args := []string{"keys", "request", "--application-secret-file", env.secretFile, "--write", filepath.Join(t.TempDir(), "ovh.conf")}
			if tt.env[ovhapi.EnvEndpoint] == "" && !strings.Contains(strings.Join(tt.extra, " "), "--endpoint") {
				args = append(args, "--endpoint", env.endpoint)
			}
			if tt.env[ovhapi.EnvApplicationKey] == "" && !strings.Contains(strings.Join(tt.extra, " "), "--application-key") {
				args = append(args, "--application-key", env.ak)
			}
			res := runInProcess(append(args, tt.extra...)...)
			if res.code != 2 || !strings.Contains(res.stderr, tt.rule) {
				t.Errorf("exit %d, want 2 and %q; stderr: %.400s", res.code, tt.rule, res.stderr)
			}
			if strings.Contains(res.stderr, "StolenStolen") {
				t.Errorf("the refused key is echoed: %.400s", res.stderr)
			}
			assertNoSecret(t, res, env.as)
			select {
			case <-env.requested:
				t.Error("a consumer key was requested")
			default:
			}
		})
	}
}

// Rule 1 for the wizard: an output it could not write is refused before any question or API call.
func TestSetupRefusesNonRegularOutputsFirst(t *testing.T) {
	clearOVHEnv(t)
	dir := t.TempDir()
	notDir := filepath.Join(dir, "file")
	if err := os.WriteFile(notDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"--credentials", "/dev/null"}, {"--credentials", "-"}, {"--credentials", dir}, {"--out", notDir},
	} {
		res := runInProcess(append([]string{"setup", "--plain", "--target", "pcs"}, args...)...)
		if res.code != 2 || !strings.Contains(res.stderr, args[0]) {
			t.Errorf("setup %v: exit %d, stderr %.300s", args, res.code, res.stderr)
		}
	}
	if info, err := os.Lstat("/dev/null"); err != nil || info.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("/dev/null is no longer a device: %v", err)
	}
}
