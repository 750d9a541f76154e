package tui

import (
	"fmt"
	"strings"

	"github.com/ovhfence/ovhfence/keys"
	"github.com/ovhfence/ovhfence/ovhapi"
)

// accountLines explain the service-account mode's fencing-key step: the
// setup key's rules and the policy's actions, each with its reason.
func accountLines(servers []string) []string {
	lines := []string{"A short-lived setup key (choose the shortest validity; it is ended once used) with these rules:"}
	for _, r := range keys.SetupRules() {
		lines = append(lines, fmt.Sprintf("  %-4s %s", r.Rule.Method, r.Rule.Path), "       to "+r.Reason)
	}
	lines = append(lines, "creates a service account and ONE IAM policy allowing exactly these actions:")
	for _, action := range ovhapi.FencingActions {
		lines = append(lines, "  "+action, "       to "+keys.ExplainAction(action))
	}
	return append(lines, "on exactly "+strings.Join(servers, ", ")+
		"; OVH's authorization check then proves the grant before anything is fenced.")
}
