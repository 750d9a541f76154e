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
	"strings"
	"syscall"
	"time"

	"github.com/ovhfence/ovhfence/atomicfile"
	"github.com/ovhfence/ovhfence/cluster"
	"github.com/ovhfence/ovhfence/ovhsim"
	"github.com/ovhfence/ovhfence/setup"
	"github.com/ovhfence/ovhfence/tui"
	"github.com/ovhfence/ovhfence/wizard"
)

func init() {
	register("setup", "the setup wizard: keys, servers, live test, configuration (default command)", runSetup)
}

// setupOptions are the setup flags; every wizard answer has one (DESIGN.md D9).
type setupOptions struct {
	creds                               credentialFlags
	sandbox, plain, yes                 bool
	answersFile, outDir, credentialsOut string
	clusterConf, corosyncConf           string
	target, clusterName, nodes          string
	servers, fenceMode, noIntervention  string
	mapping                             []string // every --map given
	consumerKeyFile, fenceTest          string
	seedServers                         int // --sandbox: servers to seed
}

func (o *setupOptions) register(fs *flag.FlagSet) {
	o.creds.register(fs)
	fs.BoolVar(&o.sandbox, "sandbox", false, "run against the embedded simulated OVH API (no account needed); files go to --out")
	fs.IntVar(&o.seedServers, "seed-servers", 0, "with --sandbox: seed this many servers, to try a large account (default: four)")
	fs.BoolVar(&o.plain, "plain", false, "line prompts instead of the full-screen wizard (also ACCESSIBLE=1 or TERM=dumb); reads answers from a pipe")
	fs.BoolVar(&o.yes, "yes", false, "no prompts: accept every default and confirmation (a real fence test still needs --fence-test)")
	fs.StringVar(&o.answersFile, "answers", "", "file of flag = value lines (flag names without --), read before the command line")
	fs.StringVar(&o.outDir, "out", "", "directory for the cluster file, scripts and log (default: . , or ./ovhfence-sandbox-<time> with --sandbox)")
	fs.StringVar(&o.credentialsOut, "credentials", "", "where to store ovh.conf (default: /etc/pve/priv/ovh.conf on Proxmox VE, else /etc/ovh.conf)")
	fs.StringVar(&o.clusterConf, "cluster-conf", "", "cman cluster.conf to read the nodes from and merge into (default: /etc/pve/cluster.conf)")
	fs.StringVar(&o.corosyncConf, "corosync-conf", "", "corosync.conf to read the nodes from (default: /etc/corosync/corosync.conf)")
	fs.StringVar(&o.target, "target", "", "configuration to write: pve3, pcs, crm, or several, comma-separated")
	fs.StringVar(&o.clusterName, "cluster-name", "", "cluster name (default: read from the cluster configuration)")
	fs.StringVar(&o.nodes, "nodes", "", "cluster node names, comma-separated (default: read from the cluster configuration)")
	fs.StringVar(&o.servers, "servers", "", "OVH service names to fence, comma-separated (default: list the account's servers)")
	fs.Func("map", "node=service-name pairs, comma-separated; repeatable (default: matched on service name, reverse DNS or the node's address; never guessed)",
		func(pairs string) error { o.mapping = append(o.mapping, pairs); return nil })
	fs.StringVar(&o.fenceMode, "fence-mode", "", "rescue or poweroff (default: poweroff if every server has a power netboot)")
	fs.StringVar(&o.noIntervention, "no-intervention", "", "poweroff mode: set (turn OVH's datacentre interventions off on servers that have them) or unchanged")
	fs.StringVar(&o.consumerKeyFile, "consumer-key-file", "", "file holding an existing fencing consumer key (or $OVH_CONSUMER_KEY); default: request one")
	fs.StringVar(&o.fenceTest, "fence-test", "", "fence this node for real in the live test (off, then on)")
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
		fileArgs, err := readAnswersFile(opts.answersFile)
		if err != nil {
			return usageError(stderr, "setup", err)
		}
		fs = newFlagSet("setup", stderr, "")
		opts = setupOptions{}
		opts.register(fs)
		if code, done := parseFlags(fs, append(fileArgs, args...)); done {
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
		sim, err := ovhsim.StartWizardSandbox(opts.seedServers)
		if err != nil {
			fmt.Fprintf(stderr, "ovhfence setup: starting the sandbox: %v\n", err)
			return 1
		}
		defer sim.Close()
		sb := sandboxData(sim)
		runOpts.Sandbox = sb
		if runOpts.OutDir == "" {
			runOpts.OutDir = "ovhfence-sandbox-" + time.Now().Format("20060102-150405")
		}
		answers = sandboxAnswers(answers, sb, given)
	}
	r := setup.New(runOpts)
	s, err := runWizard(ctx, opts, given, wizard.New(answers), r, stdin, stdout, stderr)
	return finish(s, err, stdout, stderr)
}

// answers turns the flags into the wizard's answers given up front.
func (o setupOptions) answers(given map[string]bool) (wizard.Answers, error) {
	cfg, err := o.creds.load()
	if err != nil {
		return wizard.Answers{}, err
	}
	a := wizard.Answers{Endpoint: cfg.Endpoint, AppKey: cfg.ApplicationKey, AppSecret: cfg.ApplicationSecret,
		ConsumerKey: cfg.ConsumerKey, ClusterName: o.clusterName, Nodes: wizard.SplitList(o.nodes),
		Servers: wizard.SplitList(o.servers), Mode: cluster.FenceMode(o.fenceMode), FenceTest: o.fenceTest,
		NoIntervention: o.noIntervention}
	if cfg.ApplicationKey != "" {
		given[tui.FlagAppKey] = true
	}
	if cfg.ApplicationSecret != "" {
		given[tui.FlagAppSecret] = true
	}
	if cfg.Endpoint != "" {
		given[tui.FlagEndpoint] = true
	}
	if o.target != "" {
		if a.Targets, err = wizard.ParseTargets(o.target); err != nil {
			return a, fmt.Errorf("--target: %w", err)
		}
	}
	if len(o.mapping) > 0 {
		if a.Mapping, err = tui.ParseMapping(strings.Join(o.mapping, ",")); err != nil {
			return a, fmt.Errorf("--map: %w", err)
		}
	}
	if o.consumerKeyFile != "" {
		if a.ConsumerKey, err = readSecretFile(o.consumerKeyFile); err != nil {
			return a, fmt.Errorf("--consumer-key-file: %w", err)
		}
	}
	if a.ConsumerKey != "" {
		given[tui.FlagConsumerKey] = true
	}
	return a, nil
}

// sandboxAnswers fills in what the sandbox provides: its endpoint and keys.
func sandboxAnswers(a wizard.Answers, sb *setup.Sandbox, given map[string]bool) wizard.Answers {
	a.Endpoint = sb.Endpoint
	if a.AppKey == "" {
		a.AppKey, a.AppSecret = sb.AppKey, sb.AppSecret
	}
	for _, flag := range []string{tui.FlagEndpoint, tui.FlagAppKey, tui.FlagAppSecret} {
		given[flag] = true
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

// readAnswersFile reads "name = value" lines into --name=value arguments.
func readAnswersFile(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--answers: %w", err)
	}
	defer f.Close()
	var args []string
	scanner := bufio.NewScanner(f)
	for n := 1; scanner.Scan(); n++ {
		line := strings.TrimSpace(scanner.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("--answers: %s:%d: expected name = value", path, n)
		}
		args = append(args, "--"+strings.TrimSpace(name)+"="+strings.TrimSpace(value))
	}
	return args, scanner.Err()
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
