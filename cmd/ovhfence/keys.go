package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/ovhfence/ovhfence/atomicfile"
	"github.com/ovhfence/ovhfence/cluster"
	"github.com/ovhfence/ovhfence/keys"
	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/render"
	"github.com/ovhfence/ovhfence/wizard"
)

func init() {
	register("keys", "request an OVH consumer key for fencing (keys request), install it once validated (keys activate)", runKeys)
}

func runKeys(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "request" {
		return runKeysRequest(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "activate" {
		return runKeysActivate(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "service-account" {
		return runKeysServiceAccount(args[1:], stdout, stderr)
	}
	out, code := stderr, 2
	if wantsHelp(args) {
		out, code = stdout, 0
	}
	printUsage(out, "keys", "request|activate|service-account [flags]",
		"Requests a consumer key (keys request) and installs it once validated (keys activate), or creates a\n"+
			"service account with an IAM policy for fencing (keys service-account).\n"+
			"Run 'ovhfence keys request -h', 'ovhfence keys activate -h' or 'ovhfence keys service-account -h' for their flags.")
	return code
}

type keysRequestOptions struct {
	creds        credentialFlags
	servers      serverList
	discovery    bool
	wait         bool
	write        string
	redirection  string
	timeout      time.Duration
	pollInterval time.Duration
	maxSkew      time.Duration
}

func runKeysRequest(args []string, stdout, stderr io.Writer) int {
	var opts keysRequestOptions
	fs := newFlagSet("keys request", stderr,
		"Asks OVH for a consumer key, stores it at once in FILE.pending (mode 0600), prints its rules and validation URL,\n"+
			"and with --wait installs it in FILE once it is validated with unlimited validity and passes 'ovhfence check'.")
	opts.creds.register(fs)
	fs.Var(&opts.servers, "server", "OVH service name to fence (repeat it, or give a comma-separated list)")
	fs.BoolVar(&opts.discovery, "discovery", false, "request the short-lived read-only key that lists servers, instead of a fencing key")
	fs.BoolVar(&opts.wait, "wait", false, "wait until the key is validated, then install it in the --write file")
	fs.StringVar(&opts.write, "write", "", "ovh.conf file to store the credentials in, mode 0600 (required: the consumer key is never printed)")
	fs.StringVar(&opts.redirection, "redirection", "", "URL OVH sends the browser to after validation")
	fs.DurationVar(&opts.timeout, "timeout", 15*time.Minute, "with --wait, how long to wait for the validation")
	fs.DurationVar(&opts.pollInterval, "poll-interval", 3*time.Second, "with --wait, how often to ask OVH")
	fs.DurationVar(&opts.maxSkew, "max-skew", 30*time.Second, "largest accepted difference between the local clock and OVH's")
	if code, done := parseFlags(fs, args); done {
		return code
	}
	cfg, err := opts.validate()
	if err != nil {
		return usageError(stderr, "keys request", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := requestKey(ctx, opts, cfg, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "ovhfence keys request: %v\n", err)
		return 1
	}
	return 0
}

// validate checks the flags and gathers the credentials; its errors name the flag to fix.
func (opts keysRequestOptions) validate() (ovhapi.Config, error) {
	switch {
	case len(opts.servers) == 0 && !opts.discovery:
		return ovhapi.Config{}, errors.New("--server is required (repeat it or give a comma-separated list), unless --discovery")
	case len(opts.servers) > 0 && opts.discovery:
		return ovhapi.Config{}, errors.New("give either --discovery or --server: the discovery key reads every server, a fencing key only the named ones")
	}
	if opts.write == "" {
		return ovhapi.Config{}, errors.New("--write FILE is required: the consumer key is never printed, only stored in a mode-0600 ovh.conf")
	}
	if opts.timeout <= 0 || opts.pollInterval <= 0 {
		return ovhapi.Config{}, errors.New("--timeout and --poll-interval must be positive durations")
	}
	if err := checkKeyFiles(opts.write); err != nil {
		return ovhapi.Config{}, err
	}
	cfg, err := opts.creds.load()
	if err != nil {
		return ovhapi.Config{}, err
	}
	// A new key is being requested: whatever CK a config file or the environment held is not it.
	cfg.ConsumerKey = ""
	return cfg, opts.creds.requireApplication(cfg)
}

// pendingPath is where a requested key waits for its validation, beside the
// ovh.conf it is meant for, which keeps working meanwhile.
func pendingPath(target string) string { return target + ".pending" }

// checkKeyFiles refuses, before anything is asked of OVH, a --write that cannot
// hold a key: a stream or /dev/null (the key is never printed nor thrown
// away), a directory, a device, an unsafe link, a missing directory.
func checkKeyFiles(target string) error {
	for _, path := range []string{target, pendingPath(target)} {
		dest, err := atomicfile.Resolve(path)
		if err == nil && dest.Kind != atomicfile.File {
			err = errors.New("the consumer key is never printed nor discarded: name a file")
		}
		if err != nil {
			return fmt.Errorf("--write %s: %w", path, err)
		}
	}
	return nil
}

// requestKey asks for the key and stores it in the pending file before the
// validation URL is shown: a key nobody can find cannot be revoked, and a
// key that was never shown cannot be validated.
func requestKey(ctx context.Context, opts keysRequestOptions, cfg ovhapi.Config, stdout, stderr io.Writer) error {
	rules, validity := keys.FencingRules(opts.servers), "Unlimited"
	if opts.discovery {
		rules, validity = keys.DiscoveryRules(), "a short validity (1 hour is enough)"
	}
	printRules(stdout, rules)
	client, err := ovhapi.New(cfg, ovhapi.Options{})
	if err != nil {
		return err
	}
	req, err := keys.Request(ctx, client, rules, opts.redirection)
	if err != nil {
		return err
	}
	cfg.ConsumerKey = req.ConsumerKey
	pending := pendingPath(opts.write)
	if _, err := ovhapi.WriteConfigFile(pending, cfg); err != nil {
		return fmt.Errorf("storing the new key: %w; its validation URL is not shown, so the key (never validated) grants nothing: "+
			"free the disk or fix the path, then request a new one", err)
	}
	fmt.Fprintf(stdout, "\nStored the new key in %s (mode 0600); %s is not changed until the key is validated%s.\n",
		pending, opts.write, map[bool]string{true: "", false: " and checked"}[opts.discovery])
	fmt.Fprintf(stdout, "\nOpen this URL, log in to your OVH account, choose %s and accept:\n%s\n\n", validity, req.ValidationURL)
	if !opts.wait {
		fmt.Fprintf(stdout, "Then install it with: %s\n", activateCommand(opts))
		return nil
	}
	if err := waitForValidation(ctx, client, opts, req.ConsumerKey, stderr); err != nil {
		return fmt.Errorf("%w; the key stays in %s", err, pending)
	}
	return installKey(ctx, client.WithConsumerKey(req.ConsumerKey), opts, stdout, stderr)
}

// activateCommand is the command that installs the pending key later.
func activateCommand(opts keysRequestOptions) string {
	words := []string{"ovhfence", "keys", "activate", "--write", opts.write}
	if opts.discovery {
		words = append(words, "--discovery")
	} else {
		words = append(words, "--server", strings.Join(opts.servers, ","))
	}
	for i, w := range words {
		words[i] = render.ShellQuote(w)
	}
	return strings.Join(words, " ")
}

func printRules(w io.Writer, rules []ovhapi.Rule) {
	fmt.Fprintln(w, "Access rules requested:")
	for _, rule := range rules {
		fmt.Fprintf(w, "  %-4s %s\n       to %s\n", rule.Method, rule.Path, keys.Explain(rule))
	}
}

func waitForValidation(ctx context.Context, client *ovhapi.Client, opts keysRequestOptions, ck string, stderr io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, opts.timeout)
	defer cancel()
	fmt.Fprintf(stderr, "Waiting up to %s for the validation (Ctrl-C stops)...\n", opts.timeout)
	if _, err := keys.WaitValidated(ctx, client, ck, opts.pollInterval); err != nil {
		return err
	}
	fmt.Fprintln(stderr, "The key is validated.")
	return nil
}

// credentialFlags say where the OVH credentials come from; keys request and
// check share them. The secrets are never flags (DESIGN.md D4: argv is visible
// in ps): only a file, the environment or an ovh.conf.
type credentialFlags struct {
	configFile, endpoint, applicationKey, secretFile string
}

func (c *credentialFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.configFile, "config", "", "ovh.conf to read the endpoint and keys from")
	for _, f := range []struct {
		value *string
		field *wizard.Field // the setup answer of the same name, whose help it shares
	}{{&c.endpoint, &wizard.FieldEndpoint}, {&c.applicationKey, &wizard.FieldAppKey}, {&c.secretFile, &wizard.FieldAppSecret}} {
		fs.StringVar(f.value, f.field.Flag, "", f.field.Usage)
	}
}

// load layers the sources as the agent does: flags over the --config file over
// the environment, each filling only what it names. A --config file others can
// read or change is refused (*ovhapi.PermissionError).
func (c credentialFlags) load() (ovhapi.Config, error) {
	cfg := ovhapi.ConfigFromEnv()
	if c.configFile != "" {
		fileCfg, err := ovhapi.LoadConfigFile(c.configFile, c.endpoint)
		if err == nil {
			err = ovhapi.CheckConfigPermissions(c.configFile)
		}
		if err != nil {
			return ovhapi.Config{}, fmt.Errorf("--config: %w", err)
		}
		cfg = ovhapi.Layer(cfg, fileCfg)
	}
	if c.endpoint != "" {
		cfg.Endpoint = c.endpoint
	}
	if _, err := ovhapi.ResolveEndpoint(cmp.Or(cfg.Endpoint, ovhapi.DefaultEndpoint)); err != nil {
		return ovhapi.Config{}, fmt.Errorf("--endpoint: %w", err)
	}
	if c.applicationKey != "" {
		cfg.ApplicationKey = c.applicationKey
	}
	if c.secretFile != "" {
		secret, err := readSecretFile(c.secretFile)
		if err != nil {
			return ovhapi.Config{}, fmt.Errorf("--application-secret-file: %w", err)
		}
		cfg.ApplicationSecret = secret
	}
	return cfg, ovhapi.CheckKeyText(cfg)
}

// requireApplication names the flag that supplies a missing application key or secret.
func (c credentialFlags) requireApplication(cfg ovhapi.Config) error {
	if cfg.ApplicationKey == "" {
		remedy := "run 'ovhfence setup' for the interactive wizard"
		if url := ovhapi.CreateAppURL(cfg.Endpoint); url != "" {
			remedy = "create one at " + url
		}
		return fmt.Errorf("--application-key is required when not running interactively (or $%s, or --config FILE); %s",
			ovhapi.EnvApplicationKey, remedy)
	}
	if cfg.ApplicationSecret == "" {
		return fmt.Errorf("--application-secret-file FILE is required when not running interactively (or $%s, or --config FILE); "+
			"the secret is never accepted on the command line, where ps shows it", ovhapi.EnvApplicationSecret)
	}
	return nil
}

func readSecretFile(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	secret := strings.TrimSpace(string(data))
	if secret == "" || strings.ContainsAny(secret, "\r\n") {
		return "", fmt.Errorf("%s must hold the secret alone, on one line", path)
	}
	return secret, nil
}

// serverList is a repeatable flag that also accepts comma-separated lists.
type serverList []string

func (s *serverList) String() string { return strings.Join(*s, ",") }

func (s *serverList) Set(value string) error {
	for _, sn := range strings.Split(value, ",") {
		sn = strings.TrimSpace(sn)
		if sn != "" && !cluster.IsServiceName(sn) {
			return fmt.Errorf("%q is not an OVH service name (letters, digits, '.', '_' and '-')", sn)
		}
		if sn != "" && !slices.Contains(*s, sn) {
			*s = append(*s, sn)
		}
	}
	return nil
}

// newFlagSet makes a flag set whose -h output starts with the command's purpose.
func newFlagSet(name string, stderr io.Writer, purpose string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: ovhfence %s [flags]\n%s\n\nFlags:\n", name, purpose)
		fs.PrintDefaults()
		printExamples(stderr, name)
	}
	return fs
}

// parseFlags parses args; done says the command must return code at once
// (0 after -h, 2 after a bad flag, which flag has already reported).
func parseFlags(fs *flag.FlagSet, args []string) (code int, done bool) {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 0, true
	case err != nil:
		return 2, true
	case fs.NArg() > 0:
		fmt.Fprintf(fs.Output(), "ovhfence %s: unexpected argument %q; run with -h for the flags\n", fs.Name(), fs.Arg(0))
		return 2, true
	}
	return 0, false
}

func usageError(stderr io.Writer, name string, err error) int {
	fmt.Fprintf(stderr, "ovhfence %s: %v\n", name, err)
	return 2
}
