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
	if _, err := ovhapi.ResolveEndpoint(cfg.Endpoint); err != nil {
		return cfg, err
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
		return cfg, fmt.Errorf("no OVH %s: set ovh_config to an ovh.conf file that holds the keys (see `ovhfence keys request`)", strings.Join(missing, ", no "))
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
		Logf:            r.log.debugf,
		UserAgent:       "fence_ovh/" + Version,
	})
}

func (r *run) fencer(client *ovhapi.Client) (*fencing.Fencer, error) {
	f := &fencing.Fencer{API: client, Logf: r.log.debugf, Warnf: r.log.warnf}
	var err error
	if f.PollInterval, err = r.opts.Seconds("stonith_status_sleep"); err != nil {
		return nil, err
	}
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

func (r *run) target() (fencing.Target, error) {
	plug, _ := r.opts.Get("plug")
	mode, _ := r.opts.Get("fence_mode")
	t := fencing.Target{Server: plug, Mode: fencing.Mode(mode)}
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
			return t, err
		}
		*id.dst = v
	}
	return t, nil
}

func (r *run) act(ctx context.Context, client *ovhapi.Client, f *fencing.Fencer) int {
	if _, err := client.SyncTime(ctx); err != nil {
		return r.fail(err)
	}
	switch r.action {
	case "monitor":
		if err := f.Monitor(ctx); err != nil {
			return r.fail(err)
		}
		return exitOK
	case "list", "list-status":
		return r.list(ctx, f)
	}
	t, err := r.target()
	if err != nil {
		return r.fail(err)
	}
	switch r.action {
	case "status":
		power, err := f.Status(ctx, t)
		if err != nil {
			return r.fail(err)
		}
		fmt.Fprintf(r.stdout, "Status: %s\n", power)
		if power == fencing.PowerOff {
			return exitStatusOff
		}
		return exitOK
	case "off":
		res, err := f.Off(ctx, t)
		return r.report(res, err, "Powered OFF", "Already OFF")
	case "on":
		return r.on(ctx, f, t)
	case "reboot":
		method, _ := r.opts.Get("method")
		res, err := f.Reboot(ctx, t, fencing.Method(method))
		return r.report(res, err, "Rebooted", "Rebooted")
	}
	return r.fail(fmt.Errorf("unrecognised action '%s'", r.action))
}

// on retries retry_on times, as fence-agents does for power on.
func (r *run) on(ctx context.Context, f *fencing.Fencer, t fencing.Target) int {
	attempts, err := r.opts.Int("retry_on")
	if err != nil {
		return r.fail(err)
	}
	var res fencing.Result
	for attempt := int64(0); attempt < max(attempts, 1); attempt++ {
		if res, err = f.On(ctx, t); err == nil {
			break
		}
		r.log.warnf("power on attempt %d failed: %v", attempt+1, err)
	}
	return r.report(res, err, "Powered ON", "Already ON")
}

func (r *run) report(res fencing.Result, err error, done, already string) int {
	if err != nil {
		return r.fail(err)
	}
	if res.Already {
		done = already
	}
	r.log.debugf("%s verified after %s", r.action, res.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(r.stdout, "Success: %s\n", done)
	return exitOK
}

func (r *run) list(ctx context.Context, f *fencing.Fencer) int {
	plugs, err := f.List(ctx)
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
