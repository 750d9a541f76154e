// Package keys builds, requests, waits for and audits the OVH consumer keys
// ovhfence needs (DESIGN.md D3, D4): a least-privilege fencing key with
// unlimited validity, and a separate short-lived read-only key for server
// discovery. It is a library for the wizard and the `keys`/`check` commands.
package keys

import (
	"github.com/ovhfence/ovhfence/ovhapi"
)

const serverPrefix = "/dedicated/server/"

// FencingRules are the least-privilege rules for fencing every given server,
// in the order of servers (DESIGN.md D3).
func FencingRules(servers []string) []ovhapi.Rule {
	var rules []ovhapi.Rule
	for _, sn := range servers {
		rules = append(rules, ovhapi.FencingRules(sn)...)
	}
	return rules
}

// DiscoveryRules are the read-only rules of the short-lived key the wizard uses
// to read servers and their boot catalogues: the named servers only, or, with
// no names, listing and reading every server of the account.
func DiscoveryRules(named ...string) []ovhapi.Rule {
	if len(named) == 0 {
		return []ovhapi.Rule{
			{Method: "GET", Path: "/dedicated/server"},
			{Method: "GET", Path: "/dedicated/server/*"},
		}
	}
	var rules []ovhapi.Rule
	for _, sn := range named {
		base := serverPrefix + sn
		rules = append(rules, ovhapi.Rule{Method: "GET", Path: base}, ovhapi.Rule{Method: "GET", Path: base + "/*"})
	}
	return rules
}

// optionalRules are per-server read-only rules a fencing key may carry without
// being too broad: the agent needs them to discover boot IDs when the
// configuration does not name them (DESIGN.md D2).
func optionalRules(sn string) []ovhapi.Rule {
	base := serverPrefix + sn
	return []ovhapi.Rule{
		{Method: "GET", Path: base + "/boot"},
		{Method: "GET", Path: base + "/boot/*"},
	}
}

// Explain says in one line why a rule is requested.
func Explain(rule ovhapi.Rule) string {
	if rule == (ovhapi.Rule{Method: "GET", Path: "/dedicated/server"}) {
		return "list the servers of the account, to choose which ones to fence"
	}
	if rule == (ovhapi.Rule{Method: "GET", Path: "/dedicated/server/*"}) {
		return "read every server and its boot catalogue, to find the rescue, power and disk boot IDs"
	}
	sn, sub, ok := ovhapi.SplitServerPath(rule.Path)
	if !ok {
		return "not used by ovhfence"
	}
	switch {
	case rule.Method == "GET" && sub == "":
		return "read " + sn + "'s boot setting and power state, to verify every fencing action"
	case rule.Method == "PUT" && sub == "":
		return "set " + sn + "'s next boot to rescue, power-off or disk before rebooting it"
	case rule.Method == "POST" && sub == "/reboot":
		return "hard-reboot " + sn + " into the boot that was just set: the fencing action itself"
	case rule.Method == "GET" && sub == "/task":
		return "find " + sn + "'s pending reboot when OVH's answer to a reboot request was lost"
	case rule.Method == "GET" && sub == "/task/*":
		return "follow " + sn + "'s reboot task until OVH reports it done"
	case rule.Method == "GET" && sub == "/boot":
		return "list " + sn + "'s boot IDs, when the configuration does not name them"
	case rule.Method == "GET" && sub == "/boot/*":
		return "read each of " + sn + "'s boots to tell rescue, power-off and disk apart"
	}
	return "not used by ovhfence"
}
