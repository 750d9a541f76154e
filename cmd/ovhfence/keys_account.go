package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/ovhfence/ovhfence/keys"
	"github.com/ovhfence/ovhfence/ovhapi"
)

type keysAccountOptions struct {
	creds        credentialFlags
	servers      serverList
	write        string
	name         string
	timeout      time.Duration
	pollInterval time.Duration
}

// runKeysServiceAccount creates a service account for fencing: a short-lived
// setup consumer key validated in the browser creates the OAuth2 client and
// one IAM policy allowing exactly the fencing actions on exactly the servers;
// the credentials go to a 0600 ovh.conf, the setup key is ended, and the
// grant is proven with OVH's authorization check as the new account.
func runKeysServiceAccount(args []string, stdout, stderr io.Writer) int {
	var opts keysAccountOptions
	fs := newFlagSet("keys service-account", stderr,
		"Creates an OVH service account (OAuth2 client) and an IAM policy allowing the fencing actions on the --server\n"+
			"servers only, through a setup consumer key you validate in the browser, and stores client_id and\n"+
			"client_secret in the --write file (mode 0600). Only on ovh-eu, ovh-ca and ovh-us.")
	opts.creds.register(fs)
	fs.Var(&opts.servers, "server", "OVH service name to fence (repeat it, or give a comma-separated list)")
	fs.StringVar(&opts.write, "write", "", "ovh.conf file to store the service account in, mode 0600 (required: the secret is never printed)")
	fs.StringVar(&opts.name, "name", "ovhfence fencing", "name of the service account and of its policy")
	fs.DurationVar(&opts.timeout, "timeout", 15*time.Minute, "how long to wait for the setup key's validation")
	fs.DurationVar(&opts.pollInterval, "poll-interval", 3*time.Second, "how often to ask OVH whether the setup key is validated")
	if code, done := parseFlags(fs, args); done {
		return code
	}
	cfg, err := opts.validate()
	if err != nil {
		return usageError(stderr, "keys service-account", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := opts.create(ctx, cfg, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "ovhfence keys service-account: %v\n", err)
		return 1
	}
	return 0
}

func (opts keysAccountOptions) validate() (ovhapi.Config, error) {
	switch {
	case len(opts.servers) == 0:
		return ovhapi.Config{}, errors.New("--server is required (repeat it or give a comma-separated list)")
	case opts.write == "":
		return ovhapi.Config{}, errors.New("--write FILE is required: the client secret is never printed, only stored in a mode-0600 ovh.conf")
	case opts.timeout <= 0 || opts.pollInterval <= 0:
		return ovhapi.Config{}, errors.New("--timeout and --poll-interval must be positive durations")
	}
	if err := checkKeyFiles(opts.write); err != nil {
		return ovhapi.Config{}, err
	}
	cfg, err := opts.creds.load()
	if err != nil {
		return ovhapi.Config{}, err
	}
	if _, err := ovhapi.TokenURL(cfg.Endpoint); err != nil {
		return ovhapi.Config{}, fmt.Errorf("--endpoint: %w", err)
	}
	cfg.ConsumerKey = "" // the setup key is requested now
	return cfg, opts.creds.requireApplication(cfg)
}

func (opts keysAccountOptions) create(ctx context.Context, cfg ovhapi.Config, stdout, stderr io.Writer) error {
	fmt.Fprintln(stdout, "Access rules of the setup key (end it is automatic; choose the shortest validity OVH offers):")
	var rules []ovhapi.Rule
	for _, r := range keys.SetupRules() {
		fmt.Fprintf(stdout, "  %-4s %s\n       to %s\n", r.Rule.Method, r.Rule.Path, r.Reason)
		rules = append(rules, r.Rule)
	}
	client, err := ovhapi.New(cfg, ovhapi.Options{})
	if err != nil {
		return err
	}
	req, err := keys.Request(ctx, client, rules, "")
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nOpen this URL, log in to your OVH account, choose a short validity and accept:\n%s\n\n", req.ValidationURL)
	waitCtx, cancel := context.WithTimeout(ctx, opts.timeout)
	defer cancel()
	if _, err := keys.WaitValidated(waitCtx, client, req.ConsumerKey, opts.pollInterval); err != nil {
		return err
	}
	created, err := keys.CreateFencingAccount(ctx, client.WithConsumerKey(req.ConsumerKey), opts.name, opts.servers)
	if created.EndErr != nil {
		fmt.Fprintf(stderr, "warning: ending the setup key failed (%v); it ends by itself at the validity you chose\n", ovhapi.WithHint(created.EndErr))
	} else {
		fmt.Fprintln(stdout, "Ended the setup key.")
	}
	if err != nil {
		return err
	}
	account := created.Account
	accountCfg := ovhapi.Config{Endpoint: cfg.Endpoint, ClientID: account.ClientID, ClientSecret: account.ClientSecret}
	if _, err := ovhapi.WriteConfigFile(opts.write, accountCfg); err != nil {
		return fmt.Errorf("storing the service account: %w; its secret is lost: %s", err, created.Orphan)
	}
	fmt.Fprintf(stdout, "Created service account %s and IAM policy %s; stored them in %s (mode 0600).\n", account.ClientID, created.PolicyID, opts.write)
	accountClient, err := ovhapi.New(accountCfg, ovhapi.Options{})
	if err != nil {
		return err
	}
	report := keys.CheckAccount(ctx, accountClient, opts.servers)
	if problems := report.Problems(); len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintf(stdout, "FAIL: %s\n", p)
		}
		return errors.New("the new service account does not pass the authorization check")
	}
	fmt.Fprintf(stdout, "OK: OVH's authorization check allows the service account %s on %s and denies %s. "+
		"Note: dedicatedServer:apiovh:put also allows changing the servers' monitoring and boot script.\n",
		strings.Join(ovhapi.FencingActions, ", "), strings.Join(opts.servers, ", "), strings.Join(ovhapi.DangerousActions, ", "))
	return nil
}
