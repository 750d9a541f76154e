package campaign

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

var (
	actions   = flag.Int("actions", 0, "actions in all (0: 2000 when CI is set, else 240)")
	seed      = flag.Int64("seed", 1, "random seed")
	agents    = flag.Int("agents", 5, "concurrent agents")
	model     = flag.String("model", "", "netboot read model: request, boot or both (empty)")
	serialize = flag.Bool("serialize", false, "one action per server at a time, as one cluster's fencer runs them")
)

// TestCampaign builds fence_ovh from the tree and runs the campaign; any
// false claim or other failure fails the test.
func TestCampaign(t *testing.T) {
	n := *actions
	if n == 0 {
		n = 240
		if os.Getenv("CI") != "" {
			n = 2000
		}
	}
	var models []string
	if *model != "" {
		models = []string{*model}
	}
	dir := t.TempDir()
	agent := buildAgent(t, dir)
	sum, err := Run(Config{
		Seed: *seed, Actions: n, Agents: *agents, Models: models, Agent: agent, Dir: dir, Log: testLog{t}, Serialize: *serialize,
		Replay: "go test ./test/campaign -run Campaign -count=1 -timeout 0 -args -seed %d -actions " + fmt.Sprint(n),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("seed %d:\n%s", *seed, sum)
	if sum.Claims == 0 {
		t.Errorf("no claim was checked: the campaign proved nothing")
	}
	if sum.False > 0 || sum.Other > 0 {
		t.Errorf("%d false claims and %d other failures (seed %d); their traces are above", sum.False, sum.Other, *seed)
	}
}

// buildAgent builds ovhfence from the tree and returns its fence_ovh symlink.
func buildAgent(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "ovhfence")
	build := exec.Command("go", "build", "-o", bin, "../../cmd/ovhfence")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building ovhfence: %v\n%s", err, out)
	}
	link := filepath.Join(dir, "fence_ovh")
	if err := os.Symlink(bin, link); err != nil {
		t.Fatal(err)
	}
	return link
}

// testLog writes the campaign's log through t.Log.
type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(string(p))
	return len(p), nil
}
