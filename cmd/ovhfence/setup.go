package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ovhfence/ovhfence/atomicfile"
	"github.com/ovhfence/ovhfence/ovhsim"
	"github.com/ovhfence/ovhfence/setup"
	"github.com/ovhfence/ovhfence/tui"
	"github.com/ovhfence/ovhfence/wizard"
)

func init() {
	register("setup", "the setup wizard: keys, servers, live test, configuration (default command)", runSetup)
}

// startWizardSandbox starts --sandbox's simulator; a test keeps hold of it.
var startWizardSandbox = ovhsim.StartWizardSandbox

// setupOptions are the setup flags: one per wizard answer, registered from
// wizard.Fields (DESIGN.md D9), and the run's own options.
type setupOptions struct {
	creds                               credentialFlags // --config and the endpoint and key fields
	sandbox, plain, yes                 bool
	answersFile, outDir, credentialsOut string
	clusterConf, corosyncConf           string
	seedServers                         int               // --sandbox: servers to seed
	values                              map[string]string // each answer's flag, as given
	origins                             map[string]string // "answers.yaml:7" for an answer read there
}

func (o *setupOptions) register(fs *flag.FlagSet) {
	o.values, o.origins = map[string]string{}, map[string]string{}
	o.creds.register(fs)
	fs.BoolVar(&o.sandbox, "sandbox", false, "run against the embedded simulated OVH API (no account needed); files go to --out")
	fs.IntVar(&o.seedServers, "seed-servers", 0, "with --sandbox: seed this many servers, to try a large account (default: four)")
	fs.BoolVar(&o.plain, "plain", false, "line prompts instead of the full-screen wizard (also ACCESSIBLE=1 or TERM=dumb); reads answers from a pipe")
	fs.StringVar(&o.answersFile, "answers", "", "file of flag = value lines (flag names without --), read before the command line")
	fs.StringVar(&o.outDir, "out", "", "directory for the cluster file, scripts and log (default: . , or ./ovhfence-sandbox-<time> with --sandbox)")
	fs.StringVar(&o.credentialsOut, "credentials", "", "where to store ovh.conf (default: /etc/pve/priv/ovh.conf on Proxmox VE, else /etc/ovh.conf)")
	fs.StringVar(&o.clusterConf, "cluster-conf", "", "cman cluster.conf to read the nodes from and merge into (default: /etc/pve/cluster.conf)")
	fs.StringVar(&o.corosyncConf, "corosync-conf", "", "corosync.conf to read the nodes from (default: /etc/corosync/corosync.conf)")
	for _, f := range wizard.Fields {
		if fs.Lookup(f.Flag) == nil { // the credentials' are registered above
			o.registerField(fs, f)
		}
	}
}

// registerField makes f's flag: --yes is a switch; every other answer is
// kept as text and checked by answers, before anything else happens.
func (o *setupOptions) registerField(fs *flag.FlagSet, f *wizard.Field) {
	if f.Widget == wizard.WidgetConfirm {
		fs.Var(confirmFlag{&o.yes}, f.Flag, f.Usage)
		return
	}
	fs.Func(f.Flag, f.Usage, func(v string) error {
		v = strings.TrimSpace(v)
		if old := o.values[f.Flag]; f.Repeatable && old != "" {
			v = old + "," + v
		}
		o.values[f.Flag] = v
		delete(o.origins, f.Flag) // set again: readAnswersFile names the line
		return nil
	})
}

// confirmFlag is a switch (--yes) that an --answers file may also set with
// yes or no, as the confirm widget answers, or true or false.
type confirmFlag struct{ value *bool }

func (c confirmFlag) IsBoolFlag() bool { return true }

func (c confirmFlag) String() string {
	if c.value == nil {
		return "false"
	}
	return strconv.FormatBool(*c.value)
}

func (c confirmFlag) Set(v string) error {
	yes, err := strconv.ParseBool(v)
	if err != nil {
		yes, err = wizard.ParseConfirm(v)
	}
	*c.value = yes
	return err
}

func runSetup(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var opts setupOptions
	fs := newFlagSet("setup", stderr,
		"The setup wizard. On a terminal it asks; otherwise every answer comes from a flag, --answers or the environment.")
	opts.register(fs)
	if code, done := parseFlags(fs, args); done {
		return code
	}
	if opts.answersFile != "" {
		path := opts.answersFile
		fs = newFlagSet("setup", stderr, "")
		opts = setupOptions{}
		opts.register(fs)
		if err := opts.readAnswersFile(fs, path); err != nil {
			return usageError(stderr, "setup", err)
		}
		if code, done := parseFlags(fs, args); done { // the command line overrides the file
			return code
		}
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given["--"+f.Name] = true })
	answers, err := opts.answers(given)
	if err == nil {
		err = opts.checkOutputs()
	}
	if err != nil {
		return usageError(stderr, "setup", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	runOpts := setup.Options{ClusterConf: opts.clusterConf, CorosyncConf: opts.corosyncConf,
		OutDir: opts.outDir, CredentialsPath: opts.credentialsOut}
	if opts.sandbox {
		sim, err := startWizardSandbox(opts.seedServers)
		if err != nil {
			fmt.Fprintf(stderr, "ovhfence setup: starting the sandbox: %v\n", err)
			return 1
		}
		defer sim.Close()
		sb := sandboxData(sim)
		sb.SeedServers = opts.seedServers
		if names := ignoredEnvironment(); len(names) > 0 {
			fmt.Fprintf(stderr, "Sandbox: %s ignored; the simulated API takes only its own keys.\n", strings.Join(names, ", "))
		}
		runOpts.Sandbox = sb
		if runOpts.OutDir == "" {
			runOpts.OutDir = "ovhfence-sandbox-" + time.Now().Format("20060102-150405")
		}
		answers = sandboxAnswers(answers, sb, given)
	}
	r := setup.New(runOpts)
	s, err := runWizard(ctx, opts, given, wizard.New(answers), r, stdin, stdout, stderr)
	return finish(s, opts.nameOrigin(s, err), stdout, stderr)
}

// nameOrigin names the --answers line of an answer the wizard refused once it
// knew the nodes (read from the cluster configuration, so not checked up
// front): its problem starts as wizard.GivenError's, "--flag: ".
func (o setupOptions) nameOrigin(s wizard.State, err error) error {
	if !errors.Is(err, tui.ErrStepFailed) {
		return err
	}
	for flag, origin := range o.origins {
		if why, ok := strings.CutPrefix(s.Problem, "--"+flag+": "); ok {
			return fmt.Errorf("%w at %s: %s: %s", tui.ErrStepFailed, s.Step, origin, why)
		}
	}
	return err
}

// answers turns the flags into the wizard's answers given up front. With
// --sandbox the keys are the sandbox's own (see sandboxAnswers): none is read.
func (o setupOptions) answers(given map[string]bool) (wizard.Answers, error) {
	var a wizard.Answers
	for _, f := range wizard.Fields {
		if v := o.values[f.Flag]; v != "" && !f.File { // empty: not given
			if err := f.Set(&a, v); err != nil {
				return a, fmt.Errorf("--%s: %w", f.Flag, err)
			}
		}
	}
	if err := o.checkGiven(a); err != nil {
		return a, err
	}
	if o.sandbox {
		return a, o.refuseCredentials()
	}
	cfg, err := o.creds.load()
	if err != nil {
		return a, err
	}
	a.Endpoint, a.AppKey, a.AppSecret, a.ConsumerKey = cfg.Endpoint, cfg.ApplicationKey, cfg.ApplicationSecret, cfg.ConsumerKey
	if err := wizard.ValidateCredentialKind(a.CredentialKind, a.Endpoint); err != nil {
		return a, fmt.Errorf("--%s: %w", wizard.FieldCredentialKind.Flag, err)
	}
	if path := o.values[wizard.FieldConsumerKey.Flag]; path != "" {
		if a.ConsumerKey, err = readSecretFile(path); err != nil {
			return a, fmt.Errorf("--%s: %w", wizard.FieldConsumerKey.Flag, err)
		}
	}
	// What the environment or --config gave counts as given.
	for _, f := range sandboxCredentials {
		if f.Text(a) != "" {
			given["--"+f.Flag] = true
		}
	}
	return a, nil
}

// checkGiven refuses, when the nodes are given too, an answer that does not
// fit them, naming the --answers line it came from. (Nodes read from the
// cluster configuration are checked by the wizard, at its first step.)
func (o setupOptions) checkGiven(a wizard.Answers) error {
	if len(a.Nodes) == 0 {
		return nil
	}
	err := wizard.CheckGiven(a, a.Nodes)
	var given *wizard.GivenError
	if errors.As(err, &given) && o.origins[given.Field.Flag] != "" {
		return fmt.Errorf("%s: %w", o.origins[given.Field.Flag], given.Err)
	}
	return err
}

// sandboxCredentials are what the sandbox provides itself: the endpoint and
// keys of a real account would only be refused by the simulator.
var sandboxCredentials = []*wizard.Field{&wizard.FieldEndpoint, &wizard.FieldAppKey, &wizard.FieldAppSecret, &wizard.FieldConsumerKey}

// refuseCredentials refuses, with --sandbox, a flag giving an endpoint or keys.
func (o setupOptions) refuseCredentials() error {
	const why = "the sandbox brings its own endpoint and keys; leave it out with --sandbox"
	for _, given := range [][2]string{{"config", o.creds.configFile}, {wizard.FieldEndpoint.Flag, o.creds.endpoint},
		{wizard.FieldAppKey.Flag, o.creds.applicationKey}, {wizard.FieldAppSecret.Flag, o.creds.secretFile},
		{wizard.FieldConsumerKey.Flag, o.values[wizard.FieldConsumerKey.Flag]}} {
		if given[1] != "" {
			return fmt.Errorf("--%s: %s", given[0], why)
		}
	}
	return nil
}

// ignoredEnvironment names the OVH_* variables a --sandbox run sets aside.
func ignoredEnvironment() []string {
	var names []string
	for _, f := range sandboxCredentials {
		if f.Env != "" && os.Getenv(f.Env) != "" {
			names = append(names, f.Env)
		}
	}
	return names
}

// sandboxAnswers fills in what the sandbox provides: its endpoint and keys.
func sandboxAnswers(a wizard.Answers, sb *setup.Sandbox, given map[string]bool) wizard.Answers {
	a.Endpoint, a.AppKey, a.AppSecret = sb.Endpoint, sb.AppKey, sb.AppSecret
	for _, f := range []*wizard.Field{&wizard.FieldEndpoint, &wizard.FieldAppKey, &wizard.FieldAppSecret} {
		given["--"+f.Flag] = true
	}
	return a
}

// runWizard runs the front end the terminals call for.
func runWizard(ctx context.Context, opts setupOptions, given map[string]bool, s wizard.State, r wizard.Runner,
	stdin io.Reader, stdout, stderr io.Writer) (wizard.State, error) {
	inFile, _ := stdin.(*os.File)
	outFile, _ := stdout.(*os.File)
	errFile, _ := stderr.(*os.File)
	switch tui.ChooseMode(inFile, outFile, errFile, opts.plain, opts.yes) {
	case tui.ModeTUI:
		return tui.RunTUI(ctx, s, r, inFile, errFile)
	case tui.ModeLines:
		return tui.RunLines(ctx, s, r, tui.NewLinePrompter(ctx, stdin, stderr), stderr)
	}
	yes := opts.yes
	if opts.sandbox && !yes {
		// Nothing in the sandbox can do harm, so with no terminal to ask on it takes
		// every default: `ovhfence --sandbox` then runs start to end anywhere.
		fmt.Fprintln(stderr, "No terminal to ask on: the sandbox takes every default, as with --yes.")
		yes = true
	}
	p := tui.FlagPrompter{Yes: yes, Given: func(flag string) bool { return given[flag] }}
	return tui.RunLines(ctx, s, r, p, stderr)
}

// finish prints the result on stdout and maps the outcome to an exit code:
// 0 done, 1 failed, 2 a missing or bad flag, 130 interrupted.
func finish(s wizard.State, err error, stdout, stderr io.Writer) int {
	var missing *tui.MissingFlagError
	switch {
	case err == nil && s.Step == wizard.StepDone:
		for _, path := range s.Facts.Written {
			fmt.Fprintln(stdout, path)
		}
		return 0
	case errors.As(err, &missing):
		fmt.Fprintf(stderr, "ovhfence setup: %v\n", err)
		return 2
	case errors.Is(err, tui.ErrInterrupted) || errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "ovhfence setup: interrupted; "+writtenNote(s))
		if recovery := tui.RecoveryText(s); recovery != "" {
			fmt.Fprintln(stderr, recovery)
		}
		return 130
	case err == nil:
		err = fmt.Errorf("stopped at %s", s.Step)
	}
	fmt.Fprintf(stderr, "ovhfence setup: %v; %s\n", err, writtenNote(s))
	return 1
}

// writtenNote says what is on disk: nothing before the output step but the
// keys an unfinished fence test's recovery needs.
func writtenNote(s wizard.State) string {
	if len(s.Facts.Written) == 0 && s.Facts.Recovery != "" {
		return "nothing was written but the keys in " + s.Facts.Pending + " (mode 0600), for the recovery below"
	}
	if len(s.Facts.Written) == 0 {
		return "nothing was written"
	}
	return fmt.Sprintf("the %d files listed in the summary were written whole", len(s.Facts.Written))
}

// readAnswersFile sets fs's flags from "name = value" lines (flag names
// without --). Every error, an unknown name included, names the file and line;
// so does, later, a refusal of an answer read there (see checkGiven).
func (o *setupOptions) readAnswersFile(fs *flag.FlagSet, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("--answers: %w", err)
	}
	defer f.Close()
	scanner := bufio.NewScanner(f)
	for n := 1; scanner.Scan(); n++ {
		line := strings.TrimSpace(scanner.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, "=")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		switch {
		case !ok:
			err = errors.New("expected name = value")
		case fs.Lookup(name) == nil || name == "answers":
			err = fmt.Errorf("unknown key %q: the keys are setup's flag names without -- (ovhfence setup -h)", name)
		default:
			err = fs.Set(name, value)
			if f := wizard.LookupField(name); err == nil && f != nil && !f.File && value != "" {
				err = f.Check(value)
			}
		}
		if err != nil {
			return fmt.Errorf("%s:%d: %w", path, n, err)
		}
		o.origins[name] = fmt.Sprintf("%s:%d", path, n)
	}
	if err := scanner.Err(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// checkOutputs refuses, before any question or API call, an output the
// wizard could not write at the end: --credentials must be a file (the keys
// are never printed nor discarded), --out a directory or absent.
func (o setupOptions) checkOutputs() error {
	if o.credentialsOut != "" {
		dest, err := atomicfile.Resolve(o.credentialsOut)
		if err == nil && dest.Kind != atomicfile.File {
			err = errors.New("the OVH keys are never printed nor discarded: name a file")
		}
		if err != nil {
			return fmt.Errorf("--credentials: %w", err)
		}
	}
	if o.outDir != "" {
		if info, err := os.Stat(o.outDir); err == nil && !info.IsDir() {
			return fmt.Errorf("--out %s is not a directory", o.outDir)
		}
	}
	return nil
}
