// Command fencebench measures fence_ovh against its peers in one run: cold
// starts of `-o metadata` (ours, Debian's Python fence_ovh, fence_ipmilan), the
// OVH API calls of monitor, status, off and on against the simulator, and how
// soon the agent exits once OVH's reboot task is done. bench/run.sh builds and
// runs it; it prints a Markdown report. It is a benchmark, not a test: it
// reports numbers and targets and never fails on them.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ovhfence/ovhfence/ovhsim"
)

func main() {
	bin := flag.String("bin", "", "directory holding the built ovhfence and a fence_ovh symlink to it")
	runs := flag.Int("runs", 15, "cold-start runs per command (after one warm-up run)")
	rebootSeconds := flag.Float64("reboot-seconds", 5, "duration of a simulated reboot task")
	debianAgent := flag.String("debian-fence-ovh", "/usr/sbin/fence_ovh", "Debian's Python fence_ovh")
	ipmilan := flag.String("fence-ipmilan", "/usr/sbin/fence_ipmilan", "Debian's fence_ipmilan")
	baseline := flag.String("baseline", "", "a fence_ovh built from before issue 10, for the fair-use comparison (\"\": skip that part)")
	fairRuns := flag.Int("fair-runs", 10, "fences per fair-use polling row")
	flag.Parse()
	if *bin == "" || *runs < 10 {
		fmt.Fprintln(os.Stderr, "fencebench: need -bin, and -runs of at least 10")
		os.Exit(2)
	}
	if err := run(*bin, *runs, *rebootSeconds, *debianAgent, *ipmilan, *baseline, *fairRuns); err != nil {
		fmt.Fprintln(os.Stderr, "fencebench:", err)
		os.Exit(1)
	}
}

func run(bin string, runs int, rebootSeconds float64, debianAgent, ipmilan, baseline string, fairRuns int) error {
	ours := filepath.Join(bin, "fence_ovh")
	var cold []runStats
	for _, peer := range []struct{ label, path string }{
		{"ovhfence fence_ovh (Go)", ours},
		{"Debian fence_ovh (Python)", debianAgent},
		{"Debian fence_ipmilan (Python)", ipmilan},
	} {
		stats, err := coldStarts(peer.label, []string{peer.path, "-o", "metadata"}, runs)
		if err != nil {
			return err
		}
		cold = append(cold, stats)
	}

	dir, err := os.MkdirTemp("", "fencebench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	sb, err := startSandbox(filepath.Join(bin, "ovhfence"), rebootSeconds, dir, 0)
	if err != nil {
		return err
	}
	defer sb.stop()
	seed := ovhsim.DefaultServers()[0]
	target := agentTarget{name: seed.Name, rescueBootID: seed.RescueBootID}
	rebootTime := time.Duration(rebootSeconds * float64(time.Second))
	var actions []actionRun
	// status before off, so it reports a running server; on brings it back.
	for _, action := range []string{"monitor", "status", "off", "on"} {
		r, err := runAction(sb, ours, action, target, rebootTime, fmt.Sprintf("reboot_time=%g", rebootSeconds))
		if err != nil {
			return err
		}
		actions = append(actions, r)
	}
	report(os.Stdout, reportInput{runs: runs, rebootSeconds: rebootSeconds, cold: cold, actions: actions, server: target.name})
	if baseline == "" {
		return nil
	}
	fair, err := fairUse(bin, baseline, fairRuns)
	if err != nil {
		return err
	}
	fairReport(os.Stdout, fair)
	return nil
}
