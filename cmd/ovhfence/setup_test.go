package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/cluster"
)

// sandboxOutputs are the files a sandbox run writes besides ovh.conf and the log.
var sandboxOutputs = []string{"sandbox.cluster", "fence-sandbox-pcs.sh", "cluster.conf.new"}

// checkSameAsRender asserts that the files written in dir equal what
// 'ovhfence render' makes from the cluster file written there.
func checkSameAsRender(t *testing.T, dir string) {
	t.Helper()
	clusterFile := filepath.Join(dir, "sandbox.cluster")
	for kind, name := range map[string]string{"pcs": "fence-sandbox-pcs.sh", "clusterconf": "cluster.conf.new"} {
		var stdout, stderr bytes.Buffer
		if code := dispatch("ovhfence", []string{"render", kind, "--cluster", clusterFile, "--out", "-"}, nil, &stdout, &stderr); code != 0 {
			t.Fatalf("ovhfence render %s: exit %d: %s", kind, code, stderr.String())
		}
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(got, stdout.Bytes()) {
			t.Errorf("%s differs from 'ovhfence render %s' (err %v)", name, kind, err)
		}
	}
	c, err := cluster.Load(clusterFile)
	if err != nil {
		t.Fatalf("the written cluster file does not load: %v", err)
	}
	if c.Credentials != filepath.Join(dir, "ovh.conf") || len(c.Nodes) != 3 || c.Nodes[0].PowerBootID == 0 {
		t.Errorf("cluster file: credentials %s, nodes %+v", c.Credentials, c.Nodes)
	}
	info, err := os.Stat(filepath.Join(dir, "ovh.conf"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("ovh.conf: %v, mode %v", err, info.Mode())
	}
}

// checkNoSecrets asserts that no secret of ovh.conf appears in texts.
func checkNoSecrets(t *testing.T, dir string, texts ...string) {
	t.Helper()
	conf, err := os.ReadFile(filepath.Join(dir, "ovh.conf"))
	if err != nil {
		t.Fatal(err)
	}
	logText, _ := os.ReadFile(filepath.Join(dir, "ovhfence-setup.log"))
	texts = append(texts, string(logText))
	for _, line := range strings.Split(string(conf), "\n") {
		key, value, _ := strings.Cut(line, "=")
		if key != "application_secret" && key != "consumer_key" {
			continue
		}
		for _, text := range texts {
			if value == "" || strings.Contains(text, value) {
				t.Errorf("%s leaked (or empty)", key)
			}
		}
	}
}

func TestSetupFlagsModeWithoutATerminal(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := runSetup([]string{"--sandbox", "--yes", "--out", dir}, strings.NewReader(""), &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	for _, name := range sandboxOutputs {
		if !strings.Contains(stdout.String(), filepath.Join(dir, name)+"\n") {
			t.Errorf("stdout does not list %s:\n%s", name, stdout.String())
		}
	}
	checkSameAsRender(t, dir)
	checkNoSecrets(t, dir, stdout.String(), stderr.String())
}

func TestSetupPlainModeThroughAPipe(t *testing.T) {
	dir := t.TempDir()
	answers := []string{
		"", "", "", "", // targets, endpoint, cluster name, nodes: the sandbox's defaults
		"", "", "", // the sandbox's application key and secret, consumer-key
		"",         // discover the servers
		"", "", "", // accept the mapping
		"rescue",                            // fence mode
		"",                                  // request a fencing key
		"node2", "ns567891.ip-123-22-45.eu", // a real fence cycle of node2, confirmed
		"",    // then move on
		"yes", // write
	}
	var stdout, stderr bytes.Buffer
	code := runSetup([]string{"--sandbox", "--plain", "--out", dir}, strings.NewReader(strings.Join(answers, "\n")+"\n"), &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	checkSameAsRender(t, dir)
	checkNoSecrets(t, dir, stdout.String(), stderr.String())
	for _, want := range []string{"Fence test: node2 off (verified)", "Done (log saved to " + dir} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
	if c, _ := cluster.Load(filepath.Join(dir, "sandbox.cluster")); c == nil || c.FenceMode != cluster.FenceRescue {
		t.Errorf("fence mode not rescue: %+v", c)
	}
}

func TestSetupNamesTheMissingFlag(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no keys", []string{"--target", "pcs", "--nodes", "a,b", "--cluster-name", "c", "--endpoint", "http://127.0.0.1:1/1.0"}, "--application-key (or $OVH_APPLICATION_KEY) is required"},
		{"bad target", []string{"--target", "pve9"}, `--target: unknown target "pve9"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("OVH_APPLICATION_KEY", "")
			t.Setenv("OVH_APPLICATION_SECRET", "")
			chdir(t, t.TempDir())
			var stdout, stderr bytes.Buffer
			code := runSetup(tt.args, strings.NewReader(""), &stdout, &stderr)
			if code != 2 || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("exit %d, stderr %q, want 2 and %q", code, stderr.String(), tt.want)
			}
			if entries, _ := os.ReadDir("."); len(entries) != 0 {
				t.Errorf("files were written: %v", entries)
			}
		})
	}
}

// TestSetupSandboxWithoutTerminal: the README's first command must run anywhere, so
// the sandbox, which can do no harm, takes every default when nothing can be asked.
func TestSetupSandboxWithoutTerminal(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	var stdout, stderr bytes.Buffer
	code := runSetup([]string{"--sandbox", "--out", dir}, strings.NewReader(""), &stdout, &stderr)
	if code != 0 || !strings.Contains(stderr.String(), "the sandbox takes every default") {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	checkSameAsRender(t, dir)
}

// chdir changes the working directory for the test (testing.T.Chdir is Go 1.24).
func chdir(t *testing.T, dir string) {
	t.Helper()
	old, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chdir(old) })
}

// TestSetupSummaryCommandRepeatsTheRun: the command line the summary prints
// repeats an interactive run's answers (here a swapped mapping and the rescue
// mode, neither a default) with no question, and writes the same files.
func TestSetupSummaryCommandRepeatsTheRun(t *testing.T) {
	dir := t.TempDir()
	answers := []string{
		"", "", "", "", "", "", "", "", // preflight, keys and credentials kind, discover the servers
		"", "ns567892.ip-123-22-46.eu", "ns567891.ip-123-22-45.eu", // node2 and node3 swapped
		"rescue", "", "", "yes",
	}
	var stdout, stderr bytes.Buffer
	if code := runSetup([]string{"--sandbox", "--plain", "--out", dir}, strings.NewReader(strings.Join(answers, "\n")+"\n"), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	_, after, _ := strings.Cut(stderr.String(), "The same setup without questions:\n")
	command, _, found := strings.Cut(after, "Done (log saved")
	args := strings.Fields(strings.ReplaceAll(command, "\\\n", ""))
	if !found || len(args) < 3 || args[0] != "ovhfence" || args[1] != "setup" {
		t.Fatalf("no command line in the summary:\n%s", stderr.String())
	}
	first, err := os.ReadFile(filepath.Join(dir, "sandbox.cluster"))
	if err != nil {
		t.Fatal(err)
	}

	stdout.Reset()
	stderr.Reset()
	if code := runSetup(args[2:], strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("%s: exit %d\n%s", strings.Join(args, " "), code, stderr.String())
	}
	again, err := os.ReadFile(filepath.Join(dir, "sandbox.cluster"))
	if err != nil || withoutEndpoint(first) != withoutEndpoint(again) {
		t.Errorf("the repeated run wrote another cluster file (%v):\n%s\nthen\n%s", err, first, again)
	}
	c, err := cluster.Load(filepath.Join(dir, "sandbox.cluster"))
	if err != nil || c.FenceMode != cluster.FenceRescue || c.Nodes[1].Server != "ns567892.ip-123-22-46.eu" {
		t.Errorf("the answers did not hold: %v %+v", err, c)
	}
	checkNoSecrets(t, dir, command)
}

// withoutEndpoint drops the endpoint line: each sandbox listens on its own port.
func withoutEndpoint(clusterFile []byte) string {
	var kept []string
	for _, line := range strings.Split(string(clusterFile), "\n") {
		if !strings.HasPrefix(line, "endpoint =") {
			kept = append(kept, line)
		}
	}
	return strings.Join(kept, "\n")
}

// TestSetupWithNamedServers: servers typed instead of discovered are read
// with a discovery key scoped to them, which must still read their boots.
func TestSetupWithNamedServers(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	named := "ns567892.ip-123-22-46.eu,ns567890.ip-123-22-44.eu,ns567891.ip-123-22-45.eu"
	code := runSetup([]string{"--sandbox", "--yes", "--out", dir, "--servers", named}, strings.NewReader(""), &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	checkSameAsRender(t, dir)
	if !strings.Contains(stderr.String(), "--servers "+named) {
		t.Errorf("the summary's command line lacks the named servers:\n%s", stderr.String())
	}
}
