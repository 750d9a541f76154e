package fencing

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/ovhfence/ovhfence/ovhapi"
)

const sn = "ns1.ip-1-2-3.eu"

// Issue 8 item 1: a hard reboot asked with the disk set is pending and the off
// netboot has been set again since: never "Already OFF"; follow it, then ours.
func TestOffNeverAlreadyWhileARebootIsPending(t *testing.T) {
	for _, mode := range []Mode{ModeRescue, ModePoweroff} {
		t.Run(string(mode), func(t *testing.T) {
			api := newFakeAPI()
			api.initialRunning = 95083
			api.server.PowerState = "poweroff"
			api.startTask("init", 1) // an on that gave up, or the manager: boots the disk
			target := Target{Server: sn, Mode: mode}
			off, _ := testFencer(api).offBoot(context.Background(), target)
			api.server.BootID = off // another agent's off has set the off netboot again
			res, err := testFencer(api).Off(context.Background(), target)
			if err != nil || res.Already {
				t.Fatalf("Off = %+v, %v; want a fence, not Already (%s)", res, err, api.trace())
			}
			if len(api.tasks) != 2 || api.tasks[0].Status != "done" || api.running() != off {
				t.Fatalf("after Off the server runs netboot %d after %d reboot tasks; want %d after the pending one and ours (%s)", api.running(), len(api.tasks), off, api.trace())
			}
		})
	}
}

// Issue 8 item 4: a task body that is not our hardReboot is never our reboot done.
func TestAnotherTasksBodyIsNotOurReboot(t *testing.T) {
	api := newFakeAPI()
	api.taskBody = func(task ovhapi.Task) ovhapi.Task {
		task.Function, task.Status = "reinstallServer", "done"
		return task
	}
	res, err := testFencer(api).Off(context.Background(), rescueTarget())
	if err == nil || !strings.Contains(err.Error(), "reinstallServer") {
		t.Fatalf("Off = %+v, %v; want a failure naming the foreign task", res, err)
	}
}

// Issue 8 item 5: on never answers "Already ON": whatever the server reads as
// (disk and poweron after a done reboot included), on reboots it to the disk.
func TestOnNeverAlready(t *testing.T) {
	tests := []struct {
		name  string
		setup func(*fakeAPI)
	}{
		{"disk, on, no task listed", nil},
		{"disk, on, latest reboot done", func(f *fakeAPI) { f.startTask("done", 1) }},
		{"disk set by another node's on that has not rebooted yet, running rescue", func(f *fakeAPI) {
			f.initialRunning = 46371
			f.startTask("done", 46371)
		}},
		{"rescue set, on (a failed on left it in rescue)", func(f *fakeAPI) { f.server.BootID = 46371 }},
		{"disk, on, a reboot pending", func(f *fakeAPI) { f.startTask("init", 46371) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI()
			if tt.setup != nil {
				tt.setup(api)
			}
			res, err := testFencer(api).On(context.Background(), rescueTarget())
			if err != nil || res.Already || api.running() != 1 {
				t.Fatalf("On = %+v, %v, running %d; want Powered ON to the disk (%s)", res, err, api.running(), api.trace())
			}
		})
	}
}

// Issue 8 item 11: another agent's off sends its reboot while ours follows a
// pending one. That reboot began after our netboot change, but a third node
// may have set another netboot just before it (the campaign found such a
// false Powered OFF, seed 7): our off waits for it and sends its own.
func TestConcurrentOffsBothSucceed(t *testing.T) {
	api := newFakeAPI()
	api.startTask("init", 1)
	api.beforeReboot = func(f *fakeAPI, n int) {
		if n == 1 { // the pending task is done; the other agent requests its reboot just before ours
			f.server.BootID = 46371
			f.startTask("init", 46371)
		}
	}
	res, err := testFencer(api).Off(context.Background(), rescueTarget())
	if err != nil || res.Already {
		t.Fatalf("Off = %+v, %v (%s)", res, err, api.trace())
	}
	if api.running() != 46371 || len(api.tasks) != 3 {
		t.Fatalf("the server runs %d after %d tasks; want rescue after the pending, the other agent's and ours", api.running(), len(api.tasks))
	}
}

// A task pending before our change, followed again by the second request
// (the sim answering TaskAlreadyExists for it) is never taken as ours.
func TestARebootFromBeforeTheChangeNeverCounts(t *testing.T) {
	api := newFakeAPI()
	api.startTask("init", 1)
	api.stuck = true
	f := testFencer(api)
	f.Timeout = 50 * time.Millisecond
	if _, err := f.Off(context.Background(), rescueTarget()); err == nil {
		t.Fatalf("Off succeeded on a reboot that began before its netboot change (%s)", api.trace())
	}
}

// Issue 8 item 6: task polls that fail for a while (404 while young, 5xx) are
// retried until the deadline, each a warning.
func TestTaskPollsRetryTransientErrors(t *testing.T) {
	for _, tt := range []struct {
		name  string
		setup func(*fakeAPI)
	}{
		{"404 right after creation", func(f *fakeAPI) { f.notFound = 6 }},
		{"500s", func(f *fakeAPI) { f.failures = 6 }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI()
			tt.setup(api)
			f := testFencer(api)
			var warnings []string
			f.Warnf = func(format string, args ...any) { warnings = append(warnings, format) }
			if _, err := f.Off(context.Background(), rescueTarget()); err != nil {
				t.Fatal(err)
			}
			if len(warnings) < 6 {
				t.Fatalf("%d warnings, want one per retry", len(warnings))
			}
		})
	}
}

// Issue 8 item 13: a task that 404s from its creation to the deadline gets a
// hint that fits, not "OVH purges finished tasks".
func TestYoungTask404Hint(t *testing.T) {
	api := newFakeAPI()
	api.notFound = 1 << 30
	f := testFencer(api)
	f.Timeout = 50 * time.Millisecond
	_, err := f.Off(context.Background(), rescueTarget())
	msg := ovhapi.WithHint(err).Error()
	if err == nil || strings.Contains(msg, "purges") || !strings.Contains(msg, "404") {
		t.Fatalf("Off error = %q; want a young-task 404 message without the purge hint", msg)
	}
}

// Issue 8 item 9: onoff whose on fails after a verified off is a done reboot.
func TestRebootOnOffWithFailedOn(t *testing.T) {
	api := newFakeAPI()
	api.failOn = "SetBoot 1"
	res, err := testFencer(api).Reboot(context.Background(), rescueTarget(), MethodOnOff)
	if err != nil || res.PowerOnErr == nil || api.running() != 46371 {
		t.Fatalf("Reboot onoff = %+v, %v; want success with the on failure reported, the server fenced", res, err)
	}
}

// Issue 8 item 14: On makes 1 + RetryOn attempts.
func TestOnAttempts(t *testing.T) {
	api := newFakeAPI()
	api.server.BootID = 46371
	api.failOn = "SetBoot 1"
	f := testFencer(api)
	f.RetryOn = 2
	if _, err := f.On(context.Background(), rescueTarget()); err == nil {
		t.Fatal("On succeeded")
	}
	if n := api.count("SetBoot 1"); n != 3 {
		t.Fatalf("%d attempts, want 1 + retry_on = 3", n)
	}
}

// Issue 8 item 10: a cluster-wide key that may not list servers names none.
func TestListWithAClusterWideKeyNamesTheMissingRule(t *testing.T) {
	api := newFakeAPI()
	api.listDenied = true
	api.rules = []ovhapi.Rule{{Method: "GET", Path: "/dedicated/server/*"}, {Method: "PUT", Path: "/dedicated/server/*"}}
	plugs, err := testFencer(api).List(context.Background())
	if err == nil || !strings.Contains(err.Error(), "GET /dedicated/server") {
		t.Fatalf("List = %v, %v; want an error naming GET /dedicated/server", plugs, err)
	}
}

// The invariants, over generated states: whatever the server's netboot, power
// state and reboot history, every claim holds against the fake's ground truth
// (the netboot the last finished reboot started, and what pending reboots will).
func TestClaimsHoldOverGeneratedStates(t *testing.T) {
	boots := []int64{1, 46371, 203323, 95083}
	statuses := []string{"init", "todo", "doing", "done", "ovhError", "cancelled"}
	for seed := uint64(0); seed < 2000; seed++ {
		rng := rand.New(rand.NewPCG(seed, 8))
		api := newFakeAPI()
		api.initialRunning = boots[rng.IntN(len(boots))]
		for n := rng.IntN(3); n > 0; n-- {
			// Only the newest may be pending; older ones ended.
			api.startTask(statuses[3+rng.IntN(3)], boots[rng.IntN(len(boots))])
		}
		if rng.IntN(2) == 0 {
			api.startTask(statuses[rng.IntN(len(statuses))], boots[rng.IntN(len(boots))])
		}
		api.server.BootID = boots[rng.IntN(len(boots))]
		api.server.PowerState = "poweron"
		if api.running() == 95083 {
			api.server.PowerState = "poweroff"
		}
		api.tasksDenied = rng.IntN(8) == 0
		mode := []Mode{ModeRescue, ModePoweroff}[rng.IntN(2)]
		target := Target{Server: sn, Mode: mode}
		f := testFencer(api)
		// The fake's tasks advance as they are read, so the truth is read when
		// the claim is made: at the end of the action.
		switch rng.IntN(3) {
		case 0:
			power, err := f.Status(context.Background(), target)
			if err == nil && power == PowerOff && (api.pendingTask() != nil || api.running() != 95083) {
				t.Fatalf("seed %d: Status OFF while the server runs %d (%s)", seed, api.running(), api.trace())
			}
		case 1:
			res, err := f.Off(context.Background(), target)
			if err == nil && (api.running() == 1 || api.pendingTask() != nil) {
				t.Fatalf("seed %d: Off %+v while the server runs %d (%s)", seed, res, api.running(), api.trace())
			}
		case 2:
			res, err := f.On(context.Background(), target)
			if err == nil && (res.Already || api.running() != 1 || api.pendingTask() != nil) {
				t.Fatalf("seed %d: On %+v while the server runs %d (%s)", seed, res, api.running(), api.trace())
			}
		}
	}
}

// A hard reboot asked between the task list read and the server read is seen
// by the second list read: the server's power state proves nothing then.
func TestARebootStartedDuringTheReadIsSeen(t *testing.T) {
	api := newFakeAPI()
	api.initialRunning = 95083
	api.server.BootID, api.server.PowerState = 95083, "poweroff"
	api.beforeServer = func(f *fakeAPI) {
		if len(f.tasks) == 0 {
			f.startTask("init", 1) // an on of another node, asked with the disk set
		}
	}
	target := Target{Server: sn, Mode: ModePoweroff, Boots: BootIDs{Power: 95083}}
	if power, err := testFencer(api).Status(context.Background(), target); err != nil || power != PowerOn {
		t.Fatalf("Status = %v, %v; want ON while a reboot to the disk is pending", power, err)
	}
	api.tasks, api.task = nil, nil
	if res, err := testFencer(api).Off(context.Background(), target); err != nil || res.Already {
		t.Fatalf("Off = %+v, %v; want a fence, not Already", res, err)
	}
}

// A listed hard reboot that answers 404 (young) is taken for a pending one:
// nothing is claimed while it may run.
func TestAListedTaskAnswering404IsPending(t *testing.T) {
	api := newFakeAPI()
	api.initialRunning = 95083
	api.server.BootID, api.server.PowerState = 95083, "poweroff"
	api.startTask("init", 1)
	api.notFound = 1
	target := Target{Server: sn, Mode: ModePoweroff, Boots: BootIDs{Power: 95083}}
	if power, err := testFencer(api).Status(context.Background(), target); err != nil || power != PowerOn {
		t.Fatalf("Status = %v, %v; want ON while a listed reboot cannot be read", power, err)
	}
}

// The netboot must stay ours while our reboot runs: another node's on that sets
// the disk until the reboot begins (OVH reading the netboot then) and an off
// that sets ours back before the read-back must not pass for our reboot.
func TestNetbootChangedDuringOurRebootFails(t *testing.T) {
	api := newFakeAPI()
	api.abaDuring = 1
	res, err := testFencer(api).Off(context.Background(), rescueTarget())
	if err == nil {
		t.Fatalf("Off = %+v while the server runs %d (%s)", res, api.running(), api.trace())
	}
	if !strings.Contains(err.Error(), "changed it") {
		t.Fatalf("Off error = %v, want it to say the netboot was changed", err)
	}
}

// If OVH reads the netboot as the reboot begins, another node's netboot set then
// is seen at the first poll that sees the task doing, even while the polls are
// sparse (the reboot not yet due): the boot-model long run (seed 22) found
// Powered OFF while the disk ran, the change made at doing and set back 150 ms
// later, between two sparse polls.
func TestNetbootSetAsTheRebootBeginsIsSeenBeforeItIsDue(t *testing.T) {
	api := newFakeAPI()
	api.abaDuring = 1
	f := testFencer(api)
	f.RebootTime = 10 * time.Second // every poll is long before the due time: sparse
	res, err := f.Off(context.Background(), rescueTarget())
	if err == nil || !strings.Contains(err.Error(), "changed it") {
		t.Fatalf("Off = %+v, %v while the server runs %d (%s); want it to fail on the changed netboot", res, err, api.running(), api.trace())
	}
}

// A hard reboot asked after ours (another node's on) may start another netboot
// than the one read back: the claim needs ours to be the newest.
func TestALaterRebootVoidsOurs(t *testing.T) {
	api := newFakeAPI()
	api.beforeList = func(f *fakeAPI) {
		if len(f.tasks) == 1 && f.tasks[0].Status == "done" {
			f.startTask("init", 1)
		}
	}
	if res, err := testFencer(api).Off(context.Background(), rescueTarget()); err == nil || !strings.Contains(err.Error(), "began after ours") {
		t.Fatalf("Off = %+v, %v; want a failure naming the later reboot (%s)", res, err, api.trace())
	}
}

// The long campaign's seed 21 (request model, 10,000 actions): while the last
// look at the task list was retried, another node set the disk and its reboot
// ran and was purged from the list, so the list showed nothing newer than
// ours. The server is read after the list, so the disk netboot is seen.
func TestALaterRebootPurgedBeforeTheLastLookIsSeen(t *testing.T) {
	api := newFakeAPI()
	api.beforeList = func(f *fakeAPI) {
		if len(f.tasks) == 1 && f.tasks[0].Status == "done" {
			f.server.BootID = 1 // another node's on: disk set, rebooted, its task purged
		}
	}
	if res, err := testFencer(api).Off(context.Background(), rescueTarget()); err == nil {
		t.Fatalf("Off = %+v, nil; want a failure: the disk netboot was set after our reboot (%s)", res, api.trace())
	}
}

// The long campaign's seed 22 (boot model, 10,000 actions): the read after the
// last look's task list was retried for 436 ms, during which another node
// rebooted the server into rescue and a third one set the disk back and asked
// its reboot; the read showed the disk, and on claimed Powered ON. A read
// answered long after the list is no last look: both are read again.
func TestASlowReadBackLooksAgain(t *testing.T) {
	api := newFakeAPI()
	slowed := false
	api.beforeServer = func(f *fakeAPI) {
		if len(f.tasks) == 1 && f.tasks[0].Status == "done" && !slowed {
			slowed = true
			time.Sleep(20 * time.Millisecond) // the read retried
			f.startTask("init", 46371)        // another node's reboot, the netboot ours again
		}
	}
	if res, err := testFencer(api).Off(context.Background(), rescueTarget()); err == nil || !strings.Contains(err.Error(), "began after ours") {
		t.Fatalf("Off = %+v, %v; want a failure naming the later reboot (%s)", res, err, api.trace())
	}
}

// The long campaign's seed 7: the reboot our request ran into (TaskAlreadyExists)
// was asked by another node's on right after it set the disk, and a third node
// set the rescue netboot back before our read-back. Following that reboot
// printed Powered OFF while the disk ran; a task our request did not create is
// waited out and our own is sent.
func TestARebootOurRequestDidNotCreateNeverCounts(t *testing.T) {
	api := newFakeAPI()
	api.beforeReboot = func(f *fakeAPI, n int) {
		if n == 1 {
			f.server.BootID = 1
			f.startTask("init", 1)
			f.server.BootID = 46371
		}
	}
	res, err := testFencer(api).Off(context.Background(), rescueTarget())
	if err != nil || res.Already {
		t.Fatalf("Off = %+v, %v (%s)", res, err, api.trace())
	}
	if api.running() != 46371 {
		t.Fatalf("Powered OFF while the server runs netboot %d (%s)", api.running(), api.trace())
	}
}
