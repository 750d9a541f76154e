package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/cluster"
)

// TestRenderNextStepsFollowTheKindAndThePath: whatever the cluster file's own
// target, each kind of render is followed by its own next steps only, naming
// the file it wrote (never a default path it did not write), and a replaced
// file's backup is named.
func TestRenderNextStepsFollowTheKindAndThePath(t *testing.T) {
	heading := map[string]string{"clusterconf": "Next steps on Proxmox VE 3:", "pcs": "Next steps on Pacemaker (pcs):",
		"crm": "Next steps on Pacemaker (crm):"}
	for _, file := range []string{twoNodeCluster, threeNodeCluster} { // targets pcs and pve3
		c, err := cluster.Load(file)
		if err != nil {
			t.Fatal(err)
		}
		for kind := range heading {
			if kind == "clusterconf" && c.Target != cluster.TargetPVE3 {
				continue // the Proxmox fixture's nodes are those of the pve3 file
			}
			t.Run(string(c.Target)+" file, render "+kind, func(t *testing.T) {
				dir := t.TempDir()
				out := filepath.Join(dir, "my out "+kind) // a space: the path is quoted for pasting
				args := []string{kind, "--cluster", file, "--out", out}
				if kind == "clusterconf" {
					_, in := copyFixture(t)
					args = append(args, "--in", in)
				}
				for run := 1; run <= 2; run++ {
					code, _, stderr := runRenderCLI(args...)
					if code != 0 {
						t.Fatalf("exit %d: %s", code, stderr)
					}
					for other, h := range heading {
						if got := strings.Contains(stderr, h); got != (other == kind) {
							t.Errorf("run %d: %q shown: %v, want %v:\n%s", run, h, got, other == kind, stderr)
						}
					}
					if !strings.Contains(stderr, "'"+out+"'") || strings.Contains(stderr, "/etc/pve/cluster.conf.new") ||
						strings.Contains(stderr, " SCRIPT") || strings.Contains(stderr, " FILE\n") {
						t.Errorf("run %d: the next steps do not name the file written, %s:\n%s", run, out, stderr)
					}
					if backup := "kept the previous content in " + out + ".bak"; (run == 2) != strings.Contains(stderr, backup) {
						t.Errorf("run %d: backup line %q shown: %v:\n%s", run, backup, run == 2, stderr)
					}
				}
				if _, err := os.Stat(out); err != nil {
					t.Error(err)
				}
			})
		}
	}
}
