package keys

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ovhfence/ovhfence/ovhapi"
)

// The problems of a key are grouped: one line for what is missing and one
// per reason a rule is too broad, each with its remedy once, so that a key
// made for other servers reads as two lines, not one per rule.

// missingProblem is the one line naming every rule the key lacks.
func missingProblem(missing []ovhapi.Rule) string {
	if len(missing) == 1 {
		rule := missing[0]
		return fmt.Sprintf("missing rule %s %s (needed to %s); %s", rule.Method, rule.Path, Explain(rule), requestRemedy)
	}
	var whole []string // servers the key has no fencing rule for at all
	rest := missing
	for _, sn := range serversOf(missing) {
		if all := ovhapi.FencingRules(sn); containsAll(missing, all) {
			whole = append(whole, sn)
			rest = slices.DeleteFunc(slices.Clone(rest), func(r ovhapi.Rule) bool { return slices.Contains(all, r) })
		}
	}
	var parts []string
	if len(whole) > 0 {
		parts = append(parts, "every fencing rule for "+strings.Join(whole, ", "))
	}
	if len(rest) > 0 {
		parts = append(parts, ruleList(rest))
	}
	return fmt.Sprintf("missing %d rules: %s; %s", len(missing), strings.Join(parts, "; and "), requestRemedy)
}

// serversOf are the servers rules are about, in order, once each.
func serversOf(rules []ovhapi.Rule) []string {
	var servers []string
	for _, rule := range rules {
		if sn, _, ok := ovhapi.SplitServerPath(rule.Path); ok && !slices.Contains(servers, sn) {
			servers = append(servers, sn)
		}
	}
	return servers
}

func containsAll(rules, want []ovhapi.Rule) bool {
	for _, w := range want {
		if !slices.Contains(rules, w) {
			return false
		}
	}
	return true
}

// broadProblems are one line per reason some rules are broader than fencing needs.
func broadProblems(broad []BroadRule) []string {
	var reasons []string
	byReason := map[string][]ovhapi.Rule{}
	for _, b := range broad {
		if byReason[b.Reason] == nil {
			reasons = append(reasons, b.Reason)
		}
		byReason[b.Reason] = append(byReason[b.Reason], b.Rule)
	}
	const remedy = requestRemedy + ", which asks for the fencing rules only"
	problems := make([]string, 0, len(reasons))
	for _, reason := range reasons {
		rules := byReason[reason]
		if len(rules) == 1 {
			problems = append(problems, fmt.Sprintf("rule %s is broader than fencing needs (%s); %s", ruleList(rules), reason, remedy))
			continue
		}
		problems = append(problems, fmt.Sprintf("%d rules are broader than fencing needs (%s): %s; %s",
			len(rules), reason, ruleList(rules), remedy))
	}
	return problems
}

func ruleList(rules []ovhapi.Rule) string {
	names := make([]string, len(rules))
	for i, rule := range rules {
		names[i] = rule.Method + " " + rule.Path
	}
	return strings.Join(names, ", ")
}

// ProblemCount is "1 problem" or "N problems".
func ProblemCount(n int) string {
	if n == 1 {
		return "1 problem"
	}
	return fmt.Sprintf("%d problems", n)
}
