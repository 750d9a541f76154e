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
	f.noteState(proof.server)
	if proof.proven {
		return Result{Already: true, Elapsed: time.Since(start)}, nil
	}
	f.logf("%s: not already off (%s): fencing it", t.Server, proof.why)
	if _, err := f.rebootInto(ctx, t, bootID, start); err != nil {
		return Result{}, err
	}
	if err := f.verify(ctx, t, bootID, t.Mode == ModePoweroff, start); err != nil {
		return Result{}, err
	}
	return Result{Elapsed: time.Since(start)}, nil
}

// On boots t's server from its disk: disk netboot, hard reboot, task done, read
// back. It makes 1 + RetryOn attempts, each bounded by Timeout.
func (f *Fencer) On(ctx context.Context, t Target) (Result, error) {
	return f.onAttempts(ctx, t, 1+max(f.RetryOn, 0))
}

// onAttempts tries on up to attempts times. Only the first may answer Already: a
// failed attempt may have set the disk netboot itself, which proves nothing.
func (f *Fencer) onAttempts(ctx context.Context, t Target, attempts int) (res Result, err error) {
	for attempt := 1; attempt <= attempts; attempt++ {
		if res, err = f.onOnce(ctx, t, attempt == 1); err == nil || ctx.Err() != nil {
			return res, err
		}
		if attempt < attempts {
			f.warnf("power on attempt %d of %d failed: %v", attempt, attempts, err)
		}
	}
	return res, err
}

func (f *Fencer) onOnce(ctx context.Context, t Target, mayBeAlready bool) (Result, error) {
	start := time.Now()
	ctx, cancel := f.bound(ctx)
	defer cancel()
	proof, err := f.provenOn(ctx, t)
	if err != nil {
		return Result{}, err
	}
	f.noteState(proof.server)
	if proof.proven && mayBeAlready {
		return Result{Already: true, Elapsed: time.Since(start)}, nil
	}
	f.logf("%s: not proven on (%s): booting it from its disk", t.Server, orDefault(proof.why, "a previous attempt set the disk netboot"))
	if err := f.cycleToDisk(ctx, t, start, proof.server.BootID); err != nil {
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
		srv, err := f.API.GetServer(ctx, t.Server)
		if err != nil {
			return Result{}, err
		}
		if err := f.cycleToDisk(ctx, t, start, srv.BootID); err != nil {
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

// cycleToDisk sets the disk netboot, hard-reboots and verifies. If no reboot
// could be requested, it sets back the netboot the server had (previous): a disk
// netboot left without a reboot would read as ON while the server still runs
// rescue.
func (f *Fencer) cycleToDisk(ctx context.Context, t Target, start time.Time, previous int64) error {
	disk := diskBoot(t)
	requested, err := f.rebootInto(ctx, t, disk, start)
	if err != nil {
		if !requested && previous != 0 && previous != disk {
			f.restoreBoot(ctx, t, previous)
		}
		return err
	}
	return f.verify(ctx, t, disk, false, start)
}

// restoreBoot puts back netboot id after a failed reboot request, with a few
// seconds of its own: the action's deadline may be what ended it.
func (f *Fencer) restoreBoot(ctx context.Context, t Target, id int64) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), restoreTimeout)
	defer cancel()
	if err := f.API.SetBoot(ctx, t.Server, id, ""); err != nil {
		f.warnf("%s stays set to its disk without a reboot (setting netboot %d back failed: %v): it may read as ON while it is not", t.Server, id, err)
		return
	}
	f.warnf("no reboot of %s could be requested: its netboot is set back to %d", t.Server, id)
}

const restoreTimeout = 10 * time.Second

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// rebootInto sets bootID, hard-reboots and waits until a hard reboot that began
// after the change is done. A hard reboot pending before the change may boot what
// was set before it (OVH may read the netboot when the reboot is asked), so it is
// followed to its end and then ours is sent; one first listed after the change (a
// concurrent agent's, or our own whose answer was lost) counts as ours.
//
// requested reports whether such a reboot was requested (and so may happen even
// if waiting for it fails).
func (f *Fencer) rebootInto(ctx context.Context, t Target, bootID int64, start time.Time) (requested bool, err error) {
	if err := f.API.SetBoot(ctx, t.Server, bootID, t.RescueMail); err != nil {
		return false, fmt.Errorf("setting netboot %d on %s: %w", bootID, t.Server, err)
	}
	f.progress(Event{Server: t.Server, Step: "boot", Elapsed: time.Since(start)})
	listed, err := f.rebootHistory(ctx, t.Server)
	if err != nil {
		// Without the list only a task our own request created counts as ours.
		f.warnf("cannot list the hard reboots of %s after the netboot change (%v): only a reboot task this agent creates will count", t.Server, err)
	}
	for {
		task, followed, err := f.API.Reboot(ctx, t.Server)
		if err != nil {
			return false, fmt.Errorf("requesting the hard reboot of %s: %w", t.Server, err)
		}
		if followed && !listed.beganAfter(task.ID) {
			f.logf("hardReboot task %d was pending on %s before the netboot change: waiting for it, then rebooting again", task.ID, t.Server)
			if _, err := f.waitTask(ctx, t.Server, task, start, false); err != nil && !errors.Is(err, errTaskFailed) {
				return false, err
			}
			if err := f.sleep(ctx, f.pollInterval()); err != nil {
				return false, timeoutError(t.Server, task, err)
			}
			continue
		}
		if followed {
			f.logf("following hardReboot task %d of %s, which began after the netboot change", task.ID, t.Server)
		}
		f.progress(Event{Server: t.Server, Step: "reboot", Task: task, Elapsed: time.Since(start)})
		if f.PowerWait > 0 {
			if err := f.sleep(ctx, f.PowerWait); err != nil {
				return true, timeoutError(t.Server, task, err)
			}
		}
		_, err = f.waitTask(ctx, t.Server, task, start, !followed)
		return true, err
	}
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
func (f *Fencer) waitTask(ctx context.Context, sn string, task ovhapi.Task, start time.Time, fresh bool) (ovhapi.Task, error) {
	learned := f.clock().Now()
	if fresh {
		if err := f.sleep(ctx, f.nextPoll(0)); err != nil {
			return task, timeoutError(sn, task, err)
		}
	}
	neverFound := true // every read so far answered 404
	giveUp := func(cause error) error {
		if neverFound {
			return fmt.Errorf("gave up waiting for OVH task %d (hardReboot of %s): OVH still answers 404 %s after the task was created (%v); "+
				"check the server's tasks in the OVH manager, and raise power_timeout if OVH is slow", task.ID, sn, f.since(learned).Round(time.Second), cause)
		}
		return timeoutError(sn, task, cause)
	}
	for {
		current, err := f.API.GetTask(ctx, sn, task.ID)
		if ovhapi.KindOf(err) != ovhapi.KindNotFound {
			neverFound = false
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
		if err := f.sleep(ctx, f.nextPoll(f.since(learned))); err != nil {
			return task, timeoutError(sn, task, err)
		}
	}
}

// verify reads the server back after the reboot: it must be set to bootID and, when
// wantPoweroff, report powerState poweroff (OVH may lag a little behind the task, so
// it polls until the deadline).
func (f *Fencer) verify(ctx context.Context, t Target, bootID int64, wantPoweroff bool, start time.Time) error {
	for {
		srv, err := f.API.GetServer(ctx, t.Server)
		if err != nil {
			return fmt.Errorf("reading %s back after the reboot: %w", t.Server, err)
		}
		f.progress(Event{Server: t.Server, Step: "verify", Elapsed: time.Since(start)})
		if srv.BootID != bootID {
			return fmt.Errorf("after the reboot %s is set to netboot %d, not %d: someone changed it meanwhile", t.Server, srv.BootID, bootID)
		}
		want := powerStateOn
		if wantPoweroff {
			want = powerStateOff
		}
		if srv.PowerState == want {
			return nil
		}
		if err := f.sleep(ctx, f.pollInterval()); err != nil {
			return fmt.Errorf("timed out waiting for %s to report powerState %s (it reports %q): %w", t.Server, want, srv.PowerState, err)
		}
	}
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
