// Package setup performs the wizard's effects against the real packages:
// ovhapi for the OVH API, keys for consumer keys, fencing for status and the
// live test, render and atomicfile for the outputs. Every front end of the
// wizard uses it, so all of them run the same code as the agent.
package setup

import (
	"context"
	"fmt"
	"os/exec"
	"sync"
	"time"

	"github.com/ovhfence/ovhfence/fencing"
	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/wizard"
)

// Options say where the runner looks and writes.
type Options struct {
	// Sandbox, when set, is the embedded simulator every call goes to.
	Sandbox *Sandbox
	// ClusterConf and CorosyncConf are the files the nodes are read from;
	// "" means the standard paths (none in the sandbox).
	ClusterConf, CorosyncConf string
	// CredentialsPath is where ovh.conf goes; "" = the target's default
	// (DESIGN.md D4), or OutDir in the sandbox.
	CredentialsPath string
	// OutDir receives the cluster file, the scripts and the transcript; "" = ".".
	OutDir string
	// KeyPoll and KeyTimeout pace the wait for a consumer key's validation.
	KeyPoll, KeyTimeout time.Duration
	// FencePoll and FenceTimeout pace the live fence test.
	FencePoll, FenceTimeout time.Duration
	// LookPath finds pcs and crm; nil = exec.LookPath.
	LookPath func(file string) (string, error)
	// Clock times the live fence test and paces its polls; nil = the real clock.
	Clock fencing.Clock
	// Resolve gives a node name's IPv4 addresses as this machine's resolver
	// does; nil = getent ahostsv4 (the sandbox's own table in the sandbox:
	// there is no DNS for its nodes).
	Resolve func(ctx context.Context, node string) []string
}

// Runner performs wizard effects. It keeps a redacted transcript of what it
// did, written next to the outputs.
type Runner struct {
	opts Options

	mu         sync.Mutex
	transcript []string

	// One OVH client per key for the whole run (each syncs its clock once),
	// all paced by one budget.
	clientsMu sync.Mutex
	clients   map[ovhapi.Config]*ovhapi.Client
	budget    *ovhapi.Budget
}

// wizardBudget keeps the wizard's calls per key under OVH's 60 a minute
// (reference/ovh-api.md §3.7), with room for anything else using the key.
const wizardBudget = 50

// New returns a runner with opts' zero fields set to their defaults.
func New(opts Options) *Runner {
	if opts.OutDir == "" {
		opts.OutDir = "."
	}
	if opts.KeyPoll <= 0 {
		opts.KeyPoll = 3 * time.Second
	}
	if opts.KeyTimeout <= 0 {
		opts.KeyTimeout = 15 * time.Minute
	}
	if opts.FencePoll <= 0 {
		opts.FencePoll = 2 * time.Second
	}
	if opts.FenceTimeout <= 0 {
		opts.FenceTimeout = 10 * time.Minute
	}
	if opts.LookPath == nil {
		opts.LookPath = exec.LookPath
	}
	if opts.Resolve == nil {
		opts.Resolve = getentIPv4
		if opts.Sandbox != nil {
			opts.Resolve = opts.Sandbox.resolve
		}
	}
	return &Runner{opts: opts, clients: map[ovhapi.Config]*ovhapi.Client{}, budget: ovhapi.NewBudget(wizardBudget)}
}

// Run performs one effect.
func (r *Runner) Run(ctx context.Context, work wizard.Work, progress func(wizard.Result)) wizard.Result {
	switch w := work.(type) {
	case wizard.EffectPreflight:
		pf, err := r.preflight()
		return wizard.PreflightFound{Preflight: pf, Err: err}
	case wizard.EffectSyncTime:
		return r.syncTime(ctx, w)
	case wizard.EffectProveAppKey:
		return wizard.AppKeyProven{Err: r.proveAppKey(ctx, w.Config)}
	case wizard.EffectRequestKey:
		return r.requestKey(ctx, w)
	case wizard.EffectWaitKey:
		return wizard.KeyValidated{Err: r.waitKey(ctx, w)}
	case wizard.EffectDiscoverServers:
		servers, addrs, err := r.discoverServers(ctx, w, progress)
		return wizard.ServersFound{Servers: servers, NodeAddrs: addrs, Err: err}
	case wizard.EffectDiscoverBoots:
		return r.discoverBoots(ctx, w)
	case wizard.EffectCheckKey:
		return r.checkKey(ctx, w)
	case wizard.EffectCreateAccount:
		return r.createAccount(ctx, w)
	case wizard.EffectCheckAccount:
		return r.checkAccount(ctx, w)
	case wizard.EffectSetNoIntervention:
		return r.setNoIntervention(ctx, w)
	case wizard.EffectStatusAll:
		return r.statusAll(ctx, w)
	case wizard.EffectFenceCycle:
		return r.fenceCycle(ctx, w, progress)
	case wizard.EffectPreview:
		return r.preview(w)
	case wizard.EffectWrite:
		return r.write(w)
	}
	panic(fmt.Sprintf("setup: no handler for %T", work))
}

// logf adds a line to the transcript. Callers never pass secrets; the OVH
// client's own lines are scrubbed by ovhapi.
func (r *Runner) logf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.transcript = append(r.transcript, time.Now().Format("15:04:05 ")+fmt.Sprintf(format, args...))
}

// client returns the run's OVH client for cfg's key, whose log lines go to the
// transcript: one per application, and from it one per consumer key.
func (r *Runner) client(cfg ovhapi.Config) (*ovhapi.Client, error) {
	r.clientsMu.Lock()
	defer r.clientsMu.Unlock()
	if c, ok := r.clients[cfg]; ok {
		return c, nil
	}
	app := cfg
	app.ConsumerKey = ""
	base, ok := r.clients[app]
	if !ok {
		var err error
		if base, err = ovhapi.New(app, ovhapi.Options{Logf: r.logf, Budget: r.budget}); err != nil {
			return nil, err
		}
		r.clients[app] = base
	}
	c := base
	if cfg.ConsumerKey != "" {
		c = base.WithConsumerKey(cfg.ConsumerKey)
		r.clients[cfg] = c
	}
	return c, nil
}
