// Command diffbench (a benchmark, not a test) compares the diff ovhfence shows
// before replacing cluster.conf with GNU diff -u on the same files in the same
// run: a 1.8 MB cluster.conf holding 6,000 stale fence_ovh devices, which the
// merge removes. Each side runs as a fresh process, so wall time and peak RSS
// (/usr/bin/time's maxrss) are measured alike. Targets: at most 3× GNU diff's median
// time and at most 100 MiB.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ovhfence/ovhfence/cluster"
	"github.com/ovhfence/ovhfence/render"
)

const (
	staleDevices = 6000
	runs         = 15
	maxTimeRatio = 3.0
	maxRSSMiB    = 100.0
)

func main() {
	diffMode := flag.Bool("diff", false, "internal: print ovhfence's diff of the two files given")
	example := flag.String("cluster", "examples/three-node.cluster", "cluster file whose fencing is merged")
	flag.Parse()
	if *diffMode {
		old, _ := os.ReadFile(flag.Arg(0))
		new, _ := os.ReadFile(flag.Arg(1))
		io.WriteString(os.Stdout, render.ClusterConfDiff("cluster.conf", old, new))
		return
	}
	if err := run(*example); err != nil {
		fmt.Fprintln(os.Stderr, "diffbench:", err)
		os.Exit(1)
	}
}

func run(example string) error {
	c, err := cluster.Load(example)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "diffbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	old := staleClusterConf(c)
	merged, err := render.ClusterConf(c, old)
	if err != nil {
		return err
	}
	oldPath, newPath := filepath.Join(dir, "cluster.conf"), filepath.Join(dir, "cluster.conf.new")
	if err := os.WriteFile(oldPath, old, 0o600); err != nil {
		return err
	}
	if err := os.WriteFile(newPath, merged, 0o600); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	ours, err := measure(self, "-diff", oldPath, newPath)
	if err != nil {
		return err
	}
	gnu, err := measure("diff", "-u", oldPath, newPath)
	if err != nil {
		return err
	}
	ratio := ours.median.Seconds() / gnu.median.Seconds()
	fmt.Printf("# cluster.conf diff benchmark\n\n%s, %d stale fence_ovh devices: %.1f MB before, %.1f KB after the merge. "+
		"Median of %d fresh processes each; peak RSS is /usr/bin/time's maxrss; wall time includes time(1)'s own start.\n\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"),
		staleDevices, float64(len(old))/1e6, float64(len(merged))/1e3, runs)
	fmt.Println("| diff | median ms | peak RSS MiB | output lines |\n|---|---:|---:|---:|")
	fmt.Printf("| ovhfence (go-udiff lcs) | %.1f | %.1f | %d |\n", ms(ours.median), ours.rssMiB, ours.lines)
	fmt.Printf("| GNU diff -u | %.1f | %.1f | %d |\n\n", ms(gnu.median), gnu.rssMiB, gnu.lines)
	fmt.Printf("Targets: time ≤ %.0f× GNU diff's: %.2f× (%s); peak RSS ≤ %.0f MiB: %.1f MiB (%s).\n",
		maxTimeRatio, ratio, yes(ratio <= maxTimeRatio), maxRSSMiB, ours.rssMiB, yes(ours.rssMiB <= maxRSSMiB))
	return nil
}

// staleClusterConf is a Proxmox VE 3 cluster.conf for c's nodes whose
// <fencedevices> hold staleDevices old fence_ovh devices of servers long gone.
func staleClusterConf(c *cluster.Cluster) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "<?xml version=\"1.0\"?>\n<cluster config_version=\"12\" name=\"%s\">\n  <cman keyfile=\"/var/lib/pve-cluster/corosync.authkey\"/>\n  <fencedevices>\n", c.Name)
	for i := range staleDevices {
		fmt.Fprintf(&b, "    <fencedevice agent=\"fence_ovh\" name=\"stale%05d\" plug=\"ns%06d.ip-10-%d-%d.eu\" endpoint=\"ovh-eu\" "+
			"ovh_config=\"/etc/pve/priv/ovh.conf\" fence_mode=\"rescue\" rescue_boot_id=\"%d\" disk_boot_id=\"1\" power_timeout=\"300\" "+
			"login=\"ab%05d-ovh\" passwd=\"stale-password-%05d\" delay=\"%d\"/>\n", i, 100000+i, i/250, i%250, 40000+i, i, i, i%30)
	}
	b.WriteString("  </fencedevices>\n  <clusternodes>\n")
	for i, n := range c.Nodes {
		fmt.Fprintf(&b, "    <clusternode name=\"%s\" nodeid=\"%d\" votes=\"1\"/>\n", n.Name, i+1)
	}
	b.WriteString("  </clusternodes>\n  <rm/>\n</cluster>\n")
	return b.Bytes()
}

type measurement struct {
	median time.Duration
	rssMiB float64
	lines  int
}

// measure runs the command runs times after a warm-up under /usr/bin/time
// and keeps the median wall time and the largest peak RSS. Go starts children
// with vfork, which makes a child's maxrss start at the parent's own; time(1)
// forks the command from its own small process. diff exits 1 when the files
// differ.
func measure(name string, args ...string) (measurement, error) {
	var times []time.Duration
	var m measurement
	for i := 0; i <= runs; i++ {
		cmd := exec.Command("/usr/bin/time", append([]string{"-f", "%M", name}, args...)...)
		var out, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &stderr
		start := time.Now()
		err := cmd.Run()
		elapsed := time.Since(start)
		if exit, ok := err.(*exec.ExitError); err != nil && (!ok || exit.ExitCode() != 1) {
			return m, fmt.Errorf("%s: %w: %s", name, err, stderr.String())
		}
		if i == 0 {
			continue // warm-up
		}
		times = append(times, elapsed)
		lines := strings.Fields(stderr.String())
		var kib float64
		if len(lines) > 0 {
			fmt.Sscan(lines[len(lines)-1], &kib)
		}
		m.rssMiB = max(m.rssMiB, kib/1024)
		m.lines = bytes.Count(out.Bytes(), []byte("\n"))
	}
	slices.Sort(times)
	m.median = times[len(times)/2]
	return m, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func yes(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}
