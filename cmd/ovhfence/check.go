package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/ovhfence/ovhfence/cluster"
	"github.com/ovhfence/ovhfence/keys"
	"github.com/ovhfence/ovhfence/ovhapi"
)

func init() {
	register("check", "prove the fencing key (or service account) can do exactly what fencing needs, and nothing more", runCheck)
}

type checkOptions struct {
	creds       credentialFlags
	clusterFile string
	servers     serverList
	maxSkew     time.Duration
	timeout     time.Duration
	nagios      bool
	mode        cluster.FenceMode // the cluster file's, once resolved
	adminConfig string            // ovh.conf of a key that may read IAM policies (service accounts)
}

func runCheck(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	var opts checkOptions
	fs := newFlagSet("check", stderr,
		"Reads the key's rules, the clock and every server, and changes nothing on OVH.\n"+
			"Exit 0: the key is exactly right; 1: one line per problem, with its remedy; 2: bad flags.")
	fs.StringVar(&opts.clusterFile, "cluster", "", "cluster file naming the servers, the endpoint and the ovh.conf")
	opts.creds.register(fs)
	fs.Var(&opts.servers, "server", "OVH service name the key must fence (repeat it, or give a comma-separated list)")
	fs.DurationVar(&opts.maxSkew, "max-skew", 30*time.Second, "largest accepted difference between the local clock and OVH's")
	fs.DurationVar(&opts.timeout, "timeout", time.Minute, "how long the whole check may take")
	fs.StringVar(&opts.adminConfig, "admin-config", "", "with a service account: ovh.conf of a key that may read IAM policies (GET /v2/iam/policy), to report grants beyond fencing and expiry")
	fs.BoolVar(&opts.nagios, "nagios", false, "print one Nagios status line; exit 0 OK, 1 WARNING (key expires within 30 days), 2 CRITICAL, 3 UNKNOWN (OVH unreachable)")
	if code, done := parseFlags(fs, args); done {
		if code != 0 && opts.nagios {
			return nagiosFailure(stdout, nagiosUnknown, errors.New("bad flags; run 'ovhfence check -h'"))
		}
		return code
	}
	fail := func(err error) int {
		if opts.nagios {
			return nagiosFailure(stdout, nagiosCritical, err)
		}
		return usageError(stderr, "check", err)
	}
	cfg, servers, err := opts.resolve()
	var permErr *ovhapi.PermissionError
	if errors.As(err, &permErr) {
		fmt.Fprintf(stdout, "FAIL: %s\n", permErr)
		return 1
	}
	if err != nil {
		return fail(err)
	}
	client, err := ovhapi.New(cfg, ovhapi.Options{})
	if err != nil {
		return fail(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, opts.timeout)
	defer cancel()

	if client.ServiceAccount() {
		return opts.checkAccount(ctx, client, servers, stdout, stderr)
	}
	report := keys.Check(ctx, client, servers, opts.maxSkew)
	if opts.nagios {
		return printNagios(stdout, report)
	}
	problems := report.Problems()
	opts.printWarnings(stdout, report.Warnings, report.Interventions)
	if len(problems) == 0 {
		fmt.Fprintf(stdout, "OK: the key can fence %s and nothing more (validated, unlimited validity, clock %s from OVH's)\n",
			strings.Join(servers, ", "), report.Skew.Round(time.Second))
		return 0
	}
	for _, problem := range problems {
		fmt.Fprintf(stdout, "FAIL: %s\n", problem)
	}
	fmt.Fprintf(stderr, "ovhfence check: the key is not right for fencing (%s)\n", keys.ProblemCount(len(problems)))
	return 1
}

// printWarnings prints what the servers read show, and in poweroff mode the
// servers OVH may send a technician to.
func (opts *checkOptions) printWarnings(stdout io.Writer, warnings, interventions []string) {
	if opts.mode == cluster.FencePoweroff {
		for _, sn := range interventions {
			warnings = append(warnings, ovhapi.InterventionWarning(sn))
		}
	}
	for _, warning := range warnings {
		fmt.Fprintf(stdout, "WARN: %s\n", warning)
	}
}

// resolve gathers the credentials and the servers from --cluster or from
// --config and --server; its errors name the flag to fix.
func (opts *checkOptions) resolve() (ovhapi.Config, []string, error) {
	servers := []string(opts.servers)
	if opts.clusterFile != "" {
		if len(servers) > 0 {
			return ovhapi.Config{}, nil, errors.New("give either --cluster or --server, not both: the cluster file names the servers")
		}
		c, err := cluster.Load(opts.clusterFile)
		if err != nil {
			return ovhapi.Config{}, nil, fmt.Errorf("--cluster: %w", err)
		}
		for _, node := range c.Nodes {
			servers = append(servers, node.Server)
		}
		opts.mode = c.FenceMode
		opts.creds.configFile = cmp.Or(opts.creds.configFile, c.Credentials)
		opts.creds.endpoint = cmp.Or(opts.creds.endpoint, c.Endpoint)
	}
	if len(servers) == 0 {
		return ovhapi.Config{}, nil, errors.New("--cluster FILE or --server is required: name the servers the key must fence")
	}
	cfg, err := opts.creds.load()
	if err != nil {
		return ovhapi.Config{}, nil, err
	}
	if cfg.ServiceAccount() {
		return cfg, servers, cfg.CheckAuthMethod()
	}
	if err := opts.creds.requireApplication(cfg); err != nil {
		return ovhapi.Config{}, nil, err
	}
	if cfg.ConsumerKey == "" {
		return ovhapi.Config{}, nil, fmt.Errorf("no consumer key: give --config OVH_CONF (as written by 'ovhfence keys request --write') or set $%s",
			ovhapi.EnvConsumerKey)
	}
	return cfg, servers, nil
}
