package campaign

import (
	"context"
	"fmt"
	"net/http"
	"path"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/ovhsim"
)

// The tests of this file stage, with the real fence_ovh, the one moment where
// each guard of fencing's package doc matters that the randomized campaign
// rarely meets, and ask the oracle whether the claim printed there is false.
// Each fails with its guard removed (the plant named in its doc).

// TestStagedGuards runs each staging with one build of fence_ovh.
func TestStagedGuards(t *testing.T) {
	agent := buildAgent(t, t.TempDir())
	for _, tc := range []struct {
		guard string
		stage func(*testing.T, string)
	}{
		{"servername", stageForeignServer}, {"nullbody", stageNullTaskList},
		{"unchanged", stageRebootDuringRead}, {"verifyboot", stageUnseenBoot},
		{"pending", stagePendingReboot}, {"densecheck", stageDenseRead},
	} {
		t.Run(tc.guard, func(t *testing.T) { tc.stage(t, agent) })
	}
}

// quickTasks fence a server in the setup; slowTasks keep a reboot pending for
// the whole of a staged status.
var (
	quickTasks = ovhsim.Durations{Init: 10 * time.Millisecond, Todo: 10 * time.Millisecond, Doing: 20 * time.Millisecond}
	slowTasks  = ovhsim.Durations{Init: 20 * time.Second, Todo: 20 * time.Second, Doing: 20 * time.Second}
)

// stageForeignServer: a server body that describes another server, one
// powered off on its power netboot (the foreignServer fault, once), answers
// the server read of status. It is an error, retried; read as X's server it
// would prove Status: OFF for a server that runs its disk. Guard: ovhapi
// GetServer's name check (plant: `if srv.Name != sn {` → `if false && …`).
// Any fence mode, either netboot model; staged in rescue mode.
func stageForeignServer(t *testing.T, agent string) {
	servers := ovhsim.DefaultServers()
	s := newStaged(t, ovhsim.Config{Servers: servers, Durations: quickTasks})
	other := servers[1]
	if other.Name == s.seed.Name || other.PowerBootID == 0 {
		t.Fatalf("want a second server with a power netboot, have %+v", other)
	}
	// The other server is fenced by another node: powered off on its power netboot.
	s.offByOtherNode(s.otherKeyOn(other.Name), other)
	s.sim.AddFault(ovhsim.Fault{Kind: ovhsim.FaultForeignServer, Path: "/dedicated/server/" + s.seed.Name, Count: 1})
	run := s.run(agent, "status", "rescue", nil)
	s.wantFaulted("/dedicated/server/"+s.seed.Name, 1)
	if run.falseClaim {
		t.Fatalf("the agent printed %q, false against ground truth: it took %s's body for %s's", run.claim, other.Name, s.seed.Name)
	}
}

// stagePendingReboot: X's server is off (another node fenced it in poweroff
// mode), then a node's on set the disk and asked a hard reboot, which read
// it, and another node set the power netboot back: the server reads powered
// off on its power netboot with a reboot into its disk pending, which the
// task list shows. While any hard reboot is pending there is no proof of OFF;
// without that rule status would claim OFF for a server about to boot its
// disk. Guard: provenOff's `case before.pending():` (plant: `→ case false &&
// …`). At-request model only: at boot the pending reboot reads the power
// netboot set back.
func stagePendingReboot(t *testing.T, agent string) {
	if run := statusWithHiddenReboot(t, agent, nil); run.falseClaim {
		t.Fatalf("the agent printed %q, false against ground truth: a pending reboot into the disk was not seen as pending", run.claim)
	}
}

// stageNullTaskList: the same, but both task lists of status's proof answer
// null (the nullBody fault). Null is an error; read as an empty list it would
// prove Status: OFF. Guard: ovhapi's `trimmed == "" || trimmed == "null"`
// (plant: `→ trimmed == ""`).
func stageNullTaskList(t *testing.T, agent string) {
	nullLists := func(s *staged) {
		tasks := "/dedicated/server/" + s.seed.Name + "/task"
		s.sim.AddFault(ovhsim.Fault{Kind: ovhsim.FaultNullBody, Method: http.MethodGet, Path: tasks, Count: 2})
		t.Cleanup(func() { s.wantFaulted(tasks, 2) })
	}
	if run := statusWithHiddenReboot(t, agent, nullLists); run.falseClaim {
		t.Fatalf("the agent printed %q, false against ground truth: a null task list was read as no reboot pending", run.claim)
	}
}

// statusWithHiddenReboot runs status in poweroff mode on X's server, off with
// a reboot into its disk pending behind the power netboot set back, after
// before (if any) has set faults.
func statusWithHiddenReboot(t *testing.T, agent string, before func(*staged)) stagedRun {
	s := newStaged(t, ovhsim.Config{NetbootReadAt: ovhsim.NetbootAtRequest, Durations: quickTasks})
	y, z := s.otherKey(), s.otherKey()
	s.offByOtherNode(z, s.seed)
	s.sim.SetDurations(slowTasks)
	if err := s.diskRebootHidden(y, z); err != nil {
		t.Fatal(err)
	}
	if before != nil {
		before(s)
	}
	return s.run(agent, "status", "poweroff", nil)
}

// stageRebootDuringRead: X's server is off (fenced in poweroff mode);
// between status's task list and its server read, a node's on sets the disk
// and asks a hard reboot, which reads it, and another node sets the power
// netboot back: the read shows the server powered off on its power netboot,
// and the reboot into its disk is pending. Only the task list read again shows
// it; without that look status would claim OFF. Guard: provenOff's `newest ==
// before.newest.ID` (plant: `→ newest >= 0`). At-request model only, as above.
func stageRebootDuringRead(t *testing.T, agent string) {
	s := newStaged(t, ovhsim.Config{NetbootReadAt: ovhsim.NetbootAtRequest, Durations: quickTasks})
	y, z := s.otherKey(), s.otherKey()
	s.offByOtherNode(z, s.seed)
	s.sim.SetDurations(slowTasks)
	var listed, staged atomic.Bool
	s.around = func(r *http.Request, answer func()) error {
		switch {
		case r.URL.Path == "/1.0/dedicated/server/"+s.seed.Name+"/task":
			listed.Store(true)
		case listed.Load() && !staged.Load() && r.Method == http.MethodGet && r.URL.Path == "/1.0/dedicated/server/"+s.seed.Name:
			staged.Store(true)
			return s.diskRebootHidden(y, z)
		}
		return nil
	}
	run := s.run(agent, "status", "poweroff", nil)
	if !staged.Load() {
		t.Fatalf("status never read the server after its task list; it printed %q", run.claim)
	}
	if run.falseClaim {
		t.Fatalf("the agent printed %q, false against ground truth: a reboot asked between its task list and its server read went unseen", run.claim)
	}
}

// stageDenseRead: in the at-boot model, with a reboot that begins well after
// it is due, another node sets the disk right after X's read that follows
// its reboot request; X's dense polls (the reboot is due, polls a
// stonith_status_sleep apart) each read the server too, and see it. The
// first of X's requests after the task has gone down (and read the disk) is
// answered only after a third node has set rescue back: without the reads at
// the dense polls, X would see rescue at the poll that sees the reboot
// begin, and claim Powered OFF for a server that booted its disk. (The
// A-B-A class would excuse that claim: it cannot tell a dense poll from a
// sparse one.) Guard: waitTask's `began || f.densePoll(elapsed)` (plant:
// `→ began || false && f.densePoll(elapsed)`). At-boot model, rescue mode.
func stageDenseRead(t *testing.T, agent string) {
	s := newStaged(t, ovhsim.Config{NetbootReadAt: ovhsim.NetbootAtBoot,
		Durations: ovhsim.Durations{Init: 200 * time.Millisecond, Todo: 200 * time.Millisecond, Doing: 60 * time.Millisecond}})
	d := newDiskAfterCheck(s)
	var setBack atomic.Bool
	s.around = func(r *http.Request, answer func()) error {
		if took, err := d.around(r, answer); took {
			return err
		}
		if d.changed.Load() && !setBack.Load() && d.stage.wentDown() {
			setBack.Store(true)
			return d.stage.z.SetBoot(context.Background(), s.seed.Name, s.seed.RescueBootID, "")
		}
		return nil
	}
	timing := []string{"power_timeout=3", "stonith_status_sleep=0.02", "reboot_time=0.05", "login_timeout=2"}
	run := s.run(agent, "off", "rescue", timing)
	if !d.changed.Load() {
		t.Fatalf("the off was not staged (reboot %v); it printed %q", d.rebooted.Load(), run.claim)
	}
	if run.falseClaim {
		t.Fatalf("the agent printed %q, false against ground truth: the disk set between its dense polls went unread", run.claim)
	}
}

// stageUnseenBoot: in the at-boot model, right after X's off has checked
// that its netboot is still set (the read after its reboot request), another
// node sets the disk; the reboot reads it when it begins, and X's first task
// poll (held until the task is done, as a sparse poll would land) sees it
// done, so no poll saw it doing. Only the read-back after the task shows the
// disk netboot; without that check off would claim Powered OFF for a server
// that booted its disk. Guard: verify's `if srv.BootID != bootID {` (plant:
// `→ if false && …`). At-boot model only (at request the reboot has read our
// netboot already), rescue mode only (in poweroff mode powerState shows it).
func stageUnseenBoot(t *testing.T, agent string) {
	s := newStaged(t, ovhsim.Config{NetbootReadAt: ovhsim.NetbootAtBoot,
		Durations: ovhsim.Durations{Init: 150 * time.Millisecond, Todo: 150 * time.Millisecond, Doing: 100 * time.Millisecond}})
	d := newDiskAfterCheck(s)
	server := "/1.0/dedicated/server/" + s.seed.Name
	var held atomic.Bool
	s.around = func(r *http.Request, answer func()) error {
		if took, err := d.around(r, answer); took {
			return err
		}
		if d.changed.Load() && !held.Load() && path.Dir(r.URL.Path) == server+"/task" {
			held.Store(true)
			id, err := strconv.ParseInt(path.Base(r.URL.Path), 10, 64)
			if err != nil {
				return err
			}
			return s.awaitEnd(id)
		}
		return nil
	}
	run := s.run(agent, "off", "rescue", nil)
	if !held.Load() {
		t.Fatalf("the off was not staged (reboot %v, disk set %v); it printed %q", d.rebooted.Load(), d.changed.Load(), run.claim)
	}
	if lastIndex(run.events, func(e ovhsim.TruthEvent) bool {
		return e.Kind == ovhsim.EventDown && e.Actor == s.actor() && e.Into == ovhsim.OSDisk
	}) < 0 {
		t.Fatalf("the staging missed its moment: X's reboot did not boot the disk; the agent printed %q", run.claim)
	}
	if run.falseClaim {
		t.Fatalf("the agent printed %q, false against ground truth: its reboot booted the disk netboot set after its last check", run.claim)
	}
}

// diskAfterCheck is how the at-boot stagings of this file begin: X asks its
// hard reboot (its task is recorded), X's read right after it is answered
// (showing X's netboot), and then another node (y) sets the disk.
type diskAfterCheck struct {
	stage             *abaStage // X's server and reboot task; other nodes y and z
	rebooted, changed atomic.Bool
}

func newDiskAfterCheck(s *staged) *diskAfterCheck {
	return &diskAfterCheck{stage: &abaStage{sim: s.sim, sn: s.seed.Name, y: s.otherKey(), z: s.otherKey(), offBoot: s.seed.RescueBootID}}
}

// around stages X's request r if it is one of those steps, and reports
// whether it was.
func (d *diskAfterCheck) around(r *http.Request, answer func()) (bool, error) {
	server := "/1.0/dedicated/server/" + d.stage.sn
	switch {
	case r.Method == http.MethodPost && r.URL.Path == server+"/reboot":
		answer()
		d.rebooted.Store(true)
		if d.stage.task = d.stage.newestReboot(); d.stage.task == 0 {
			return true, fmt.Errorf("no reboot in ground truth after X's request")
		}
		return true, nil
	case d.rebooted.Load() && !d.changed.Load() && r.Method == http.MethodGet && r.URL.Path == server:
		answer()
		d.changed.Store(true)
		return true, d.stage.y.SetBoot(context.Background(), d.stage.sn, 1, "")
	}
	return false, nil
}

// offByOtherNode fences server seed in poweroff mode with key z, as another
// node would: its power netboot, a hard reboot, done. The server is off.
func (s *staged) offByOtherNode(z *ovhapi.Client, seed ovhsim.ServerSeed) {
	ctx := context.Background()
	if err := z.SetBoot(ctx, seed.Name, seed.PowerBootID, ""); err != nil {
		s.t.Fatal(err)
	}
	task, _, err := z.Reboot(ctx, seed.Name)
	if err != nil {
		s.t.Fatal(err)
	}
	if err := s.awaitEndOn(seed.Name, task.ID); err != nil {
		s.t.Fatal(err)
	}
	if st, _ := s.sim.ServerState(seed.Name); st.PowerState != "poweroff" {
		s.t.Fatalf("%s reports powerState %q after its reboot into the power netboot", seed.Name, st.PowerState)
	}
}

// diskRebootHidden is a node's on (y) racing another node's off (z) on X's
// server: y sets the disk netboot and asks a hard reboot, z sets the power
// netboot back. The reboot stays pending (slowTasks).
func (s *staged) diskRebootHidden(y, z *ovhapi.Client) error {
	ctx := context.Background()
	if err := y.SetBoot(ctx, s.seed.Name, 1, ""); err != nil {
		return err
	}
	if _, _, err := y.Reboot(ctx, s.seed.Name); err != nil {
		return err
	}
	return z.SetBoot(ctx, s.seed.Name, s.seed.PowerBootID, "")
}

// awaitEnd waits until task id of X's server has ended.
func (s *staged) awaitEnd(id int64) error { return s.awaitEndOn(s.seed.Name, id) }

func (s *staged) awaitEndOn(sn string, id int64) error {
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		st, _ := s.sim.ServerState(sn)
		for _, task := range st.Tasks {
			if task.ID == id && task.Status != "init" && task.Status != "todo" && task.Status != "doing" {
				return nil
			}
		}
	}
	return fmt.Errorf("task %d of %s did not end within 5 s", id, sn)
}

// wantFaulted fails the test unless an injected fault answered X's calls to
// apiPath (relative to /1.0) n times: else the staging missed its moment.
func (s *staged) wantFaulted(apiPath string, n int) {
	got := 0
	for _, r := range s.sim.Requests() {
		if r.Auth == "faulted" && r.Path == "/1.0"+apiPath && "key "+r.ConsumerKey == s.actor() {
			got++
		}
	}
	if got != n {
		s.t.Fatalf("a fault answered %d of the agent's calls to %s, want %d: the staging missed its moment", got, apiPath, n)
	}
}
