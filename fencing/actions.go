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
// netboot, hard-reboots, waits for the reboot task to be done and reads the server
// back. "Already off" needs powerState poweroff and the off netboot still set: a
// rescue boot setting alone proves nothing (it may have been set without a reboot),
// and a powered-off server set to its disk may be about to start again (someone's
// pending reboot).
func (f *Fencer) Off(ctx context.Context, t Target) (Result, error) {
	start := time.Now()
	ctx, cancel := f.bound(ctx)
	defer cancel()
	srv, err := f.API.GetServer(ctx, t.Server)
	if err != nil {
		return Result{}, err
	}
	f.noteState(srv)
	bootID, err := f.offBoot(ctx, t)
	if err != nil {
		return Result{}, err
	}
	if srv.PowerState == powerStateOff && srv.BootID == bootID {
		return Result{Already: true, Elapsed: time.Since(start)}, nil
	}
	if err := f.rebootInto(ctx, t, bootID, start); err != nil {
		return Result{}, err
	}
	if err := f.verify(ctx, t, bootID, t.Mode == ModePoweroff, start); err != nil {
		return Result{}, err
	}
	return Result{Elapsed: time.Since(start)}, nil
}

// On boots t's server from its disk: disk netboot, hard reboot, task done, read back.
func (f *Fencer) On(ctx context.Context, t Target) (Result, error) {
	start := time.Now()
	ctx, cancel := f.bound(ctx)
	defer cancel()
	srv, err := f.API.GetServer(ctx, t.Server)
	if err != nil {
		return Result{}, err
	}
	f.noteState(srv)
	power, err := f.powerOf(ctx, t, srv)
	if err != nil {
		return Result{}, err
	}
	if power == PowerOn {
		return Result{Already: true, Elapsed: time.Since(start)}, nil
	}
	if err := f.cycleToDisk(ctx, t, start); err != nil {
		return Result{}, err
	}
	return Result{Elapsed: time.Since(start)}, nil
}

// Reboot restarts t's server. MethodCycle is one verified hard reboot to disk (the
// node's OS is reset, in half the time of off+on); MethodOnOff is Off then On.
func (f *Fencer) Reboot(ctx context.Context, t Target, method Method) (Result, error) {
	start := time.Now()
	switch method {
	case MethodOnOff:
		if _, err := f.Off(ctx, t); err != nil {
			return Result{}, err
		}
		if _, err := f.On(ctx, t); err != nil {
			return Result{}, fmt.Errorf("the server is fenced (off) but powering it on failed: %w", err)
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

// Status reads whether t's server is running its own OS (ON) or is powered off or
// set to boot a rescue or power netboot (OFF).
func (f *Fencer) Status(ctx context.Context, t Target) (Power, error) {
	srv, err := f.API.GetServer(ctx, t.Server)
	if err != nil {
		return PowerOn, err
	}
	return f.powerOf(ctx, t, srv)
}

// Plug is one server the key can fence, as `list` prints it.
type Plug struct {
	Name, Alias string
}

// List returns the servers the key can reach: the account's servers, or, when the
// key may not list them (a least-privilege key), the servers named in its rules.
func (f *Fencer) List(ctx context.Context) ([]Plug, error) {
	names, err := f.API.ListServers(ctx)
	if ovhapi.KindOf(err) == ovhapi.KindNotGranted {
		cred, credErr := f.API.CurrentCredential(ctx)
		if credErr != nil {
			return nil, credErr
		}
		names, err = serversInRules(cred.Rules), nil
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

func (f *Fencer) cycleToDisk(ctx context.Context, t Target, start time.Time) error {
	disk := diskBoot(t)
	if err := f.rebootInto(ctx, t, disk, start); err != nil {
		return err
	}
	return f.verify(ctx, t, disk, false, start)
}

// rebootInto sets bootID and hard-reboots, then waits for that reboot task to be
// done. If a hardReboot was already pending, it follows that one to its end and then
// reboots once more: the pending reboot may have started before the boot change and
// so proves nothing about the netboot the server comes up in.
func (f *Fencer) rebootInto(ctx context.Context, t Target, bootID int64, start time.Time) error {
	if err := f.API.SetBoot(ctx, t.Server, bootID, t.RescueMail); err != nil {
		return fmt.Errorf("setting netboot %d on %s: %w", bootID, t.Server, err)
	}
	f.progress(Event{Server: t.Server, Step: "boot", Elapsed: time.Since(start)})
	task, followed, err := f.API.Reboot(ctx, t.Server)
	if err != nil {
		return fmt.Errorf("requesting the hard reboot of %s: %w", t.Server, err)
	}
	if followed {
		f.logf("a hardReboot task %d was already pending on %s: waiting for it, then rebooting again", task.ID, t.Server)
		if _, err := f.waitTask(ctx, t.Server, task, start); err != nil && !errors.Is(err, errTaskFailed) {
			return err
		}
		if task, followed, err = f.API.Reboot(ctx, t.Server); err != nil {
			return fmt.Errorf("requesting the hard reboot of %s: %w", t.Server, err)
		}
		if followed {
			return fmt.Errorf("another hard reboot of %s (task %d) started while fencing; not trusting it", t.Server, task.ID)
		}
	}
	f.progress(Event{Server: t.Server, Step: "reboot", Task: task, Elapsed: time.Since(start)})
	if f.PowerWait > 0 {
		if err := sleep(ctx, f.PowerWait); err != nil {
			return timeoutError(t.Server, task, err)
		}
	}
	_, err = f.waitTask(ctx, t.Server, task, start)
	return err
}

var errTaskFailed = errors.New("reboot task failed")

// waitTask polls the task until it is done; any other end state is errTaskFailed.
func (f *Fencer) waitTask(ctx context.Context, sn string, task ovhapi.Task, start time.Time) (ovhapi.Task, error) {
	for {
		current, err := f.API.GetTask(ctx, sn, task.ID)
		if err != nil {
			if ctx.Err() != nil {
				return task, timeoutError(sn, task, ctx.Err())
			}
			return task, fmt.Errorf("reading reboot task %d of %s: %w", task.ID, sn, err)
		}
		task = current
		f.progress(Event{Server: sn, Step: "task", Task: task, Elapsed: time.Since(start)})
		switch {
		case task.Status == ovhapi.TaskDone:
			return task, nil
		case !task.Pending():
			return task, fmt.Errorf("%w: OVH task %d (hardReboot of %s) ended in %q; check the server in the OVH manager", errTaskFailed, task.ID, sn, task.Status)
		}
		if err := sleep(ctx, f.pollInterval()); err != nil {
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
		if err := sleep(ctx, f.pollInterval()); err != nil {
			return fmt.Errorf("timed out waiting for %s to report powerState %s (it reports %q): %w", t.Server, want, srv.PowerState, err)
		}
	}
}

// powerOf decides ON/OFF from a server read: powered off, or set to a rescue or power
// netboot, is OFF.
func (f *Fencer) powerOf(ctx context.Context, t Target, srv ovhapi.Server) (Power, error) {
	switch {
	case srv.PowerState == powerStateOff:
		return PowerOff, nil
	case srv.BootID == diskBoot(t):
		return PowerOn, nil
	case srv.BootID != 0 && (srv.BootID == t.Boots.Rescue || srv.BootID == t.Boots.Power):
		return PowerOff, nil
	}
	boot, err := f.API.GetBoot(ctx, t.Server, srv.BootID)
	if ovhapi.KindOf(err) == ovhapi.KindNotGranted {
		// A least-privilege key may not read netboots (DESIGN.md D3) and the
		// configuration did not name this one: not the disk, so not running the OS.
		f.logf("%s is set to netboot %d, not its disk %d: OFF", t.Server, srv.BootID, diskBoot(t))
		return PowerOff, nil
	}
	if err != nil {
		return PowerOn, fmt.Errorf("reading netboot %d of %s: %w", srv.BootID, t.Server, err)
	}
	if boot.Type == ovhapi.BootTypeRescue || boot.Type == ovhapi.BootTypePower {
		return PowerOff, nil
	}
	return PowerOn, nil
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

func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

func timeoutError(sn string, task ovhapi.Task, cause error) error {
	return fmt.Errorf("gave up waiting for OVH task %d (hardReboot of %s, last status %q): %w; raise power_timeout if OVH is slow", task.ID, sn, task.Status, cause)
}
