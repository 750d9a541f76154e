package fencing

import (
	"context"
	"time"
)

// TypicalRebootTime is what the schedule assumes when reboot_time is not set:
// an OVH hard reboot task usually takes about 150 s (issue 10).
const TypicalRebootTime = 150 * time.Second

// sparseCapFactor bounds a sparse pause to this many dense intervals (30 s at
// the default stonith_status_sleep of 2 s): a task that fails early, or a
// reboot quicker than expected, is still seen within that time.
const sparseCapFactor = 15

// nextPoll is the pause before the next task poll, elapsed after the task was
// learned. OVH asks for at most about 60 calls a minute per consumer key
// (reference/ovh-api.md §3.7), and one key fences the whole cluster, so:
//   - before the reboot is due (RebootTime, else TypicalRebootTime): half of
//     what is left until it, between the dense interval and the sparse cap, so
//     that the polls close in on the due time and one lands within a dense
//     interval of done;
//   - around the due time: the dense interval (stonith_status_sleep);
//   - past it, slowly sparser again (a quarter of the overdue time): OVH is
//     slow today, and a slow task must not eat the budget of the other fences.
func (f *Fencer) nextPoll(elapsed time.Duration) time.Duration {
	dense := f.pollInterval()
	due := f.dueTime()
	d := (due - elapsed) / 2
	if elapsed > due {
		d = (elapsed - due) / 4
	}
	return min(max(d, dense), sparseCapFactor*dense)
}

// dueTime is when a hard reboot is expected to be done, after its task was learned.
func (f *Fencer) dueTime() time.Duration {
	if f.RebootTime > 0 {
		return f.RebootTime
	}
	return TypicalRebootTime
}

// densePoll reports whether a task poll at elapsed is a dense one: the reboot
// is due (from a dense interval before the due time) and the polls are a dense
// interval apart. Only there is the task likely to end, and only there does
// waitTask check the netboot too: at the sparse polls it would cost the budget.
func (f *Fencer) densePoll(elapsed time.Duration) bool {
	return elapsed >= f.dueTime()-f.pollInterval() && f.nextPoll(elapsed) <= f.pollInterval()
}

// Clock is the time the Fencer waits on; tests pass a fake one.
type Clock interface {
	Now() time.Time
	// Sleep waits for d, or returns ctx's error when ctx ends first.
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

func (f *Fencer) clock() Clock {
	if f.Clock != nil {
		return f.Clock
	}
	return realClock{}
}

func (f *Fencer) sleep(ctx context.Context, d time.Duration) error { return f.clock().Sleep(ctx, d) }

func (f *Fencer) since(t time.Time) time.Duration { return f.clock().Now().Sub(t) }
