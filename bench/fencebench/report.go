package main

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"
)

// Targets from issue 3.
const (
	targetColdStartRatio = 20.0            // × faster than Debian's fence_ovh
	targetRSSKiB         = 15 * 1024       // peak RSS
	targetReadCalls      = 2               // API calls of monitor and status
	pollInterval         = 2 * time.Second // the agent's default stonith_status_sleep
)

type reportInput struct {
	runs          int
	rebootSeconds float64
	cold          []runStats // ours first
	actions       []actionRun
	server        string
}

func report(w io.Writer, in reportInput) {
	fmt.Fprintf(w, "# fence_ovh benchmark\n\n%s, %s/%s, %d CPUs. Cold start: median of %d runs after one warm-up run "+
		"(page cache warm, fresh process each run); peak RSS is the largest of those runs (rusage maxrss, as `/usr/bin/time -f %%M`).\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), in.runs)

	ours := in.cold[0]
	fmt.Fprint(w, "## Cold start: `-o metadata`\n\n")
	fmt.Fprintln(w, "| command | median ms | peak RSS MiB | median vs ours | all runs ms |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---|")
	for _, s := range in.cold {
		fmt.Fprintf(w, "| %s | %.1f | %.1f | %.1f× | %s |\n", s.label, ms(s.median()), mib(s.maxRSSKiB),
			float64(s.median())/float64(ours.median()), runList(s.walls))
	}

	fmt.Fprintf(w, "\n## OVH API calls against the simulator\n\nServer %s, reboot tasks take %gs, poll interval %s (the agent's default). "+
		"\"done → exit\" is from the moment the reboot task turned done (its POST plus the task duration) to the agent's exit.\n\n",
		in.server, in.rebootSeconds, pollInterval)
	fmt.Fprintln(w, "| action | API calls | wall s | done → exit s | peak RSS MiB | calls in order |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---|")
	for _, a := range in.actions {
		doneToExit := "–"
		if a.doneToExit != 0 {
			doneToExit = fmt.Sprintf("%.2f", a.doneToExit.Seconds())
		}
		fmt.Fprintf(w, "| %s | %d | %.3f | %s | %.1f | %s |\n", a.action, len(a.calls), a.run.wall.Seconds(), doneToExit,
			mib(a.run.maxRSSKiB), a.callSummary(in.server))
	}

	fmt.Fprint(w, "\n## Targets\n\n")
	fmt.Fprintln(w, "| target | measured | met |")
	fmt.Fprintln(w, "|---|---|---|")
	ratio := float64(in.cold[1].median()) / float64(ours.median())
	row(w, fmt.Sprintf("cold start ≥ %.0f× faster than Debian's fence_ovh", targetColdStartRatio), fmt.Sprintf("%.1f×", ratio), ratio >= targetColdStartRatio)
	peak := ours.maxRSSKiB
	for _, a := range in.actions {
		peak = max(peak, a.run.maxRSSKiB)
	}
	row(w, "peak RSS ≤ 15 MiB (metadata and every action)", fmt.Sprintf("%.1f MiB", mib(peak)), peak <= targetRSSKiB)
	for _, a := range in.actions {
		switch a.action {
		case "monitor", "status":
			row(w, fmt.Sprintf("`%s` in ≤ %d API calls", a.action, targetReadCalls), fmt.Sprint(len(a.calls)), len(a.calls) <= targetReadCalls)
		case "off", "on":
			row(w, fmt.Sprintf("`%s` exits ≤ %s after the task is done", a.action, pollInterval),
				fmt.Sprintf("%.2f s", a.doneToExit.Seconds()), a.doneToExit > 0 && a.doneToExit <= pollInterval)
		}
	}
}

func row(w io.Writer, target, measured string, met bool) {
	verdict := "yes"
	if !met {
		verdict = "**no**"
	}
	fmt.Fprintf(w, "| %s | %s | %s |\n", target, measured, verdict)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func mib(kib int64) float64 { return float64(kib) / 1024 }

func runList(walls []time.Duration) string {
	parts := make([]string, len(walls))
	for i, d := range walls {
		parts[i] = fmt.Sprintf("%.0f", ms(d))
	}
	return strings.Join(parts, " ")
}
