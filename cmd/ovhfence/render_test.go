package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	threeNodeCluster = "../../examples/three-node.cluster"
	twoNodeCluster   = "../../examples/two-node.cluster"
)

func runRenderCLI(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = dispatch("ovhfence", append([]string{"render"}, args...), strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

// copyFixture puts the Proxmox fixture in a fresh directory as cluster.conf.
func copyFixture(t *testing.T) (dir, path string) {
	t.Helper()
	data, err := os.ReadFile("../../testdata/pve3-cluster.conf")
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	path = filepath.Join(dir, "cluster.conf")
	if err := os.WriteFile(path, data, 0o640); err != nil {
		t.Fatal(err)
	}
	return dir, path
}

func TestRenderClusterConfWritesNewFileBesideInput(t *testing.T) {
	dir, in := copyFixture(t)
	newPath := filepath.Join(dir, "cluster.conf.new")
	for run := 1; run <= 2; run++ {
		code, stdout, stderr := runRenderCLI("clusterconf", "--cluster", threeNodeCluster, "--in", in)
		if code != 0 {
			t.Fatalf("run %d: exit %d: %s", run, code, stderr)
		}
		if stdout != "" {
			t.Errorf("run %d: stdout = %q, want nothing", run, stdout)
		}
		diffAt, wroteAt := strings.Index(stderr, "+++ b/cluster.conf\n"), strings.Index(stderr, "wrote "+newPath)
		if run == 1 && (diffAt < 0 || wroteAt < diffAt) {
			t.Errorf("run %d: want the diff, then 'wrote %s', on stderr:\n%s", run, newPath, stderr)
		}
		// The second run merges into the first one's cluster.conf.new, which it leaves as it was.
		if run == 2 && (!strings.Contains(stderr, "holds pending edits") || strings.Contains(stderr, "+++ ") || wroteAt < 0) {
			t.Errorf("run %d: want the pending edits named, no diff, and 'wrote %s' on stderr:\n%s", run, newPath, stderr)
		}
		if strings.Contains(stderr, "TOPSECRET") {
			t.Errorf("run %d: the diff shows the old password:\n%s", run, stderr)
		}
		for _, step := range []string{"ccs_config_validate -v -f " + newPath, "FENCE_JOIN=\"yes\"", "fence_tool join", "fence_check"} {
			if !strings.Contains(stderr, step) {
				t.Errorf("run %d: next steps lack %q", run, step)
			}
		}
		if strings.Contains(stderr, "/etc/pve/cluster.conf.new") {
			t.Errorf("run %d: the next steps name /etc/pve/cluster.conf.new, not the file written:\n%s", run, stderr)
		}
		if run == 2 && !strings.Contains(stderr, "kept the previous content in "+newPath+".bak") {
			t.Errorf("run %d: the backup of the replaced file is not named:\n%s", run, stderr)
		}
	}
	written, err := os.ReadFile(newPath)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(written), "TOPSECRET") || !strings.Contains(string(written), `config_version="46"`) {
		t.Errorf("cluster.conf.new is not the merge of the fixture:\n%s", written)
	}
	if _, err := os.Stat(newPath + ".bak"); err != nil {
		t.Errorf("the second run kept no .bak: %v", err)
	}
}

func TestRenderClusterConfToStdoutWritesNothing(t *testing.T) {
	dir, in := copyFixture(t)
	code, stdout, stderr := runRenderCLI("clusterconf", "--cluster", threeNodeCluster, "--in", in, "--out", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.HasPrefix(stdout, "<?xml") || !strings.Contains(stdout, `agent="fence_ovh" plug="ns567890.ip-123-22-44.eu" name="fence01" endpoint=`) {
		t.Errorf("stdout is not the merged cluster.conf:\n%s", stdout)
	}
	assertOnlyFiles(t, dir, "cluster.conf")
}

func TestRenderClusterConfBrokenXMLWritesNothing(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "cluster.conf")
	if err := os.WriteFile(in, []byte("<cluster config_version=\"1\">\n  <clusternodes>\n</cluster>\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runRenderCLI("clusterconf", "--cluster", threeNodeCluster, "--in", in)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if !strings.Contains(stderr, in+": malformed XML at line 3, column") {
		t.Errorf("stderr does not locate the error: %s", stderr)
	}
	assertOnlyFiles(t, dir, "cluster.conf")
}

func TestRenderScripts(t *testing.T) {
	tests := []struct {
		kind, want string
		mode       os.FileMode
	}{
		{"pcs", "pcs -f \"$cib\" stonith create fence_ovh_web1 fence_ovh", 0o755},
		{"crm", "primitive fence_ovh_web1 stonith:fence_ovh", 0o644},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			code, stdout, stderr := runRenderCLI(tt.kind, "--cluster", twoNodeCluster)
			if code != 0 || !strings.Contains(stdout, tt.want) {
				t.Fatalf("exit %d, stdout lacks %q:\n%s\n%s", code, tt.want, stdout, stderr)
			}
			out := filepath.Join(t.TempDir(), "fencing."+tt.kind)
			if code, _, stderr := runRenderCLI(tt.kind, "--cluster", twoNodeCluster, "--out", out); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			info, err := os.Stat(out)
			if err != nil {
				t.Fatal(err)
			}
			if info.Mode().Perm() != tt.mode {
				t.Errorf("mode %v, want %v", info.Mode().Perm(), tt.mode)
			}
			if written, _ := os.ReadFile(out); string(written) != stdout {
				t.Error("the file differs from what --out - prints")
			}
		})
	}
}

func TestRenderErrors(t *testing.T) {
	badCluster := filepath.Join(t.TempDir(), "bad.cluster")
	if err := os.WriteFile(badCluster, []byte("[cluster]\nname = x\ntarget = pve4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no kind", nil, 2, "Usage: ovhfence render"},
		{"unknown kind", []string{"corosync", "--cluster", twoNodeCluster}, 2, "Usage: ovhfence render"},
		{"no cluster file", []string{"pcs"}, 2, "Usage: ovhfence render"},
		{"unknown flag", []string{"pcs", "--cluster", twoNodeCluster, "--colour"}, 2, "flag provided but not defined"},
		{"invalid cluster file", []string{"crm", "--cluster", badCluster}, 1, badCluster + `:3: target: "pve4"`},
		{"missing cluster file", []string{"crm", "--cluster", "/nonexistent.cluster"}, 1, "/nonexistent.cluster"},
		{"missing --in", []string{"clusterconf", "--cluster", twoNodeCluster, "--in", "/nonexistent.conf"}, 1, "/nonexistent.conf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runRenderCLI(tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d", code, tt.code)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr lacks %q:\n%s", tt.want, stderr)
			}
		})
	}
}

func assertOnlyFiles(t *testing.T, dir string, want ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("files in %s: %v, want %v", dir, got, want)
	}
}
