package fencing

import (
	"context"
	"fmt"
	"slices"

	"github.com/ovhfence/ovhfence/ovhapi"
)

// rebootHistory is what the server's task list says about its hard reboots.
type rebootHistory struct {
	known  bool        // the list was read
	newest ovhapi.Task // the newest listed hardReboot task; zero when none is listed
}

// rebootHistory lists the server's hardReboot tasks and reads the newest (OVH
// runs one hardReboot at a time, so only the newest can be pending).
func (f *Fencer) rebootHistory(ctx context.Context, sn string) (rebootHistory, error) {
	ids, err := f.API.ListTasks(ctx, sn, ovhapi.FunctionHardReboot, "")
	if err != nil {
		return rebootHistory{}, fmt.Errorf("listing the hard reboot tasks of %s: %w", sn, err)
	}
	h := rebootHistory{known: true}
	if len(ids) == 0 {
		return h, nil
	}
	newest := slices.Max(ids)
	h.newest, err = f.API.GetTask(ctx, sn, newest)
	if ovhapi.KindOf(err) == ovhapi.KindNotFound {
		// Listed but not yet readable: a young task (reference/ovh-api.md §3.5).
		// Taken for pending, so that nothing is claimed while it may run.
		f.logf("hardReboot task %d of %s is listed but answers 404: taking it for a pending one", newest, sn)
		return rebootHistory{known: true, newest: ovhapi.Task{ID: newest, Function: ovhapi.FunctionHardReboot, Status: ovhapi.TaskInit}}, nil
	}
	if err != nil {
		return rebootHistory{}, fmt.Errorf("reading hard reboot task %d of %s: %w", newest, sn, err)
	}
	if h.newest.Function != ovhapi.FunctionHardReboot {
		return rebootHistory{}, fmt.Errorf("OVH listed task %d of %s as a hardReboot but reads it as a %q task", newest, sn, h.newest.Function)
	}
	return h, nil
}

// pending reports whether a hard reboot may still start or finish.
func (h rebootHistory) pending() bool { return h.newest.Pending() }

// newestListed is the newest listed hardReboot task ID (0: none). A claim's last
// look at the server is this one call: reading a task too could be retried for a
// while, and a reboot asked meanwhile would go unseen.
func (f *Fencer) newestListed(ctx context.Context, sn string) (int64, error) {
	ids, err := f.API.ListTasks(ctx, sn, ovhapi.FunctionHardReboot, "")
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	return slices.Max(ids), nil
}

// proof is what a claim rests on: whether it holds, the server as read, and
// why it does not hold, for the log.
type proof struct {
	proven  bool
	server  ovhapi.Server
	why     string
	history rebootHistory // the hard reboots listed before the server read
}

// provenOff proves "the server is off and stays off": no hard reboot pending,
// powerState poweroff on a netboot bootOK accepts, and no hard reboot created or
// changed state around the server read (one that began and ended in between would
// not show in powerState). Only a failure to read the server is an error:
// anything unproven is simply not claimed.
func (f *Fencer) provenOff(ctx context.Context, sn string, bootOK func(int64) bool) (proof, error) {
	before, listErr := f.rebootHistory(ctx, sn)
	srv, err := f.API.GetServer(ctx, sn)
	if err != nil {
		return proof{}, err
	}
	p := proof{server: srv, history: before}
	switch {
	case listErr != nil:
		p.why = fmt.Sprintf("cannot tell whether a hard reboot is pending: %v", listErr)
	case before.pending():
		p.why = fmt.Sprintf("hardReboot task %d is %s", before.newest.ID, before.newest.Status)
	case srv.PowerState != powerStateOff:
		p.why = fmt.Sprintf("powerState %q", srv.PowerState)
	case !bootOK(srv.BootID):
		p.why = fmt.Sprintf("powered off but set to netboot %d, which a reboot would start", srv.BootID)
	default:
		// before.newest had ended, so only a new task can have changed anything.
		newest, err := f.newestListed(ctx, sn)
		if p.proven = err == nil && newest == before.newest.ID; !p.proven {
			p.why = "a hard reboot started while the server was read"
		}
	}
	return p, nil
}
