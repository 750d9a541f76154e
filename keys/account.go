package keys

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ovhfence/ovhfence/ovhapi"
)

// A service account has no rules to read: OVH's authorization check (POST
// /v2/iam/authorization/check) says, as the account, which actions its IAM
// policies allow on each server, without performing any.

// AccountChecker is what CheckAccount calls on OVH: reads and the
// authorization check only. *ovhapi.Client is one.
type AccountChecker interface {
	AuthDetails(ctx context.Context) (ovhapi.AuthDetails, error)
	CheckAuthorization(ctx context.Context, actions, resourceURNs []string) ([]ovhapi.Authorization, error)
	serverGetter
}

// Grant is one IAM action on one server.
type Grant struct {
	Server, Action string
}

// AccountReport is the audit of a service account.
type AccountReport struct {
	Servers    []string
	Identities []string
	Missing    []Grant // fencing actions the account may not perform
	Dangerous  []Grant // sample destructive actions it may perform
	Unreadable []ServerError
	Warnings   []string
	// Interventions as in Report.
	Interventions []string
	// Policy holds what the policies themselves show (--admin-config), when read.
	Policy *PolicyAudit
	// Unusable is set when the account could not be audited at all.
	Unusable error
}

// actionUse says what fencing does with each action; the put right is wider
// than the netboot write fencing makes.
var actionUse = map[string]string{
	"dedicatedServer:apiovh:get":      "read the server and its power state",
	"dedicatedServer:apiovh:put":      "set its netboot (the same action also allows changing its monitoring and boot script)",
	"dedicatedServer:apiovh:reboot":   "hard-reboot it",
	"dedicatedServer:apiovh:task/get": "follow the reboot task and find a pending one",
	"dedicatedServer:apiovh:boot/get": "discover its rescue and power netboots",
}

// ExplainAction says what fencing needs an IAM action for ("" if it does not).
func ExplainAction(action string) string { return actionUse[action] }

// CheckAccount audits the service account client authenticates as against
// servers: every fencing action allowed on every server, no sample dangerous
// action allowed, every server readable. It changes nothing on OVH.
func CheckAccount(ctx context.Context, client AccountChecker, servers []string) AccountReport {
	report := AccountReport{Servers: servers}
	details, err := client.AuthDetails(ctx)
	if err != nil {
		report.Unusable = ovhapi.WithHint(err)
		return report
	}
	if details.Method != ovhapi.MethodServiceAccount {
		report.Unusable = fmt.Errorf("OVH authenticates these credentials as %q, not as a service account (%s)", details.Method, ovhapi.MethodServiceAccount)
		return report
	}
	report.Identities = details.Identities
	urns := make([]string, len(servers))
	for i, sn := range servers {
		urns[i] = ovhapi.ServerURN(sn)
	}
	actions := append(slices.Clone(ovhapi.FencingActions), ovhapi.DangerousActions...)
	answers, err := client.CheckAuthorization(ctx, actions, urns)
	if err != nil {
		report.Unusable = ovhapi.WithHint(err)
		return report
	}
	for i, sn := range servers {
		answer := answers[i]
		if answer.ResourceURN != urns[i] {
			report.Unusable = fmt.Errorf("the authorization check answered about %s when asked about %s", answer.ResourceURN, urns[i])
			return report
		}
		for _, action := range ovhapi.FencingActions {
			if !answer.Allows(action) {
				report.Missing = append(report.Missing, Grant{sn, action})
			}
		}
		for _, action := range ovhapi.DangerousActions {
			if answer.Allows(action) {
				report.Dangerous = append(report.Dangerous, Grant{sn, action})
			}
		}
		if !answer.Allows("dedicatedServer:apiovh:get") {
			continue // already reported as missing
		}
		readServer(ctx, client, sn, &report.Unreadable, &report.Warnings, &report.Interventions)
	}
	return report
}

const policyRemedy = "edit the service account's IAM policy"

// Problems lists what is wrong, one line each with its remedy.
func (r AccountReport) Problems() []string {
	if r.Unusable != nil {
		return []string{fmt.Sprintf("the service account cannot be used: %v", r.Unusable)}
	}
	var problems []string
	for _, g := range r.Missing {
		problems = append(problems, fmt.Sprintf("the service account may not %s on %s (IAM action %s on %s); %s to allow it",
			ExplainAction(g.Action), g.Server, g.Action, ovhapi.ServerURN(g.Server), policyRemedy))
	}
	for _, g := range r.Dangerous {
		problems = append(problems, fmt.Sprintf("the service account may %s on %s, which fencing never needs; %s to remove it",
			g.Action, g.Server, policyRemedy))
	}
	for _, unreadable := range r.Unreadable {
		problems = append(problems, fmt.Sprintf("cannot read server %s: %v", unreadable.Server, unreadable.Err))
	}
	if r.Policy != nil {
		problems = append(problems, r.Policy.problems(time.Now())...)
	}
	return problems
}

// PolicyAudit is what the policies naming the account grant beyond fencing,
// as read with an administrator's key (GET /v2/iam/policy).
type PolicyAudit struct {
	ExtraActions   []string // allowed actions that are not fencing's
	ExtraResources []string // resources that are not the cluster's servers
	ExpiresAt      *time.Time
}

// AuditPolicies reads policies for what the authorization check cannot show:
// grants beyond the cluster and an expiry.
func AuditPolicies(policies []ovhapi.Policy, servers []string) PolicyAudit {
	var audit PolicyAudit
	for _, p := range policies {
		for _, a := range p.Permissions.Allow {
			if !slices.Contains(ovhapi.FencingActions, a.Action) && !slices.Contains(audit.ExtraActions, a.Action) {
				audit.ExtraActions = append(audit.ExtraActions, a.Action)
			}
		}
		for _, res := range p.Resources {
			if !slices.ContainsFunc(servers, func(sn string) bool { return ovhapi.ServerURN(sn) == res.URN }) &&
				!slices.Contains(audit.ExtraResources, res.URN) {
				audit.ExtraResources = append(audit.ExtraResources, res.URN)
			}
		}
		if p.ExpiredAt != nil && (audit.ExpiresAt == nil || p.ExpiredAt.Before(*audit.ExpiresAt)) {
			audit.ExpiresAt = p.ExpiredAt
		}
	}
	return audit
}

func (a PolicyAudit) problems(now time.Time) []string {
	var problems []string
	if len(a.ExtraActions) > 0 {
		problems = append(problems, fmt.Sprintf("the service account's policies allow more than fencing: %s; %s to allow the fencing actions only",
			strings.Join(a.ExtraActions, ", "), policyRemedy))
	}
	if len(a.ExtraResources) > 0 {
		problems = append(problems, fmt.Sprintf("the service account's policies cover more than the cluster's servers: %s; %s to name these servers only",
			strings.Join(a.ExtraResources, ", "), policyRemedy))
	}
	if a.ExpiresAt != nil {
		when := "expires"
		if !now.Before(*a.ExpiresAt) {
			when = "expired"
		}
		problems = append(problems, fmt.Sprintf("a policy of the service account %s on %s: fencing will then be refused; %s to remove its expiry",
			when, a.ExpiresAt.UTC().Format(time.RFC3339), policyRemedy))
	}
	return problems
}

// SetupRule is one access rule of the short-lived setup key that creates a
// service account, with what it is for.
type SetupRule struct {
	Rule   ovhapi.Rule
	Reason string
}

// SetupRules are the rules of the setup key: create the OAuth2 client, read
// its IAM identity, create its policy. /auth/* (to end the key) needs none.
// The v2 policy path is written with its /v2 prefix, as the call is made
// [unverified: how OVH matches consumer-key rules on API v2 paths is not
// documented in the reference].
func SetupRules() []SetupRule {
	return []SetupRule{
		{ovhapi.Rule{Method: "POST", Path: "/me/api/oauth2/client"}, "create the service account (an OAuth2 client with the client-credentials flow)"},
		{ovhapi.Rule{Method: "GET", Path: "/me/api/oauth2/client/*"}, "read the new account's IAM identity, which its policy names"},
		{ovhapi.Rule{Method: "POST", Path: "/v2/iam/policy"}, "create the IAM policy that allows the fencing actions on the cluster's servers only"},
	}
}
