package keys

import (
	"fmt"
	"time"

	"github.com/ovhfence/ovhfence/ovhapi"
)

// Report is what is wrong, if anything, with a fencing key for a set of servers.
// Audit fills the key's own facts; Check adds what only the live API can tell.
type Report struct {
	Servers    []string
	Status     string     // the credential's status
	Expiration *time.Time // nil = unlimited validity, as a fence key must be
	Missing    []ovhapi.Rule
	TooBroad   []BroadRule
	Skew       time.Duration // local clock minus OVH's; checked when SkewLimit > 0
	SkewLimit  time.Duration
	Unreadable []ServerError
	Warnings   []string // what the servers read show that is not the key's fault
	// Interventions are the servers OVH may send a technician to when they
	// are fenced in poweroff mode (ovhapi.Server.MayGetIntervention).
	Interventions []string
	// Unusable is set when the key could not be read at all; the other fields
	// are then empty.
	Unusable error
}

// BroadRule is a granted rule fencing does not need, and why it matters.
type BroadRule struct {
	Rule   ovhapi.Rule
	Reason string
}

// ServerError is a server the key failed to read.
type ServerError struct {
	Server string
	Err    error
}

const requestRemedy = "request a new key with 'ovhfence keys request'"

// Audit compares a credential with what fencing servers needs: every fencing
// rule granted, nothing broader, validated, unlimited validity.
func Audit(cred ovhapi.Credential, servers []string) Report {
	needed := FencingRules(servers)
	allowed := map[ovhapi.Rule]bool{}
	for _, rule := range needed {
		allowed[rule] = true
	}
	for _, sn := range servers {
		for _, rule := range optionalRules(sn) {
			allowed[rule] = true
		}
	}

	report := Report{Servers: servers, Status: cred.Status, Expiration: cred.Expiration}
	for _, rule := range needed {
		if !granted(cred.Rules, rule) {
			report.Missing = append(report.Missing, rule)
		}
	}
	seen := map[ovhapi.Rule]bool{}
	for _, rule := range cred.Rules {
		if allowed[rule] || seen[rule] {
			continue
		}
		seen[rule] = true
		report.TooBroad = append(report.TooBroad, BroadRule{Rule: rule, Reason: whyTooBroad(rule, servers)})
	}
	return report
}

// granted reports whether any of rules allows the call described by want.
func granted(rules []ovhapi.Rule, want ovhapi.Rule) bool {
	for _, rule := range rules {
		if rule.Method == want.Method && pathMatches(rule.Path, want.Path) {
			return true
		}
	}
	return false
}

func whyTooBroad(rule ovhapi.Rule, servers []string) string {
	inCluster := map[string]bool{}
	for _, sn := range servers {
		inCluster[sn] = true
	}
	switch sn, _, isServerPath := ovhapi.SplitServerPath(rule.Path); {
	case pathMatches(rule.Path, "/me"):
		return "it reaches the whole API, your account included"
	case pathMatches(rule.Path, serverPrefix+"another-server.example"):
		return "it reaches every server of the account"
	case rule.Method == "DELETE":
		return "fencing never deletes anything"
	case isServerPath && !inCluster[sn]:
		return sn + " is not one of the servers to fence"
	default:
		return "fencing does not use it"
	}
}

// Problems lists what is wrong, one line each, each with its remedy; rules
// are grouped (group.go).
func (r Report) Problems() []string {
	if r.Unusable != nil {
		return []string{fmt.Sprintf("the key cannot be used: %v", r.Unusable)}
	}
	var problems []string
	if p := statusProblem(r.Status); p != "" {
		problems = append(problems, p)
	}
	if r.Expiration != nil {
		problems = append(problems, expiryProblem(*r.Expiration, time.Now()))
	}
	if len(r.Missing) > 0 {
		problems = append(problems, missingProblem(r.Missing))
	}
	problems = append(problems, broadProblems(r.TooBroad)...)
	if p := skewProblem(r.Skew, r.SkewLimit); p != "" {
		problems = append(problems, p)
	}
	for _, unreadable := range r.Unreadable {
		problems = append(problems, fmt.Sprintf("cannot read server %s: %v", unreadable.Server, unreadable.Err))
	}
	return problems
}

func statusProblem(status string) string {
	switch status {
	case ovhapi.CredentialValidated:
		return ""
	case ovhapi.CredentialPending:
		return "the key is still waiting for validation: open its validation URL and accept it, or " + requestRemedy
	case ovhapi.CredentialRefused:
		return "the key was refused at validation: " + requestRemedy
	case ovhapi.CredentialExpired:
		return "the key has expired or was revoked: " + requestRemedy + " and choose unlimited validity"
	default:
		return fmt.Sprintf("the key's status is %q, not validated: %s", status, requestRemedy)
	}
}

func expiryProblem(expiration, now time.Time) string {
	when := expiration.UTC().Format("2006-01-02 15:04 MST")
	if !expiration.After(now) {
		return "the key expired on " + when + ": " + requestRemedy + " and choose unlimited validity"
	}
	left := expiration.Sub(now).Round(time.Minute)
	return fmt.Sprintf("the key expires on %s (in %s) and fencing will fail from then on: %s and choose unlimited validity",
		when, humanDuration(left), requestRemedy)
}

func skewProblem(skew, limit time.Duration) string {
	if limit <= 0 || (skew <= limit && -skew <= limit) {
		return ""
	}
	direction := "ahead of"
	if skew < 0 {
		direction, skew = "behind", -skew
	}
	return fmt.Sprintf("the local clock is %s %s OVH's (limit %s), so signed calls may be rejected: synchronise it with NTP (chronyd or ntpd)",
		humanDuration(skew), direction, humanDuration(limit))
}

// humanDuration rounds to the unit a person would use: days, hours, minutes or seconds.
func humanDuration(d time.Duration) string {
	d = d.Round(time.Second)
	units := []struct {
		size time.Duration
		name string
	}{{24 * time.Hour, "days"}, {time.Hour, "hours"}, {time.Minute, "minutes"}}
	for _, unit := range units {
		if d >= 2*unit.size {
			return fmt.Sprintf("%d %s", (d+unit.size/2)/unit.size, unit.name)
		}
	}
	return d.String()
}
