package ovhsim

import "strings"

// Rule is one consumer-key access rule: an exact HTTP method and a path glob
// relative to /1.0 in which "*" matches any run of characters, "/" included.
type Rule struct {
	Method string `json:"method"`
	Path   string `json:"path"`
}

// FencingRules is the least-privilege rule set for fencing the given servers
// (DESIGN.md D3, reference §5).
func FencingRules(servers ...string) []Rule {
	var rules []Rule
	for _, sn := range servers {
		base := "/dedicated/server/" + sn
		rules = append(rules,
			Rule{Method: "GET", Path: base},
			Rule{Method: "PUT", Path: base},
			Rule{Method: "POST", Path: base + "/reboot"},
			Rule{Method: "GET", Path: base + "/task"},
			Rule{Method: "GET", Path: base + "/task/*"},
		)
	}
	return rules
}

// exemptFromRules reports the calls OVH allows whatever the rules say.
func exemptFromRules(path string) bool { return globMatch("/auth/*", path) }

// rulesAllow reports whether a rule grants method on path (query stripped).
func rulesAllow(rules []Rule, method, path string) bool {
	for _, rule := range rules {
		if rule.Method == method && globMatch(rule.Path, path) {
			return true
		}
	}
	return false
}

// globMatch matches the whole of s against pattern, where "*" matches any
// (possibly empty) run of characters. It backtracks only to the last "*",
// which is enough because a later "*" can absorb anything an earlier one could.
func globMatch(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case p < len(pattern) && pattern[p] == s[i]:
			p++
			i++
		case star >= 0:
			mark++
			p, i = star+1, mark
		default:
			return false
		}
	}
	return strings.Trim(pattern[p:], "*") == ""
}
