package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/ovhsim"
	"github.com/ovhfence/ovhfence/setup"
	"github.com/ovhfence/ovhfence/wizard"
)

// Issue 10's fair-use measurements, ours against a baseline fence_ovh built
// from the commit before it (bench/run.sh), in the same run.

// fairScale shrinks a 150 s reboot to 15 s: task time, reboot_time and
// stonith_status_sleep are divided by it, which leaves the schedule's calls
// unchanged (every pause is linear in them); times are reported ×fairScale.
const fairScale = 10

// pollRun is one fence off of a 150 s (scaled) reboot task in rescue mode.
type pollRun struct {
	calls     int
	afterDone time.Duration // scaled back
}

// pollVariant is one way of fencing, measured runs times.
type pollVariant struct {
	label       string
	agent       string
	taskSeconds float64  // unscaled
	extra       []string // agent parameters
	runs        []pollRun
	err         error
}

func measurePolling(ovhfence, ours, baseline, dir string, runs int) []pollVariant {
	scaled := func(s float64) string { return fmt.Sprint(s / fairScale) }
	sleep := "stonith_status_sleep=" + scaled(2)
	variants := []pollVariant{
		{label: "before issue 10 (fixed 2 s polls)", agent: baseline, taskSeconds: 150, extra: []string{sleep}},
		{label: "reboot_time=150", agent: ours, taskSeconds: 150, extra: []string{sleep, "reboot_time=" + scaled(150)}},
		// Without reboot_time the agent assumes 150 s: at 1/fairScale that is reboot_time=15.
		{label: "no reboot_time (150 s assumed)", agent: ours, taskSeconds: 150, extra: []string{sleep, "reboot_time=" + scaled(150)}},
		{label: "no reboot_time, the task takes 60 s", agent: ours, taskSeconds: 60, extra: []string{sleep, "reboot_time=" + scaled(150)}},
		{label: "no reboot_time, the task takes 300 s", agent: ours, taskSeconds: 300, extra: []string{sleep, "reboot_time=" + scaled(150)}},
	}
	seed := ovhsim.DefaultServers()[0]
	for i := range variants {
		v := &variants[i]
		n := runs
		if v.taskSeconds != 150 {
			n = 3
		}
		v.err = func() error {
			sb, err := startSandbox(ovhfence, v.taskSeconds/fairScale, dir, 0)
			if err != nil {
				return err
			}
			defer sb.stop()
			// A minute of the budget would be six seconds here: off for this part.
			if err := sb.post("ratelimit", `{"perMinute":0}`); err != nil {
				return err
			}
			for range n {
				extra := append([]string{"power_timeout=" + scaled(900)}, v.extra...)
				r, err := runAction(sb, v.agent, "off", agentTarget{name: seed.Name, rescueBootID: seed.RescueBootID},
					time.Duration(v.taskSeconds/fairScale*float64(time.Second)), extra...)
				if err != nil {
					return err
				}
				v.runs = append(v.runs, pollRun{calls: len(r.calls), afterDone: r.doneToExit * fairScale})
			}
			return nil
		}()
	}
	return variants
}

// concurrentRun is n agents fencing n servers at once with one key.
type concurrentRun struct {
	label          string
	agents         int
	taskSeconds    float64
	succeeded      int
	calls, limited int
	wall           time.Duration
	err            error
}

// measureConcurrent runs n agents at once with the sandbox's key for all its
// servers, under the sandbox's budget of 60 calls a minute, with reboot
// tasks of taskSeconds (real time: the budget is per real minute).
func measureConcurrent(ovhfence, agent, label, dir string, n int, taskSeconds float64, extra ...string) concurrentRun {
	c := concurrentRun{label: label, agents: n, taskSeconds: taskSeconds}
	sb, err := startSandbox(ovhfence, taskSeconds, dir, n)
	if err != nil {
		c.err = err
		return c
	}
	defer sb.stop()
	seeds := ovhsim.SeedServers(n)
	var wg sync.WaitGroup
	var mu sync.Mutex
	start := time.Now()
	for _, s := range seeds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stdin := strings.Join(append([]string{"action=off", "plug=" + s.Name, "endpoint=" + sb.env["OVH_ENDPOINT"], "ovh_config=" + sb.config,
				"fence_mode=rescue", fmt.Sprintf("rescue_boot_id=%d", s.RescueBootID), fmt.Sprintf("power_timeout=%.0f", taskSeconds+90)}, extra...), "\n") + "\n"
			m, err := measure([]string{agent}, strings.NewReader(stdin))
			mu.Lock()
			defer mu.Unlock()
			if err == nil && m.stdout == "Success: Powered OFF\n" {
				c.succeeded++
			}
		}()
	}
	wg.Wait()
	c.wall = time.Since(start)
	calls, err := sb.requests()
	if err != nil {
		c.err = err
		return c
	}
	c.calls = len(calls)
	for _, call := range calls {
		if call.Status == http.StatusTooManyRequests {
			c.limited++
		}
	}
	return c
}

// discoveryRun is the wizard's server discovery on a large account.
type discoveryRun struct {
	label          string
	calls, limited int
	wall           time.Duration
	err            error
}

// measureDiscovery runs the discovery of an account of servers servers, each
// call answered in latency, under the sandbox's budget: the way before issue
// 10 (list, then read every server, with a client per effect) and ours.
func measureDiscovery(servers int, latency time.Duration) []discoveryRun {
	var out []discoveryRun
	for _, way := range []string{"before issue 10 (read every server)", "ours (candidates only)"} {
		d := discoveryRun{label: way}
		d.err = func() error {
			sim, err := ovhsim.StartWizardSandbox(servers)
			if err != nil {
				return err
			}
			defer sim.Close()
			sim.AddFault(ovhsim.Fault{Kind: ovhsim.FaultLatency, Latency: latency})
			ak, as, ck := sim.CreateToken([]ovhsim.Rule{{Method: "GET", Path: "/dedicated/server"}, {Method: "GET", Path: "/dedicated/server/*"}})
			cfg := ovhapi.Config{Endpoint: sim.Endpoint(), ApplicationKey: ak, ApplicationSecret: as, ConsumerKey: ck}
			start := time.Now()
			defer func() { d.wall = time.Since(start) }()
			if strings.HasPrefix(way, "ours") {
				resolve := func(_ context.Context, node string) []string { return sim.NodeAddrs[node] }
				res := setup.New(setup.Options{Resolve: resolve}).Run(context.Background(),
					wizard.EffectDiscoverServers{Config: cfg, Nodes: slices.Clone(sim.Nodes)}, nil)
				err = res.(wizard.ServersFound).Err
			} else {
				err = readEveryServer(cfg)
			}
			for _, r := range sim.Requests() {
				d.calls++
				if r.Status == http.StatusTooManyRequests {
					d.limited++
				}
			}
			return err
		}()
		out = append(out, d)
	}
	return out
}

// readEveryServer is discovery as it was before issue 10: one list, then
// every server read, with the wizard's client settings of then (ovhapi's
// default retries).
func readEveryServer(cfg ovhapi.Config) error {
	client, err := ovhapi.New(cfg, ovhapi.Options{})
	if err != nil {
		return err
	}
	ctx := context.Background()
	names, err := client.ListServers(ctx)
	if err != nil {
		return err
	}
	for _, sn := range names {
		if _, err := client.GetServer(ctx, sn); err != nil {
			return err
		}
	}
	return nil
}

func (sb *sandbox) post(what, body string) error {
	resp, err := http.Post(sb.control+what, "application/json", strings.NewReader(body))
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("POST %s%s: %s", sb.control, what, resp.Status)
	}
	return nil
}

// fairUse measures everything above; baseline "" skips the comparisons.
func fairUse(bin, baseline string, runs int) (fairInput, error) {
	dir, err := os.MkdirTemp("", "fencebench-fair")
	if err != nil {
		return fairInput{}, err
	}
	defer os.RemoveAll(dir)
	ovhfence, ours := filepath.Join(bin, "ovhfence"), filepath.Join(bin, "fence_ovh")
	in := fairInput{polling: measurePolling(ovhfence, ours, baseline, dir, runs)}
	for _, n := range []int{3, 5} {
		in.concurrent = append(in.concurrent,
			measureConcurrent(ovhfence, baseline, "before issue 10", dir, n, 30),
			measureConcurrent(ovhfence, ours, "reboot_time=30", dir, n, 30, "reboot_time=30"))
	}
	// The same five with reboots as long as OVH's (a few minutes of real time):
	// the compressed tasks above put a whole fence's calls into 30 s.
	in.concurrent = append(in.concurrent, measureConcurrent(ovhfence, ours, "reboot_time=150", dir, 5, 150, "reboot_time=150"))
	in.discovery = measureDiscovery(500, 50*time.Millisecond)
	return in, nil
}
