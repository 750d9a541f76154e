package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ovhfence/ovhfence/keys"
	"github.com/ovhfence/ovhfence/ovhapi"
)

// checkAccount is `ovhfence check` for a service account: OVH's
// authorization check, as the account, must allow every fencing action on
// every server and deny the sample dangerous ones; with --admin-config the
// policies are read too, for grants beyond fencing and an expiry.
func (opts *checkOptions) checkAccount(ctx context.Context, client *ovhapi.Client, servers []string, stdout, stderr io.Writer) int {
	if opts.nagios {
		return nagiosFailure(stdout, nagiosUnknown, errors.New("--nagios audits consumer keys only; run 'ovhfence check' without it for a service account"))
	}
	report := keys.CheckAccount(ctx, client, servers)
	if report.Unusable == nil && opts.adminConfig != "" {
		audit, err := opts.readPolicies(ctx, report.Identities, servers)
		if err != nil {
			fmt.Fprintf(stdout, "FAIL: --admin-config: %v\n", err)
			return 1
		}
		report.Policy = &audit
	}
	opts.printWarnings(stdout, report.Warnings, report.Interventions)
	problems := report.Problems()
	if len(problems) == 0 {
		fmt.Fprintf(stdout, "OK: the service account may fence %s: OVH's authorization check allows %s on each and denies %s. "+
			"Note: %s also allows changing the servers' monitoring and boot script\n",
			strings.Join(servers, ", "), strings.Join(ovhapi.FencingActions, ", "), strings.Join(ovhapi.DangerousActions, ", "),
			"dedicatedServer:apiovh:put")
		if report.Policy == nil {
			fmt.Fprintln(stdout, "NOTE: grants beyond these actions and servers, and a policy expiry, are not checked without --admin-config")
		}
		return 0
	}
	for _, problem := range problems {
		fmt.Fprintf(stdout, "FAIL: %s\n", problem)
	}
	fmt.Fprintf(stderr, "ovhfence check: the service account is not right for fencing (%d problems)\n", len(problems))
	return 1
}

// readPolicies reads, with the --admin-config key, the policies that name
// the account's identities.
func (opts *checkOptions) readPolicies(ctx context.Context, identities, servers []string) (keys.PolicyAudit, error) {
	admin := credentialFlags{configFile: opts.adminConfig, endpoint: opts.creds.endpoint}
	cfg, err := admin.load()
	if err != nil {
		return keys.PolicyAudit{}, err
	}
	client, err := ovhapi.New(cfg, ovhapi.Options{})
	if err != nil {
		return keys.PolicyAudit{}, err
	}
	var policies []ovhapi.Policy
	for _, identity := range identities {
		found, err := client.PoliciesOf(ctx, identity)
		if err != nil {
			return keys.PolicyAudit{}, ovhapi.WithHint(err)
		}
		policies = append(policies, found...)
	}
	return keys.AuditPolicies(policies, servers), nil
}
