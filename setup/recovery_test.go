package setup

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/agent"
	"github.com/ovhfence/ovhfence/wizard"
)

// TestCancelledFenceTestBringsTheNodeBack: a fence test cancelled once the
// power-off reboot was sent (Esc, Ctrl+C) ends with the server back on its
// disk and powered on, as OVH reads it, and says so; before the first call the
// keys were saved, mode 0600, beside the ovh.conf, and the recovery command names them.
func TestCancelledFenceTestBringsTheNodeBack(t *testing.T) {
	out := t.TempDir()
	r, cfg, target, client := fenceTestRunner(t, 0, out)
	sn := target.Server
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var started wizard.FenceStarted
	var pendingMode os.FileMode
	result := r.Run(ctx, wizard.EffectFenceCycle{Config: cfg, Node: "node1",
		Target: target},
		func(res wizard.Result) {
			switch res := res.(type) {
			case wizard.FenceStarted:
				started = res
				if info, err := os.Stat(res.Pending); err == nil {
					pendingMode = info.Mode().Perm()
				}
			case wizard.FenceProgress:
				if strings.Contains(res.Line, "hard reboot") {
					cancel() // the reboot into the power netboot was sent
				}
			}
		})
	cycled, ok := result.(wizard.FenceCycled)
	if !ok || cycled.Err == nil || !cycled.Recovered {
		t.Fatalf("result %#v, want a cancelled cycle, recovered", result)
	}
	if want := filepath.Join(out, "ovh.conf.pending"); started.Pending != want || pendingMode != 0o600 {
		t.Errorf("keys saved in %q mode %v, want %s mode 0600", started.Pending, pendingMode, want)
	}
	for _, word := range []string{" agent --action on --plug " + sn, "--ovh-config " + started.Pending, "--fence-mode poweroff"} {
		if !strings.Contains(started.Recovery, word) {
			t.Errorf("recovery command %q lacks %q", started.Recovery, word)
		}
	}
	if _, err := os.Stat(started.Pending); !os.IsNotExist(err) {
		t.Errorf("the pending keys stay after the node came back: %v", err)
	}
	srv, err := client.GetServer(context.Background(), sn)
	if err != nil {
		t.Fatal(err)
	}
	if srv.BootID != target.Boots.Disk || srv.PowerState != "poweron" {
		t.Errorf("after the cancelled test the server boots %d (disk %d), power %s", srv.BootID, target.Boots.Disk, srv.PowerState)
	}
}

// TestRecoveryCommandBringsTheNodeBack: the recovery command reported before a
// fence test, run as the agent (the words after the binary's path), brings a
// server left in the power netboot back on its disk with the pending keys alone.
func TestRecoveryCommandBringsTheNodeBack(t *testing.T) {
	r, cfg, target, client := fenceTestRunner(t, 1, t.TempDir())
	sn := target.Server
	started, err := r.prepareRecovery(wizard.EffectFenceCycle{Config: cfg, Node: "node2", Target: target})
	if err != nil {
		t.Fatal(err)
	}
	f, err := r.fencer(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Off(context.Background(), target); err != nil { // the test stopped here: the node is down
		t.Fatal(err)
	}
	words := strings.Fields(started.Recovery)
	if strings.ContainsAny(started.Recovery, `'"\`) || len(words) < 2 || words[1] != "agent" {
		t.Fatalf("recovery command %q", started.Recovery)
	}
	var stdout, stderr strings.Builder
	if code := agent.Run(words[2:], strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("%s: exit %d\n%s%s", started.Recovery, code, stdout.String(), stderr.String())
	}
	srv, err := client.GetServer(context.Background(), sn)
	if err != nil {
		t.Fatal(err)
	}
	if srv.BootID != target.Boots.Disk || srv.PowerState != "poweron" {
		t.Errorf("after the recovery command the server boots %d (disk %d), power %s", srv.BootID, target.Boots.Disk, srv.PowerState)
	}
}
