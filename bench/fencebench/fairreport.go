package main

import (
	"fmt"
	"io"
	"slices"
	"time"
)

// Targets from issue 10.
const (
	targetCallsWithRebootTime    = 20
	targetCallsWithoutRebootTime = 30
	targetExitAfterDone          = 2 * time.Second
	targetDiscovery              = 10 * time.Second
)

type fairInput struct {
	polling    []pollVariant
	concurrent []concurrentRun
	discovery  []discoveryRun
}

func fairReport(w io.Writer, in fairInput) {
	fmt.Fprintf(w, "\n## Fair use (issue 10)\n\nOne `off` in rescue mode of a server whose reboot task takes 150 s, at 1/%d scale "+
		"(task, `reboot_time`, `stonith_status_sleep` 2 s and timeouts divided by %d, which leaves the calls of either schedule unchanged; "+
		"times shown ×%d). Without `reboot_time` the agent assumes 150 s, passed here as its scaled value. The budget is off for these "+
		"rows (a scaled minute would be 6 s). \"before issue 10\" is fence_ovh built from the commit before it, in the same run. Medians.\n\n",
		fairScale, fairScale, fairScale)
	fmt.Fprintln(w, "| agent | task | runs | API calls | done → exit s | all runs (calls / s) |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---|")
	for _, v := range in.polling {
		if v.err != nil {
			fmt.Fprintf(w, "| %s | %.0f s | – | – | – | error: %v |\n", v.label, v.taskSeconds, v.err)
			continue
		}
		calls, after := v.medians()
		fmt.Fprintf(w, "| %s | %.0f s | %d | %d | %.2f | %s |\n", v.label, v.taskSeconds, len(v.runs), calls, after.Seconds(), v.all())
	}

	fmt.Fprintln(w, "\nConcurrent `off`s of as many servers with the cluster's one key, under the simulator's budget of 60 calls a minute, "+
		"real time, `power_timeout` the task + 90 s; a 429 is retried with capped, jittered backoff (the simulator sends no Retry-After; OVH documents none):")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| agent | task | agents | succeeded | API calls | answered 429 | wall s |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|")
	for _, c := range in.concurrent {
		if c.err != nil {
			fmt.Fprintf(w, "| %s | %.0f s | %d | error: %v | | | |\n", c.label, c.taskSeconds, c.agents, c.err)
			continue
		}
		fmt.Fprintf(w, "| %s | %.0f s | %d | %d | %d | %d | %.1f |\n", c.label, c.taskSeconds, c.agents, c.succeeded, c.calls, c.limited, c.wall.Seconds())
	}

	fmt.Fprintln(w, "\nThe wizard's server discovery for the sandbox's three nodes on an account of 500 servers, every call answered in 50 ms, "+
		"budget on (in process):")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| discovery | API calls | answered 429 | wall s | outcome |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---|")
	for _, d := range in.discovery {
		outcome := "mapping ready"
		if d.err != nil {
			outcome = "failed: " + d.err.Error()
		}
		fmt.Fprintf(w, "| %s | %d | %d | %.1f | %s |\n", d.label, d.calls, d.limited, d.wall.Seconds(), outcome)
	}

	fmt.Fprint(w, "\n### Targets (issue 10)\n\n| target | measured | met |\n|---|---|---|\n")
	for _, v := range in.polling {
		if v.err != nil || v.taskSeconds != 150 || v.label == in.polling[0].label {
			continue
		}
		calls, after := v.medians()
		limit := targetCallsWithoutRebootTime
		if v.label == "reboot_time=150" {
			limit = targetCallsWithRebootTime
			row(w, "reboot_time=150: exit ≤ 2 s after done (median)", fmt.Sprintf("%.2f s", after.Seconds()), after <= targetExitAfterDone)
		}
		row(w, fmt.Sprintf("%s: ≤ %d calls per fence", v.label, limit), fmt.Sprint(calls), calls <= limit)
	}
	for _, c := range in.concurrent {
		if c.label != "before issue 10" {
			row(w, fmt.Sprintf("%d concurrent fences (%.0f s tasks), one key, 60 calls/min: all succeed, none ends on a 429", c.agents, c.taskSeconds),
				fmt.Sprintf("%d of %d (%d calls answered 429, retried)", c.succeeded, c.agents, c.limited), c.err == nil && c.succeeded == c.agents)
		}
	}
	{
		d := in.discovery[len(in.discovery)-1]
		row(w, "500 servers, 50 ms a call, budget on: mapping ≤ 10 s, no 429",
			fmt.Sprintf("%.1f s, %d × 429", d.wall.Seconds(), d.limited), d.err == nil && d.wall <= targetDiscovery && d.limited == 0)
	}
}

func (v pollVariant) medians() (int, time.Duration) {
	calls := make([]int, len(v.runs))
	after := make([]time.Duration, len(v.runs))
	for i, r := range v.runs {
		calls[i], after[i] = r.calls, r.afterDone
	}
	slices.Sort(calls)
	slices.Sort(after)
	return calls[len(calls)/2], after[len(after)/2]
}

func (v pollVariant) all() string {
	s := ""
	for i, r := range v.runs {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%d / %.1f", r.calls, r.afterDone.Seconds())
	}
	return s
}
