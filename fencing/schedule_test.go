package fencing

import (
	"context"
	"math/rand/v2"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ovhfence/ovhfence/internal/fakeclock"
	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/ovhsim"
)

// The schedule's invariants over generated settings: every pause lies between
// the dense interval and the sparse cap; before the due time a pause never
// overshoots it by more than a dense interval; around it (one dense interval
// before, four after) polls are dense.
func TestNextPollInvariants(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 10))
	for i := 0; i < 20000; i++ {
		dense := time.Duration(1+rng.IntN(10)) * time.Second
		f := &Fencer{PollInterval: dense, RebootTime: time.Duration(rng.IntN(600)) * time.Second}
		due := f.RebootTime
		if due == 0 {
			due = TypicalRebootTime
		}
		elapsed := time.Duration(rng.Int64N(int64(1000 * time.Second)))
		d := f.nextPoll(elapsed)
		switch {
		case d < dense || d > sparseCapFactor*dense:
			t.Fatalf("%+v at %s: pause %s outside [%s, %s]", f, elapsed, d, dense, sparseCapFactor*dense)
		case elapsed < due && elapsed+d > due+dense:
			t.Fatalf("%+v at %s: pause %s overshoots the due time %s", f, elapsed, d, due)
		case elapsed >= due-dense && elapsed <= due+4*dense && d != dense:
			t.Fatalf("%+v at %s: pause %s near the due time %s, want the dense %s", f, elapsed, d, due, dense)
		}
	}
}

// fenceOnClock fences a server of a simulator whose reboot tasks take
// taskTime, on a fake clock shared by the simulator and the Fencer, and
// returns the calls the fence made and how long after the task was done the
// fence returned.
func fenceOnClock(t *testing.T, taskTime, rebootTime, dense time.Duration) (calls int, afterDone time.Duration) {
	t.Helper()
	clock := fakeclock.New(time.Now())
	// The client signs with the real clock; the window only has to cover the jump.
	sim := ovhsim.New(ovhsim.Config{Now: clock.Now, TimestampWindow: 24 * time.Hour})
	sim.SetDurations(ovhsim.Durations{Init: 5 * time.Second, Todo: 5 * time.Second, Doing: taskTime - 10*time.Second})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	const sn = "ns567890.ip-123-22-44.eu" // ovhsim.DefaultServers()[0]
	ak, as, ck := sim.CreateToken(ovhsim.FencingRules(sn))
	client, err := ovhapi.New(ovhapi.Config{Endpoint: srv.URL + "/1.0", ApplicationKey: ak, ApplicationSecret: as, ConsumerKey: ck}, ovhapi.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := &Fencer{API: client, PollInterval: dense, RebootTime: rebootTime, Clock: clock}
	if _, err := f.Off(context.Background(), Target{Server: sn, Mode: ModeRescue, Boots: BootIDs{Rescue: 230242}}); err != nil {
		t.Fatal(err)
	}
	var posted time.Time
	for _, r := range sim.Requests() {
		if r.Method == "POST" {
			posted = r.Time
		}
	}
	return len(sim.Requests()), clock.Now().Sub(posted.Add(taskTime))
}

// A 150 s reboot in rescue mode (issue 10's targets): with reboot_time at most
// 20 calls and an exit within a dense interval of done; without it (150 s
// assumed) at most 30 calls; and a reboot quicker or slower than assumed is
// still seen within the sparse cap. A slow task costs a little more: each dense
// poll around the due time also checks the netboot (densePoll).
func TestScheduleCallsForA150sReboot(t *testing.T) {
	const dense = 2 * time.Second
	for _, c := range []struct {
		name             string
		task, rebootTime time.Duration
		maxCalls         int
		maxAfterDone     time.Duration
	}{
		{"reboot_time=150", 150 * time.Second, 150 * time.Second, 20, dense},
		{"no reboot_time", 150 * time.Second, 0, 30, dense},
		{"reboot_time=150, task 60 s", 60 * time.Second, 150 * time.Second, 30, sparseCapFactor * dense},
		{"reboot_time=150, task 300 s", 300 * time.Second, 150 * time.Second, 42, sparseCapFactor * dense},
	} {
		calls, after := fenceOnClock(t, c.task, c.rebootTime, dense)
		t.Logf("%s: %d calls, exit %s after done", c.name, calls, after)
		if calls > c.maxCalls || after < 0 || after > c.maxAfterDone {
			t.Errorf("%s: %d calls (want ≤ %d), exit %s after done (want ≤ %s)", c.name, calls, c.maxCalls, after, c.maxAfterDone)
		}
	}
}
