package main

import (
	"fmt"
	"io"
	"os/exec"
	"slices"
	"syscall"
	"time"
)

// runStats is what one command cost over several runs.
type runStats struct {
	label     string
	walls     []time.Duration // one per run, in run order
	maxRSSKiB int64           // the largest peak RSS of any run
}

func (s runStats) median() time.Duration {
	sorted := slices.Clone(s.walls)
	slices.Sort(sorted)
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// measured is one finished run of a command.
type measured struct {
	wall      time.Duration
	maxRSSKiB int64
	exited    time.Time
	stdout    string
}

// measure runs argv once with stdin, returning its wall time (fork to reaped)
// and peak RSS as the kernel accounts it in the child's rusage — what
// /usr/bin/time -f %M prints.
func measure(argv []string, stdin io.Reader) (measured, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin = stdin
	var out limitedBuffer
	cmd.Stdout = &out
	var stderr limitedBuffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	m := measured{wall: time.Since(start), exited: time.Now(), stdout: out.String()}
	if usage, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.maxRSSKiB = usage.Maxrss // KiB on Linux
	}
	if err != nil {
		return m, fmt.Errorf("%v: %v: %s", argv, err, stderr.String())
	}
	return m, nil
}

// coldStarts runs argv once to warm the page cache, then runs times more; each
// of those is a fresh process, so it measures start-up, not cache misses.
func coldStarts(label string, argv []string, runs int) (runStats, error) {
	stats := runStats{label: label}
	for i := 0; i <= runs; i++ {
		m, err := measure(argv, nil)
		if err != nil {
			return stats, err
		}
		if i == 0 {
			continue
		}
		stats.walls = append(stats.walls, m.wall)
		stats.maxRSSKiB = max(stats.maxRSSKiB, m.maxRSSKiB)
	}
	return stats, nil
}

// limitedBuffer keeps the first 64 KiB written to it: enough for any message,
// bounded whatever a peer agent prints.
type limitedBuffer struct{ data []byte }

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := 64<<10 - len(b.data); room > 0 {
		b.data = append(b.data, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func (b *limitedBuffer) String() string { return string(b.data) }
