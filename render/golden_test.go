package render

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/ovhfence/ovhfence/cluster"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const fixturePath = "../testdata/pve3-cluster.conf"

// loadExample reads one of examples/*.cluster with the given fence mode.
func loadExample(t testing.TB, name string, mode cluster.FenceMode) *cluster.Cluster {
	t.Helper()
	c, err := cluster.Load(filepath.Join("..", "examples", name+".cluster"))
	if err != nil {
		t.Fatal(err)
	}
	c.FenceMode = mode
	return c
}

func readFixture(t testing.TB) []byte {
	t.Helper()
	return readFile(t, fixturePath)
}

// checkGolden compares got with testdata/name, or rewrites it under -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./render -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the golden file (go test ./render -update rewrites it):\n%s", name, Diff(name, want, got))
	}
}

func TestGolden(t *testing.T) {
	outputs := []struct {
		suffix  string
		example string // "": every example
		render  func(t *testing.T, c *cluster.Cluster) ([]byte, error)
	}{
		{"cluster.conf", "", func(_ *testing.T, c *cluster.Cluster) ([]byte, error) { return ClusterConf(c, nil) }},
		// The fixture is the three-node cluster.
		{"merged.cluster.conf", "three-node", func(t *testing.T, c *cluster.Cluster) ([]byte, error) {
			return ClusterConf(c, readFixture(t))
		}},
		// What ovhfence render shows the admin before writing that merge.
		{"merged.diff", "three-node", func(t *testing.T, c *cluster.Cluster) ([]byte, error) {
			merged, err := ClusterConf(c, readFixture(t))
			return []byte(Diff("cluster.conf", readFixture(t), merged)), err
		}},
		// Proxmox VE 3's two nodes with a quorum disk: the merge keeps its quorum.
		{"qdisk.merged.cluster.conf", "two-node", func(t *testing.T, c *cluster.Cluster) ([]byte, error) {
			return ClusterConf(qdiskCluster(t, c.FenceMode), readFile(t, qdiskFixturePath))
		}},
		{"pcs.sh", "", func(_ *testing.T, c *cluster.Cluster) ([]byte, error) { return PcsScript(c) }},
		{"crm", "", func(_ *testing.T, c *cluster.Cluster) ([]byte, error) { return CrmScript(c) }},
		{"next-steps.txt", "", func(_ *testing.T, c *cluster.Cluster) ([]byte, error) { return []byte(NextSteps(c)), nil }},
	}
	for _, example := range []string{"two-node", "three-node"} {
		for _, mode := range []cluster.FenceMode{cluster.FenceRescue, cluster.FencePoweroff} {
			for _, out := range outputs {
				if out.example != "" && out.example != example {
					continue
				}
				name := fmt.Sprintf("%s-%s.%s", example, mode, out.suffix)
				t.Run(name, func(t *testing.T) {
					got, err := out.render(t, loadExample(t, example, mode))
					if err != nil {
						t.Fatal(err)
					}
					checkGolden(t, name, got)
				})
			}
		}
	}
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
