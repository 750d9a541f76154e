// Package agent is fence_ovh: the fence-agents protocol (options on stdin or argv,
// actions, metadata, exit codes) on top of package fencing.
package agent

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/ovhfence/ovhfence/fencing"
	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/version"
)

// Version is the release number (package version); -V prints version.String().
const Version = version.Number

// Exit codes of fence agents (reference/fence-agent-api.md §1.1).
const (
	exitOK        = 0
	exitFailed    = 1
	exitStatusOff = 2
)

// Run is fence_ovh's main: with no args it reads key=value lines from stdin, as
// Pacemaker and cman call it; otherwise it parses getopt-style flags.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var opts *Options
	if len(args) == 0 {
		opts, _ = ParseStdin(stdin) // its warnings are also in opts.Warnings()
	} else {
		var err error
		if opts, err = ParseArgs(args); err != nil {
			fmt.Fprintf(stderr, "%s\nPlease use '-h' for usage\n", err)
			return exitFailed
		}
	}
	action := opts.Action()
	switch {
	case opts.Flag("help"):
		io.WriteString(stdout, Usage(Version))
		return exitOK
	case opts.Flag("version"):
		fmt.Fprintln(stdout, version.String())
		return exitOK
	case action == "metadata":
		stdout.Write(Metadata())
		return exitOK
	case action == "manpage":
		stdout.Write(Manpage(Version))
		return exitOK
	}

	log := newLogger(stderr, opts.Flag("quiet"), opts.Verbosity() > 0)
	defer log.close()
	for _, secret := range opts.SecretValues() {
		log.hide(secret)
	}
	if path, ok := opts.Get("debug_file"); ok {
		if err := log.openDebugFile(path); err != nil {
			log.warnf("cannot open debug file: %v", err)
		}
	}
	for _, w := range opts.Warnings() {
		log.warnf("%s", w)
	}
	if err := opts.Validate(action); err != nil {
		log.write("ERROR", err.Error())
		return exitFailed
	}
	r := &run{opts: opts, action: action, log: log, stdout: stdout}
	return r.execute()
}

type run struct {
	opts   *Options
	action string
	log    *logger
	stdout io.Writer
}

func (r *run) execute() int {
	// fence-agents sleeps `delay` before contacting the device, for off and reboot
	// only, so that two nodes of a two-node cluster do not shoot each other at once.
	// It comes before the credential checks too: fence-agents' own delay test runs
	// an agent with made-up parameters and expects the full delay.
	if r.action == "off" || r.action == "reboot" {
		delay, err := r.opts.Seconds("delay")
		if err != nil {
			return r.fail(err)
		}
		if delay > 0 {
			r.log.debugf("delaying %s by %s", r.action, delay)
			time.Sleep(delay)
		}
	}
	cfg, err := r.credentials()
	if err != nil {
		return r.fail(err)
	}
	if command, _ := findCommand(r.action); command.needsPlug {
		// Every action on a plug, validate-all included, refuses boot IDs that
		// would make off start the cluster's OS.
		if _, err := r.targets(); err != nil {
			return r.fail(err)
		}
	}
	if r.action == "validate-all" {
		return exitOK
	}
	client, err := r.client(cfg)
	if err != nil {
		return r.fail(err)
	}
	fencer, err := r.fencer(client)
	if err != nil {
		return r.fail(err)
	}
	return r.act(context.Background(), client, fencer)
}

// credentials gathers the OVH keys: explicit parameters win over the ovh_config
// file, which wins over OVH_* environment variables. Nothing here touches the network.
func (r *run) credentials() (ovhapi.Config, error) {
	cfg := ovhapi.ConfigFromEnv()
	endpoint, explicitEndpoint := r.opts.Get("endpoint")
	if path, ok := r.opts.Get("ovh_config"); ok {
		fileCfg, err := ovhapi.LoadConfigFile(path, endpointArg(endpoint, explicitEndpoint))
		if err != nil {
			return cfg, err
		}
		if err := ovhapi.CheckConfigPermissions(path); err != nil {
			r.log.warnf("%v", err) // fencing goes on: a node left unfenced is worse
		}
		cfg = ovhapi.Layer(cfg, fileCfg)
	}
	explicit := ovhapi.Config{
		ApplicationKey:    r.first("application_key", "username"),
		ApplicationSecret: r.first("application_secret", "password"),
		ConsumerKey:       r.first("consumer_key"),
		ClientID:          r.first("client_id"),
		ClientSecret:      r.first("client_secret"),
	}
	if explicitEndpoint {
		explicit.Endpoint = endpoint
	}
	if script, ok := r.opts.Get("password_script"); ok && explicit.ApplicationSecret == "" {
		limit, err := r.opts.Seconds("shell_timeout")
		if err != nil {
			return cfg, err
		}
		secret, err := runPasswordScript(script, limit)
		if err != nil {
			return cfg, err
		}
		explicit.ApplicationSecret = secret
	}
	cfg = ovhapi.Layer(cfg, explicit)
	if cfg.Endpoint == "" {
		cfg.Endpoint = endpoint // the option's default, ovh-eu
	}
	r.log.hide(cfg.ApplicationSecret)
	r.log.hide(cfg.ConsumerKey)
	r.log.hide(cfg.ClientSecret)
	if _, err := ovhapi.ResolveEndpoint(cfg.Endpoint); err != nil {
		return cfg, err
	}
	if err := cfg.CheckAuthMethod(); err != nil {
		return cfg, err
	}
	if cfg.ServiceAccount() {
		r.log.debugf("OVH credentials: %s", cfg.Redacted())
		return cfg, nil
	}
	var missing []string
	if cfg.ApplicationKey == "" {
		missing = append(missing, "application key (application_key or login)")
	}
	if cfg.ApplicationSecret == "" {
		missing = append(missing, "application secret (application_secret, passwd or passwd_script)")
	}
	if cfg.ConsumerKey == "" {
		missing = append(missing, "consumer key (consumer_key)")
	}
	if len(missing) > 0 {
		return cfg, fmt.Errorf("no OVH %s: set ovh_config to an ovh.conf file that holds the keys (see `ovhfence keys request`) or a service account's client_id and client_secret", strings.Join(missing, ", no "))
	}
	r.log.debugf("OVH credentials: %s", cfg.Redacted())
	return cfg, nil
}

func endpointArg(endpoint string, explicit bool) string {
	if explicit {
		return endpoint
	}
	return "" // the file's own default endpoint
}

// first returns the first of the named options that is set.
func (r *run) first(names ...string) string {
	for _, name := range names {
		if v, ok := r.opts.Get(name); ok && v != "" {
			return v
		}
	}
	return ""
}

// runPasswordScript runs passwd_script through the shell, as fence-agents does; its
// trimmed output is the application secret. It is bounded by shell_timeout even
// under Pacemaker: a hung script must not hold the fence until Pacemaker's own
// timeout.
func runPasswordScript(script string, limit time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	var stderr strings.Builder
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", script)
	cmd.Stderr = &stderr
	// On timeout, kill the script's whole process group, not only the shell, and
	// stop waiting for pipes a leftover child might hold open.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = time.Second
	out, err := cmd.Output()
	if ctx.Err() != nil {
		return "", fmt.Errorf("password_script did not finish within shell_timeout (%s); run it by hand as root", limit)
	}
	if err != nil {
		// Its stderr explains the failure; its stdout could be a secret and is never shown.
		why, _, _ := strings.Cut(strings.TrimSpace(stderr.String()), "\n")
		if why != "" {
			why = ": " + why
		}
		return "", fmt.Errorf("password_script failed (%v%s); run it by hand as root", err, why)
	}
	return strings.TrimSpace(string(out)), nil
}

func (r *run) client(cfg ovhapi.Config) (*ovhapi.Client, error) {
	requestTimeout, err := r.opts.Seconds("shell_timeout")
	if err != nil {
		return nil, err
	}
	syncTimeout, err := r.opts.Seconds("login_timeout")
	if err != nil {
		return nil, err
	}
	return ovhapi.New(cfg, ovhapi.Options{
		RequestTimeout:  requestTimeout,
		TimeSyncTimeout: syncTimeout,
		// Transient errors are retried until power_timeout (or, under Pacemaker,
		// until Pacemaker ends the agent): only the deadline, a final task state or a
		// 4xx that retrying cannot change ends a fence.
		MaxAttempts: -1,
		Logf:        r.log.debugf,
		Warnf:       r.log.warnf,
		UserAgent:   "fence_ovh/" + Version,
	})
}

func (r *run) fencer(client *ovhapi.Client) (*fencing.Fencer, error) {
	f := &fencing.Fencer{API: client, Logf: r.log.debugf, Warnf: r.log.warnf}
	var err error
	if f.PollInterval, err = r.opts.Seconds("stonith_status_sleep"); err != nil {
		return nil, err
	}
	if f.RebootTime, err = r.opts.Seconds("reboot_time"); err != nil {
		return nil, err
	}
	retryOn, err := r.opts.Int("retry_on")
	if err != nil {
		return nil, err
	}
	f.RetryOn = int(min(max(retryOn, 0), 1000))
	if f.PowerWait, err = r.opts.Seconds("power_wait"); err != nil {
		return nil, err
	}
	if r.timeoutsDisabled() {
		r.log.debugf("run by Pacemaker: no internal timeout, the fencer enforces its own")
	} else if f.Timeout, err = r.opts.Seconds("power_timeout"); err != nil {
		return nil, err
	}
	f.Progress = func(ev fencing.Event) {
		r.log.debugf("%s: %s %s (task %d %s) after %s", ev.Server, ev.Step, r.action, ev.Task.ID, ev.Task.Status, ev.Elapsed.Round(time.Millisecond))
	}
	return f, nil
}

// timeoutsDisabled follows fence-agents: under pacemaker-fenced, unless
// disable_timeout says otherwise, Pacemaker's own timeout is the only bound.
func (r *run) timeoutsDisabled() bool {
	if v, ok := r.opts.Get("disable_timeout"); ok {
		return isTrue(v)
	}
	return os.Getenv("PCMK_service") == "pacemaker-fenced"
}

func isTrue(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "yes", "on", "true":
		return true
	}
	return false
}

// targets returns one target per plug: plug_separator splits the plug parameter,
// as fence-agents does.
func (r *run) targets() ([]fencing.Target, error) {
	plug, _ := r.opts.Get("plug")
	sep, _ := r.opts.Get("plug_separator")
	names := []string{plug}
	if sep != "" {
		names = strings.Split(plug, sep)
	}
	mode, _ := r.opts.Get("fence_mode")
	t := fencing.Target{Mode: fencing.Mode(mode)}
	t.RescueMail, _ = r.opts.Get("email")
	for _, id := range []struct {
		dst  *int64
		name string
	}{{&t.Boots.Rescue, "rescue_boot_id"}, {&t.Boots.Power, "power_boot_id"}, {&t.Boots.Disk, "disk_boot_id"}} {
		if _, ok := r.opts.Get(id.name); !ok {
			continue
		}
		v, err := r.opts.Int(id.name)
		if err != nil {
			return nil, err
		}
		*id.dst = v
	}
	targets := make([]fencing.Target, 0, len(names))
	for _, name := range names {
		if name = strings.TrimSpace(name); name == "" {
			return nil, fmt.Errorf("plug %q holds an empty server name (plug_separator is %q)", plug, sep)
		}
		t.Server = name
		if err := fencing.ValidateBoots(t); err != nil {
			return nil, err
		}
		targets = append(targets, t)
	}
	return targets, nil
}

func (r *run) act(ctx context.Context, client *ovhapi.Client, f *fencing.Fencer) int {
	syncCtx, cancel := context.WithCancel(ctx)
	if f.Timeout > 0 {
		syncCtx, cancel = context.WithTimeout(ctx, f.Timeout)
	}
	err := client.Login(syncCtx)
	cancel()
	if err != nil {
		return r.fail(err)
	}
	switch r.action {
	case "monitor":
		if client.ServiceAccount() {
			return r.monitorServiceAccount(ctx, client, f.Timeout)
		}
		if err := f.Monitor(ctx); err != nil {
			return r.fail(err)
		}
		return exitOK
	case "list", "list-status":
		return r.list(ctx, client, f)
	}
	targets, err := r.targets()
	if err != nil {
		return r.fail(err)
	}
	switch r.action {
	case "status":
		return r.status(ctx, f, targets)
	case "off", "on", "reboot":
		return r.fence(ctx, f, targets)
	}
	return r.fail(fmt.Errorf("unrecognised action '%s'", r.action))
}

// status is ON if any plug is ON (the safe answer), OFF only if every plug is
// proven OFF.
func (r *run) status(ctx context.Context, f *fencing.Fencer, targets []fencing.Target) int {
	power := fencing.PowerOff
	for _, t := range targets {
		p, err := f.Status(ctx, t)
		if err != nil {
			return r.fail(err)
		}
		if p == fencing.PowerOn {
			power = fencing.PowerOn
		}
	}
	fmt.Fprintf(r.stdout, "Status: %s\n", power)
	if power == fencing.PowerOff {
		return exitStatusOff
	}
	return exitOK
}

// fence runs off, on or reboot on each plug in turn; it succeeds only if every
// plug does, and stops at the first that fails (one Failed: line).
func (r *run) fence(ctx context.Context, f *fencing.Fencer, targets []fencing.Target) int {
	already := true
	for _, t := range targets {
		res, err := r.fenceOne(ctx, f, t)
		if err != nil {
			if len(targets) > 1 {
				err = fmt.Errorf("%s: %w", t.Server, err)
			}
			return r.fail(err)
		}
		if res.PowerOnErr != nil {
			// As fence-agents: the off was verified, so the node is fenced.
			r.log.warnf("%s: powered off, but powering it on failed: %v", t.Server, ovhapi.WithHint(res.PowerOnErr))
		}
		already = already && res.Already
		r.log.debugf("%s: %s verified after %s", t.Server, r.action, res.Elapsed.Round(time.Millisecond))
	}
	done := map[string][2]string{
		"off":    {"Powered OFF", "Already OFF"},
		"on":     {"Powered ON", "Powered ON"}, // on never claims Already ON (package fencing)
		"reboot": {"Rebooted", "Rebooted"},
	}[r.action]
	if already {
		fmt.Fprintf(r.stdout, "Success: %s\n", done[1])
	} else {
		fmt.Fprintf(r.stdout, "Success: %s\n", done[0])
	}
	return exitOK
}

func (r *run) fenceOne(ctx context.Context, f *fencing.Fencer, t fencing.Target) (fencing.Result, error) {
	switch r.action {
	case "off":
		return f.Off(ctx, t)
	case "on":
		return f.On(ctx, t)
	}
	method, _ := r.opts.Get("method")
	return f.Reboot(ctx, t, fencing.Method(method))
}

func (r *run) list(ctx context.Context, client *ovhapi.Client, f *fencing.Fencer) int {
	list := f.List
	if client.ServiceAccount() {
		list = r.accountPlugs(client, f.Timeout)
	}
	plugs, err := list(ctx)
	if err != nil {
		return r.fail(err)
	}
	sep, _ := r.opts.Get("separator")
	mode, _ := r.opts.Get("fence_mode")
	// The whole list or nothing: a caller must not take half a list for all of it.
	var out strings.Builder
	for _, p := range plugs {
		out.WriteString(p.Name + sep + p.Alias)
		if r.action == "list-status" {
			power, err := f.Status(ctx, fencing.Target{Server: p.Name, Mode: fencing.Mode(mode)})
			if err != nil {
				return r.fail(err)
			}
			out.WriteString(sep + strings.ToLower(power.String()))
		}
		out.WriteString("\n")
	}
	io.WriteString(r.stdout, out.String())
	return exitOK
}

// fail logs the single "Failed: …" line, with OVH's hint when there is one.
func (r *run) fail(err error) int {
	r.log.failed(ovhapi.WithHint(err).Error())
	return exitFailed
}
