package fencing

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/ovhfence/ovhfence/ovhapi"
)

// Off keeps t's server from running the cluster's OS: it sets the rescue (or power)
// netboot, hard-reboots, waits for a reboot task that began after that change to be
// done and reads the server back. "Already off" needs the proof of provenOff: a
// rescue boot setting alone proves nothing (it may have been set without a reboot),
// and a pending reboot may start the disk at any moment.
func (f *Fencer) Off(ctx context.Context, t Target) (Result, error) {
	start := time.Now()
	ctx, cancel := f.bound(ctx)
	defer cancel()
	bootID, err := f.checkedOffBoot(ctx, t)
	if err != nil {
		return Result{}, err
	}
	proof, err := f.provenOff(ctx, t.Server, func(id int64) bool { return id == bootID })
	if err != nil {
		return Result{}, err
	}
	if proof.proven {
		f.noteState(proof.server)
		return Result{Already: true, Elapsed: time.Since(start)}, nil
	}
	f.logf("%s: not already off (%s): fencing it", t.Server, proof.why)
	ours, err := f.rebootInto(ctx, t, bootID, start, proof.history)
	if err != nil {
		return Result{}, err
	}
	if err := f.verify(ctx, t, bootID, t.Mode == ModePoweroff, ours, start); err != nil {
		return Result{}, err
	}
	return Result{Elapsed: time.Since(start)}, nil
}

// On boots t's server from its disk: disk netboot, hard reboot, task done, read
// back. It never answers "Already ON": the API cannot prove that a server runs its
// disk (a disk netboot set by another node's on that has not rebooted yet, or left
// by one that was killed, reads the same as a server that booted it), so an on of
// a running server restarts it. It makes 1 + RetryOn attempts, each bounded by
// Timeout.
func (f *Fencer) On(ctx context.Context, t Target) (Result, error) {
	return f.onAttempts(ctx, t, 1+max(f.RetryOn, 0))
}

func (f *Fencer) onAttempts(ctx context.Context, t Target, attempts int) (res Result, err error) {
	for attempt := 1; attempt <= attempts; attempt++ {
		if res, err = f.onOnce(ctx, t); err == nil || ctx.Err() != nil {
			return res, err
		}
		if attempt < attempts {
			f.warnf("power on attempt %d of %d failed: %v", attempt, attempts, err)
		}
	}
	return res, err
}

func (f *Fencer) onOnce(ctx context.Context, t Target) (Result, error) {
	start := time.Now()
	ctx, cancel := f.bound(ctx)
	defer cancel()
	if err := f.cycleToDisk(ctx, t, start); err != nil {
		return Result{}, err
	}
	return Result{Elapsed: time.Since(start)}, nil
}

// Reboot restarts t's server. MethodCycle is one verified hard reboot to disk (the
// node's OS is reset, in half the time of off+on); MethodOnOff is Off then On, and
// as in fence-agents a failed on after a verified off is reported in
// Result.PowerOnErr, not as a failure: the server is fenced.
func (f *Fencer) Reboot(ctx context.Context, t Target, method Method) (Result, error) {
	start := time.Now()
	switch method {
	case MethodOnOff:
		if _, err := f.Off(ctx, t); err != nil {
			return Result{}, err
		}
		if _, err := f.onAttempts(ctx, t, max(f.RetryOn, 1)); err != nil {
			return Result{Elapsed: time.Since(start), PowerOnErr: err}, nil
		}
	case MethodCycle, "":
		ctx, cancel := f.bound(ctx)
		defer cancel()
		if err := f.cycleToDisk(ctx, t, start); err != nil {
			return Result{}, err
		}
	default:
		return Result{}, fmt.Errorf("unknown reboot method %q (want cycle or onoff)", method)
	}
	return Result{Elapsed: time.Since(start)}, nil
}

// Status answers OFF only with the proof of provenOff; anything else is ON, the
// safe answer, with the reason logged.
func (f *Fencer) Status(ctx context.Context, t Target) (Power, error) {
	ctx, cancel := f.bound(ctx)
	defer cancel()
	disk := diskBoot(t)
	proof, err := f.provenOff(ctx, t.Server, func(id int64) bool { return id != disk })
	if err != nil {
		return PowerOn, err
	}
	if proof.proven {
		return PowerOff, nil
	}
	if proof.server.BootID != disk && proof.server.PowerState != powerStateOff {
		f.warnf("%s is set to netboot %d, not its disk, and powered on: the OVH API cannot tell a server running "+
			"the rescue system from one merely set to boot it, so it answers ON (the safe side)", t.Server, proof.server.BootID)
	} else {
		f.logf("%s: ON (%s)", t.Server, proof.why)
	}
	return PowerOn, nil
}

// Plug is one server the key can fence, as `list` prints it.
type Plug struct {
	Name, Alias string
}

// List returns the servers the key can reach: the account's servers, or, when the
// key may not list them (a least-privilege key), the servers named in its rules.
// When neither names a server it fails, naming the missing rule: an empty list
// would read as "this key fences nothing".
func (f *Fencer) List(ctx context.Context) ([]Plug, error) {
	ctx, cancel := f.bound(ctx)
	defer cancel()
	names, err := f.API.ListServers(ctx)
	if ovhapi.KindOf(err) == ovhapi.KindNotGranted {
		cred, credErr := f.API.CurrentCredential(ctx)
		if credErr != nil {
			return nil, credErr
		}
		if names = serversInRules(cred.Rules); len(names) == 0 {
			return nil, fmt.Errorf("the consumer key may not list the account's servers (it lacks a rule for GET /dedicated/server) and its rules name no server: add that rule, or give the server names as plugs: %w", err)
		}
		err = nil
	}
	if err != nil {
		return nil, err
	}
	plugs := make([]Plug, len(names))
	for i, name := range names {
		plugs[i] = Plug{Name: name}
	}
	return plugs, nil
}

// Monitor proves that the API answers and that the consumer key is valid.
func (f *Fencer) Monitor(ctx context.Context) error {
	ctx, cancel := f.bound(ctx)
	defer cancel()
	cred, err := f.API.CurrentCredential(ctx)
	if err != nil {
		return err
	}
	if cred.Status != ovhapi.CredentialValidated {
		return fmt.Errorf("the consumer key is %s, not validated: open its validation URL, or create a new one with `ovhfence keys request`", cred.Status)
	}
	return nil
}

const (
	powerStateOff = "poweroff"
	powerStateOn  = "poweron"
)

// bound applies the configured Timeout (0: only the caller's context bounds it).
func (f *Fencer) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	if f.Timeout > 0 {
		return context.WithTimeout(ctx, f.Timeout)
	}
	return context.WithCancel(ctx)
}

// cycleToDisk sets the disk netboot, hard-reboots and verifies.
func (f *Fencer) cycleToDisk(ctx context.Context, t Target, start time.Time) error {
	disk := diskBoot(t)
	ours, err := f.rebootInto(ctx, t, disk, start, rebootHistory{})
	if err != nil {
		return err
	}
	return f.verify(ctx, t, disk, false, ours, start)
}

// rebootInto sets bootID, hard-reboots and waits until the hard reboot our
// request created is done. The netboot a reboot starts is read by OVH when the
// reboot is asked or when it begins (undocumented), so:
//   - a hard reboot pending before the change is followed to its end first, and
//     the change and the request are then made back to back;
//   - a task our request did not create (a concurrent agent's, or one found after
//     a lost answer, which may be our own) is followed to its end, and the change
//     and the request are made again;
//   - the netboot must still be ours right after the request and at each dense
//     poll until the task is done (waitTask): another agent's change in between
//     (an on racing an off) would make the reboot start its netboot, so that is
//     a failure.
//
// seen is the task list the caller has just read (Off's proof): when it lists no
// pending reboot, the first round does not list again (one call of the budget); a
// reboot begun since is pending at the request, and so followed to its end as
// one our request did not create.
//
// It returns our reboot task.
func (f *Fencer) rebootInto(ctx context.Context, t Target, bootID int64, start time.Time, seen rebootHistory) (ovhapi.Task, error) {
	for ; ; seen = (rebootHistory{}) {
		if !seen.known || seen.pending() {
			if err := f.awaitNoPendingReboot(ctx, t.Server, start); err != nil {
				return ovhapi.Task{}, err
			}
		}
		if err := f.API.SetBoot(ctx, t.Server, bootID, t.RescueMail); err != nil {
			return ovhapi.Task{}, fmt.Errorf("setting netboot %d on %s: %w", bootID, t.Server, err)
		}
		f.progress(Event{Server: t.Server, Step: "boot", Elapsed: time.Since(start)})
		task, followed, err := f.API.Reboot(ctx, t.Server)
		if err != nil {
			return ovhapi.Task{}, fmt.Errorf("requesting the hard reboot of %s: %w", t.Server, err)
		}
		if followed {
			// Only the task our request created counts. One it did not create
			// (another node's, or one found after a lost answer) may have read a
			// netboot another node set between our change and its request, and a
			// third node may have set ours back since: the read-back would not show it.
			f.logf("hardReboot task %d of %s was not created by this request: waiting for it, then setting the netboot and rebooting again", task.ID, t.Server)
			if _, err := f.waitTask(ctx, t.Server, task, start, false, nil); err != nil && !errors.Is(err, errTaskFailed) {
				return task, err
			}
			if err := f.sleep(ctx, f.pollInterval()); err != nil {
				return task, timeoutError(t.Server, task, err)
			}
			continue
		}
		f.progress(Event{Server: t.Server, Step: "reboot", Task: task, Elapsed: time.Since(start)})
		keptOurs := func(ctx context.Context) error { return f.stillSetTo(ctx, t.Server, bootID, task) }
		if err := keptOurs(ctx); err != nil {
			return task, err
		}
		if f.PowerWait > 0 {
			if err := f.sleep(ctx, f.PowerWait); err != nil {
				return task, timeoutError(t.Server, task, err)
			}
		}
		_, err = f.waitTask(ctx, t.Server, task, start, true, keptOurs)
		return task, err
	}
}

// awaitNoPendingReboot follows the server's pending hard reboot, if any, to its
// end (whatever the end: it is not ours). After one ends it lets a dense
// interval pass before the next look: the agent that asked for it (another
// node fencing the same server) reads the server back within that time, and
// our reboot asked before that would make its proof fail (noLaterReboot).
func (f *Fencer) awaitNoPendingReboot(ctx context.Context, sn string, start time.Time) error {
	for {
		h, err := f.rebootHistory(ctx, sn)
		if err != nil || !h.pending() {
			return nil // without the list, the reboot request itself finds a pending task
		}
		f.logf("hardReboot task %d of %s is %s: waiting for it before changing the netboot", h.newest.ID, sn, h.newest.Status)
		if _, err := f.waitTask(ctx, sn, h.newest, start, false, nil); err != nil && !errors.Is(err, errTaskFailed) {
			return err
		}
		if err := f.sleep(ctx, f.pollInterval()); err != nil {
			return timeoutError(sn, h.newest, err)
		}
	}
}

// stillSetTo fails when the server's netboot is no longer bootID while task,
// our reboot, has not finished: the reboot may start the other netboot.
func (f *Fencer) stillSetTo(ctx context.Context, sn string, bootID int64, task ovhapi.Task) error {
	srv, err := f.API.GetServer(ctx, sn)
	if err != nil {
		return fmt.Errorf("reading %s during its reboot: %w", sn, err)
	}
	if srv.BootID != bootID {
		return fmt.Errorf("%s was set to netboot %d, not %d, while its reboot task %d ran: someone (another node, the OVH manager) changed it, so the reboot proves nothing", sn, srv.BootID, bootID, task.ID)
	}
	return nil
}

var errTaskFailed = errors.New("reboot task failed")

// youngTask is how long a task may answer 404 after its creation
// (reference/ovh-api.md §3.5: Terraform retries them for 5 minutes).
const youngTask = 5 * time.Minute

// waitTask polls the task until it is done; any other end state is errTaskFailed.
// Its body must be a hardReboot (ovhapi checks the taskId). A 404 while the task is
// young is OVH's transient answer and is retried.
// A fresh task (our request just created it) cannot be done yet: its first read
// waits for the schedule too (nextPoll), which spares a call of the budget.
// watch, when not nil, runs at each dense poll of a pending task (densePoll),
// where the task may end any moment, and at the first poll that sees it doing;
// other sparse polls skip it to stay in the budget.
// Its error ends the wait.
func (f *Fencer) waitTask(ctx context.Context, sn string, task ovhapi.Task, start time.Time, fresh bool, watch func(context.Context) error) (ovhapi.Task, error) {
	learned := f.clock().Now()
	if fresh {
		if err := f.sleep(ctx, f.nextPoll(0)); err != nil {
			return task, timeoutError(sn, task, err)
		}
	}
	neverFound := true // every read so far answered 404
	sawDoing := false  // a poll has seen the task doing
	giveUp := func(cause error) error {
		if neverFound {
			return fmt.Errorf("gave up waiting for OVH task %d (hardReboot of %s): OVH still answers 404 %s after the task was created (%v); "+
				"check the server's tasks in the OVH manager, and raise power_timeout if OVH is slow", task.ID, sn, f.since(learned).Round(time.Second), cause)
		}
		return timeoutError(sn, task, cause)
	}
	for {
		current, err := f.API.GetTask(ctx, sn, task.ID)
		if ctx.Err() == nil && ovhapi.KindOf(err) != ovhapi.KindNotFound {
			neverFound = false // OVH answered something else (a read cut by the deadline is no answer)
		}
		switch {
		case err == nil && current.Function != ovhapi.FunctionHardReboot:
			return task, fmt.Errorf("OVH answered task %d of %s as a %q task, not the hardReboot it is: not trusting it", task.ID, sn, current.Function)
		case err == nil:
			task = current
		case ctx.Err() != nil:
			return task, giveUp(ctx.Err())
		case ovhapi.KindOf(err) == ovhapi.KindNotFound && f.since(learned) < youngTask,
			ovhapi.Retryable(err):
			// A young task answers 404 for a while (reference/ovh-api.md §3.5); the
			// client retries the others itself, this keeps the rule whatever its settings.
			f.warnf("reading reboot task %d of %s: %v: retrying", task.ID, sn, err)
			if err := f.sleep(ctx, f.pollInterval()); err != nil {
				return task, giveUp(err)
			}
			continue
		default:
			return task, fmt.Errorf("reading reboot task %d of %s: %w", task.ID, sn, err)
		}
		f.progress(Event{Server: sn, Step: "task", Task: task, Elapsed: time.Since(start)})
		switch {
		case task.Status == ovhapi.TaskDone:
			return task, nil
		case !task.Pending():
			return task, fmt.Errorf("%w: OVH task %d (hardReboot of %s) ended in %q; check the server in the OVH manager", errTaskFailed, task.ID, sn, task.Status)
		}
		// The first poll that sees the task doing also checks, whatever the
		// schedule: if OVH reads the netboot as the reboot begins, another
		// node's netboot set then is still there unless set back in between.
		began := task.Status == ovhapi.TaskDoing && !sawDoing
		sawDoing = sawDoing || task.Status == ovhapi.TaskDoing
		elapsed := f.since(learned)
		if watch != nil && (began || f.densePoll(elapsed)) {
			if err := watch(ctx); err != nil {
				return task, err
			}
		}
		if err := f.sleep(ctx, f.nextPoll(elapsed)); err != nil {
			return task, timeoutError(sn, task, err)
		}
	}
}

// verify checks, after our reboot task ours is done, that the server is set to
// bootID and, when wantPoweroff, reports powerState poweroff (OVH may lag a
// little behind the task, so it polls until the deadline), and that no later
// hard reboot has begun: one asked after ours (an on of another node) may have
// started another netboot.
//
// The last look is the task list, then the server, answered within a poll
// interval of each other: a reboot begun after ours is either listed, or (run
// and purged meanwhile) leaves its netboot change for the read. When either
// call was retried, the window between them is long enough for another node
// to set a netboot, reboot into it and set ours back, so both are read again.
func (f *Fencer) verify(ctx context.Context, t Target, bootID int64, wantPoweroff bool, ours ovhapi.Task, start time.Time) error {
	want := powerStateOn
	if wantPoweroff {
		want = powerStateOff
	}
	var last *ovhapi.Server // the last read back, once there is one
	powerTimeout := func(err error) error {
		return fmt.Errorf("timed out waiting for %s to report powerState %s (it reports %q): %w", t.Server, want, last.PowerState, err)
	}
	readBack := func() (ovhapi.Server, error) {
		srv, err := f.API.GetServer(ctx, t.Server)
		switch {
		case err != nil && last != nil && last.PowerState != want && ctx.Err() != nil:
			return srv, powerTimeout(err) // the deadline came while waiting for the power state
		case err != nil:
			return srv, fmt.Errorf("reading %s back after the reboot: %w", t.Server, err)
		case last == nil:
			f.noteState(srv)
		}
		last = &srv
		f.progress(Event{Server: t.Server, Step: "verify", Elapsed: time.Since(start)})
		if srv.BootID != bootID {
			return srv, fmt.Errorf("after the reboot %s is set to netboot %d, not %d: someone changed it meanwhile", t.Server, srv.BootID, bootID)
		}
		return srv, nil
	}
	waitPowerState := func() error {
		if err := f.sleep(ctx, f.pollInterval()); err != nil {
			return powerTimeout(err)
		}
		return nil
	}
	if wantPoweroff { // reads alone until OVH reports the poweroff, to stay within the budget
		for {
			srv, err := readBack()
			if err != nil {
				return err
			}
			if srv.PowerState == want {
				break
			}
			if err := waitPowerState(); err != nil {
				return err
			}
		}
	}
	for {
		if err := f.noLaterReboot(ctx, t.Server, ours); err != nil {
			return err
		}
		listed := f.clock().Now()
		srv, err := readBack()
		if err != nil {
			return err
		}
		switch {
		case srv.PowerState != want:
			if err := waitPowerState(); err != nil {
				return err
			}
		case f.since(listed) > f.pollInterval():
			f.warnf("reading %s back took %s after its task list: looking at both again", t.Server, f.since(listed).Round(time.Millisecond))
		default:
			return nil
		}
	}
}

// noLaterReboot fails when a hard reboot newer than ours is listed. A key that
// may not list tasks cannot tell (a documented limit).
func (f *Fencer) noLaterReboot(ctx context.Context, sn string, ours ovhapi.Task) error {
	newest, err := f.newestListed(ctx, sn)
	switch {
	case ovhapi.KindOf(err) == ovhapi.KindNotGranted:
		f.logf("the key may not list the tasks of %s: a reboot asked after ours would go unseen", sn)
		return nil
	case err != nil:
		return fmt.Errorf("listing the hard reboots of %s after ours: %w", sn, err)
	case newest > ours.ID:
		return fmt.Errorf("hard reboot task %d of %s began after ours (%d): it may start another netboot than the one read back, so ours proves nothing", newest, sn, ours.ID)
	}
	return nil
}

// serversInRules extracts the service names of /dedicated/server/{sn} rules.
func serversInRules(rules []ovhapi.Rule) []string {
	seen := map[string]bool{}
	var names []string
	for _, r := range rules {
		name, _, ok := ovhapi.SplitServerPath(r.Path)
		if !ok || name == "" || strings.Contains(name, "*") || seen[name] {
			continue
		}
		seen[name] = true
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

func timeoutError(sn string, task ovhapi.Task, cause error) error {
	return fmt.Errorf("gave up waiting for OVH task %d (hardReboot of %s, last status %q): %w; raise power_timeout if OVH is slow", task.ID, sn, task.Status, cause)
}
