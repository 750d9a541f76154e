package setup

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ovhfence/ovhfence/fencing"
	"github.com/ovhfence/ovhfence/keys"
	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/wizard"
)

// Placeholders for calls that need a client before the person has keys:
// GET /auth/time is unauthenticated, and a made-up consumer key lets OVH say
// whether it knows the application key without any key being requested.
const (
	placeholderKey = "ovhfencepreflight"
	placeholderCK  = "ovhfencenoconsumerkeyyet"
)

func (r *Runner) syncTime(ctx context.Context, w wizard.EffectSyncTime) wizard.Result {
	client, err := r.client(ovhapi.Config{Endpoint: w.Endpoint, ApplicationKey: placeholderKey, ApplicationSecret: placeholderKey})
	if err != nil {
		return wizard.TimeSynced{Err: err}
	}
	skew, err := client.SyncTime(ctx)
	return wizard.TimeSynced{Skew: skew, Err: err}
}

// proveAppKey signs a call with a consumer key that cannot exist: OVH checks
// the application key, then the signature (made with the secret), and only
// then finds the consumer key unknown — so that answer proves both.
func (r *Runner) proveAppKey(ctx context.Context, cfg ovhapi.Config) error {
	cfg.ConsumerKey = placeholderCK
	client, err := r.client(cfg)
	if err != nil {
		return err
	}
	_, err = client.CurrentCredential(ctx)
	switch ovhapi.KindOf(err) {
	case ovhapi.KindCredentialUnknown, ovhapi.KindCredentialInvalid:
		return nil
	case ovhapi.KindBadKey:
		return errors.New("OVH does not know this application key: copy it again from the page that created it")
	case ovhapi.KindBadRequest:
		return fmt.Errorf("the application secret does not match the key (%w)", err)
	}
	if err == nil {
		return errors.New("OVH accepted a consumer key that cannot exist: is this endpoint really OVH?")
	}
	return err
}

func (r *Runner) requestKey(ctx context.Context, w wizard.EffectRequestKey) wizard.Result {
	client, err := r.client(w.Config)
	if err != nil {
		return wizard.KeyRequested{Err: err}
	}
	req, err := keys.Request(ctx, client, w.Rules, "")
	if err == nil {
		r.logf("requested a %s key with %d rules; validation URL %s", w.Purpose, len(w.Rules), req.ValidationURL)
	}
	return wizard.KeyRequested{Request: req, Err: err}
}

func (r *Runner) waitKey(ctx context.Context, w wizard.EffectWaitKey) error {
	client, err := r.client(w.Config)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, r.opts.KeyTimeout)
	defer cancel()
	_, err = keys.WaitValidated(ctx, client, w.Config.ConsumerKey, r.opts.KeyPoll)
	if err == nil {
		r.logf("the %s key was validated", w.Purpose)
	}
	return err
}

func (r *Runner) discoverBoots(ctx context.Context, w wizard.EffectDiscoverBoots) wizard.Result {
	client, err := r.client(w.Config)
	if err != nil {
		return wizard.BootsFound{Err: err}
	}
	boots := map[string]fencing.BootIDs{}
	for _, sn := range w.Servers {
		ids, err := fencing.DiscoverBoots(ctx, client, sn)
		if err != nil {
			return wizard.BootsFound{Err: err}
		}
		r.logf("%s: rescue boot %d %q, power boot %d %q, disk boot %d", sn, ids.Rescue, ids.RescueDescription, ids.Power, ids.PowerDescription, ids.Disk)
		boots[sn] = ids
	}
	return wizard.BootsFound{Boots: boots}
}

func (r *Runner) checkKey(ctx context.Context, w wizard.EffectCheckKey) wizard.Result {
	client, err := r.client(w.Config)
	if err != nil {
		return wizard.KeyChecked{Err: err}
	}
	report := keys.Check(ctx, client, w.Servers, wizard.SkewWarning)
	return r.checked("fencing key check", report.Problems(), report.Interventions)
}

// checked logs a check's outcome and answers it.
func (r *Runner) checked(what string, problems, interventions []string) wizard.Result {
	r.logf("%s: %s", what, keys.ProblemCount(len(problems)))
	for _, p := range problems {
		r.logf("  %s", p)
	}
	r.logf("servers with OVH monitoring and interventions: %v", interventions)
	return wizard.KeyChecked{Problems: problems, Interventions: interventions}
}

func (r *Runner) setNoIntervention(ctx context.Context, w wizard.EffectSetNoIntervention) wizard.Result {
	client, err := r.client(w.Config)
	if err != nil {
		return wizard.NoInterventionSet{Err: err}
	}
	for _, sn := range w.Servers {
		if err := client.SetNoIntervention(ctx, sn); err != nil {
			return wizard.NoInterventionSet{Err: fmt.Errorf("%s: %w", sn, err)}
		}
		r.logf("%s: noIntervention set", sn)
	}
	return wizard.NoInterventionSet{}
}

func (r *Runner) fencer(cfg ovhapi.Config, progress func(fencing.Event)) (*fencing.Fencer, error) {
	client, err := r.client(cfg)
	if err != nil {
		return nil, err
	}
	f := &fencing.Fencer{
		API: client, PollInterval: r.opts.FencePoll, Timeout: r.opts.FenceTimeout,
		Logf: r.logf, Progress: progress, Clock: r.opts.Clock,
	}
	if r.opts.Sandbox != nil {
		f.RebootTime = r.opts.Sandbox.RebootTime
	}
	return f, nil
}

func (r *Runner) statusAll(ctx context.Context, w wizard.EffectStatusAll) wizard.Result {
	f, err := r.fencer(w.Config, nil)
	if err != nil {
		return wizard.StatusRead{Err: err}
	}
	power := map[string]fencing.Power{}
	for _, t := range w.Targets {
		p, err := f.Status(ctx, t)
		if err != nil {
			return wizard.StatusRead{Err: fmt.Errorf("status of %s: %w", t.Server, err)}
		}
		r.logf("status %s: %s", t.Server, p)
		power[t.Server] = p
	}
	return wizard.StatusRead{Power: power}
}

// fenceCycle runs the agent's off then on, each verified, reporting every step.
// Before anything is fenced, the keys a recovery needs are saved and the
// command using them is reported (recovery.go); a failed or cancelled cycle
// brings the node back on its disk.
func (r *Runner) fenceCycle(ctx context.Context, w wizard.EffectFenceCycle, progress func(wizard.Result)) wizard.Result {
	reporter := &cycleReporter{logf: r.logf, progress: progress, drill: newFireDrill(r.opts.Clock)}
	f, err := r.fencer(w.Config, reporter.report)
	if err != nil {
		return wizard.FenceCycled{Err: err}
	}
	started, err := r.prepareRecovery(w)
	if err != nil {
		return wizard.FenceCycled{Err: fmt.Errorf("nothing was fenced: %w", err)}
	}
	if progress != nil {
		progress(started)
	}
	reporter.phase = "off"
	if _, err := f.Off(ctx, w.Target); err != nil {
		return r.bringBack(f, w, reporter, wizard.FenceCycled{Err: fmt.Errorf("off: %w", err)})
	}
	off := reporter.drill.verified()
	reporter.phase = "on"
	if _, err := f.On(ctx, w.Target); err != nil {
		return r.bringBack(f, w, reporter, wizard.FenceCycled{Off: off, Err: fmt.Errorf("on: %w", err)})
	}
	on := reporter.drill.verified()
	r.logf("fence test of %s: from the reboot request to the verified read-back, off in %s, on in %s", w.Node, off, on)
	r.dropRecovery(started.Pending)
	return wizard.FenceCycled{Off: off, On: on}
}

// cycleReporter turns the fencer's events into progress lines, one per change:
// OVH's reboot task is polled every few seconds for minutes, and a line per
// poll would push the rest of the step off the screen.
type cycleReporter struct {
	phase    string // "off" or "on"
	last     string
	logf     func(string, ...any)
	progress func(wizard.Result)
	drill    *fireDrill
}

func (c *cycleReporter) report(ev fencing.Event) {
	c.drill.observe(ev)
	what := describeEvent(ev)
	if c.phase+what == c.last {
		return
	}
	c.last = c.phase + what
	line := fmt.Sprintf("%-3s %s (%s)", c.phase, what, ev.Elapsed.Round(100*time.Millisecond))
	c.logf("fence test %s: %s", ev.Server, line)
	if c.progress != nil {
		c.progress(wizard.FenceProgress{Line: line})
	}
}

// describeEvent says what one fencing step did, in the person's words.
func describeEvent(ev fencing.Event) string {
	switch ev.Step {
	case "boot":
		return "next boot set"
	case "reboot", "task": // the reboot's answer is the task's first state
		return fmt.Sprintf("hard reboot, OVH task %d %s", ev.Task.ID, ev.Task.Status)
	case "verify":
		return "reading the server back to verify"
	}
	return ev.Step
}
