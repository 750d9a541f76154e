package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/cluster"
)

// The fire drill end to end (issues 10 and 12): the sandbox's live test
// measures a reboot, and it flows wizard → cluster file → every rendered
// configuration. The sandbox's reboot tasks take 2 s and its servers go dark
// 2.4 s after a power-off request (the poweroff mode it picks), so the off,
// which waits for that, is at least 3 s rounded up. Without a live test
// nothing is recorded.
func TestSetupRecordsTheMeasuredRebootTime(t *testing.T) {
	for _, fenceTest := range []string{"node2", ""} {
		dir := t.TempDir()
		args := []string{"--sandbox", "--yes", "--target", "pcs,crm,pve3", "--out", dir}
		if fenceTest != "" {
			args = append(args, "--fence-test", fenceTest)
		}
		var stdout, stderr bytes.Buffer
		if code := runSetup(args, strings.NewReader(""), &stdout, &stderr); code != 0 {
			t.Fatalf("%v: exit %d\n%s", args, code, stderr.String())
		}
		c, err := cluster.Load(filepath.Join(dir, "sandbox.cluster"))
		if err != nil {
			t.Fatal(err)
		}
		if fenceTest == "" {
			if c.RebootTime != 0 {
				t.Errorf("no live test, yet reboot_time = %d", c.RebootTime)
			}
			continue
		}
		if c.RebootTime < 3 || c.RebootTime > 30 {
			t.Fatalf("reboot_time = %d s, want the measured 3 s or a little more", c.RebootTime)
		}
		for name, want := range map[string]string{
			"fence-sandbox-pcs.sh":  fmt.Sprintf(" reboot_time=%d ", c.RebootTime),
			"fence-sandbox-crm.txt": fmt.Sprintf(" reboot_time=%d ", c.RebootTime),
			"cluster.conf.new":      fmt.Sprintf(` reboot_time="%d"`, c.RebootTime),
		} {
			data, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil || strings.Count(string(data), want) != len(c.Nodes) {
				t.Errorf("%s: %d devices with %q, want %d (%v)", name, strings.Count(string(data), want), want, len(c.Nodes), err)
			}
		}
		if !strings.Contains(stderr.String(), fmt.Sprintf("sized from a hard reboot of %d s (measured", c.RebootTime)) {
			t.Errorf("the next steps do not say where the timeouts come from:\n%s", stderr.String())
		}
	}
}
