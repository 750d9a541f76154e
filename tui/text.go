// Package tui is the front end of the setup wizard: a Bubble Tea + Lip Gloss
// screen when stdin and stdout are terminals, line prompts otherwise
// (--plain, ACCESSIBLE=1, TERM=dumb), and a no-prompt flags mode. All three
// drive the same wizard state machine and run its effects through the same
// wizard.Runner (DESIGN.md D9).
package tui

import (
	"fmt"
	"strings"

	"github.com/ovhfence/ovhfence/keys"
	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/wizard"
)

// The explanations both front ends show, one per step that needs one.
const (
	explainAppKeys = "An application key (AK) names ovhfence to OVH; its application secret (AS) " +
		"signs every call, so it is kept like a password. Create both once for your account:"
	explainDiscovery = "Type the service names of the servers to fence, or leave it empty to list every " +
		"server of the account. Either way ovhfence reads them and their boot IDs with a separate, " +
		"short-lived, read-only key (limited to the servers you name, ended once the files are " +
		"written), so the fencing key keeps exactly the rights fencing needs."
	explainModes = "rescue reboots a fenced node into OVH's rescue system (works on every range); " +
		"poweroff boots it into the power netboot, so it really stops."
	sandboxClicks   = "Sandbox: it will be accepted for you in a moment."
	explainLiveTest = "status is harmless. A real fence cycle turns one node off and on again: " +
		"only do it on a node whose services can stop."
)

// openURLLine asks the person to validate a key, with the validity it needs:
// the fencing key must never expire, the discovery key should soon.
func openURLLine(purpose string) string {
	validity := "a short validity (the key only serves this setup)"
	if purpose == wizard.PurposeFencing {
		validity = "validity Unlimited (fencing must never stop working)"
	}
	return fmt.Sprintf("Open this URL, log in and accept the %s key with %s:", purpose, validity)
}

// stepHeader is "[3/9] Servers".
func stepHeader(step wizard.Step) string {
	return fmt.Sprintf("[%d/%d] %s", int(step)+1, wizard.StepCount, step)
}

// preflightLines say what the preflight found.
func preflightLines(pf wizard.Preflight) []string {
	var lines []string
	if pf.SandboxNote != "" {
		lines = append(lines, pf.SandboxNote)
	}
	if len(pf.Detected) > 0 {
		lines = append(lines, "Detected: "+wizard.TargetNames(pf.Detected))
	} else if !pf.Sandbox {
		lines = append(lines, "No cluster stack detected (no /etc/pve/cluster.conf, pcs or crm).")
	}
	if pf.NodesSource != "" {
		lines = append(lines, fmt.Sprintf("Nodes read from %s: %s", pf.NodesSource, strings.Join(pf.Nodes, " ")))
	}
	return lines
}

// createAppLine points at the page creating application keys.
func createAppLine(endpoint string) string {
	if url := ovhapi.CreateAppURL(endpoint); url != "" {
		return "  " + url
	}
	return "  (" + endpoint + " is a URL: use the keys its operator gave you)"
}

// serverLines is the table of discovered servers, then a warning for each
// server OVH reports in a state other than ok.
func serverLines(servers []wizard.ServerInfo) []string {
	lines := []string{fmt.Sprintf("%-26s %-26s %-6s %s", "SERVER", "REVERSE", "DC", "STATE")}
	var warnings []string
	for _, s := range servers {
		lines = append(lines, fmt.Sprintf("%-26s %-26s %-6s %s", s.Name, s.Reverse, s.Datacenter, s.State))
		if w := (ovhapi.Server{Name: s.Name, State: s.State}).StateWarning(); w != "" {
			warnings = append(warnings, "Warning: "+w+".")
		}
	}
	return append(lines, warnings...)
}

// bootLines is the table of boot IDs per mapped server.
func bootLines(s wizard.State) []string {
	w := nodeWidth(s.Answers.Nodes, 8)
	lines := []string{fmt.Sprintf("%-*s %-26s %8s %8s %5s", w, "NODE", "SERVER", "RESCUE", "POWER", "DISK")}
	for _, node := range s.Answers.Nodes {
		sn := s.Answers.Mapping[node]
		b := s.Facts.Boots[sn]
		power := fmt.Sprint(b.Power)
		if b.Power == 0 {
			power = "none"
		}
		lines = append(lines, fmt.Sprintf("%-*s %-26s %8d %8s %5d", w, node, sn, b.Rescue, power, b.Disk))
	}
	return append(lines, netbootLines(s)...)
}

// nodeWidth is the width of a NODE column: the longest name, and at least least.
// Nodes are often named after their servers, 24 characters.
func nodeWidth(nodes []string, least int) int {
	for _, node := range nodes {
		least = max(least, len(node))
	}
	return least
}

// netbootLines say what each chosen netboot is, in OVH's words, and on which
// nodes: "rescue = Customer rescue system (Debian-12-based): node1, node2".
func netbootLines(s wizard.State) []string {
	var lines []string
	for _, kind := range []string{"rescue", "power"} {
		var order []string
		nodes := map[string][]string{}
		for _, node := range s.Answers.Nodes {
			b := s.Facts.Boots[s.Answers.Mapping[node]]
			description := b.RescueDescription
			if kind == "power" {
				description = b.PowerDescription
			}
			if description == "" {
				continue
			}
			if nodes[description] == nil {
				order = append(order, description)
			}
			nodes[description] = append(nodes[description], node)
		}
		for _, description := range order {
			lines = append(lines, fmt.Sprintf("%-6s = %s: %s", kind, description, strings.Join(nodes[description], ", ")))
		}
	}
	return lines
}

// interventionLines explain, in poweroff mode, the risk of OVH's monitoring.
func interventionLines(servers []string) []string {
	return []string{
		"OVH monitors these servers by ping with proactive intervention: powered off by fencing, they stop " +
			"answering and OVH may send a technician to restart them.",
		"  " + strings.Join(servers, ", "),
		"Setting noIntervention (\"Prevent datacenter intervention\") with the fencing key stops that.",
	}
}

// ruleLines are the fencing key's rules: the same ones per server, each with
// the reason it is needed, then the servers they are granted on.
func ruleLines(servers []string) []string {
	const placeholder = "{sn}"
	lines := []string{"For each server {sn}, exactly these rules, with unlimited validity:"}
	for _, rule := range ovhapi.FencingRules(placeholder) {
		lines = append(lines, fmt.Sprintf("  %-4s %s", rule.Method, rule.Path),
			"       "+reasonWithoutServer(keys.Explain(rule), placeholder))
	}
	for _, sn := range servers {
		lines = append(lines, "  {sn} = "+sn)
	}
	return lines
}

// reasonWithoutServer shortens "read {sn}'s boot…" to "read its boot…".
func reasonWithoutServer(reason, sn string) string {
	return strings.ReplaceAll(strings.ReplaceAll(reason, sn+"'s", "its"), sn, "it")
}

// powerLines list each node's power state as the agent's status reads it.
func powerLines(s wizard.State) []string {
	var lines []string
	w := nodeWidth(s.Answers.Nodes, 8)
	for _, node := range s.Answers.Nodes {
		sn := s.Answers.Mapping[node]
		if p, ok := s.Facts.Power[sn]; ok {
			lines = append(lines, fmt.Sprintf("%-*s %-26s %s", w, node, sn, p))
		}
	}
	if c := s.Facts.Cycle; c != nil {
		lines = append(lines, fmt.Sprintf("Fence test: %s off (verified) in %s, on (verified) in %s",
			c.Node, c.Off.Round(1e8), c.On.Round(1e8)))
	}
	return lines
}

// fileLines list the outputs and what each is for.
func fileLines(files []wizard.File) []string {
	var lines []string
	for _, f := range files {
		lines = append(lines, f.Path, "  "+f.Purpose)
	}
	return lines
}

// summaryLines say what was written, what for (with what it changed, such as
// cluster.conf's quorum), and what to do next.
func summaryLines(s wizard.State) []string {
	lines := []string{"Written:"}
	for _, p := range s.Facts.Written {
		if backup := s.Facts.Backups[p]; backup != "" {
			p += " (the file it replaced is kept in " + backup + ")"
		}
		lines = append(lines, "  "+p)
		for _, f := range s.Facts.Files {
			if f.Path == p {
				lines = append(lines, "    "+f.Purpose)
			}
		}
	}
	lines = append(lines, s.Facts.Next...) // headed "Next steps on …" by render, one block per target
	lines = append(lines, "The same setup without questions:")
	for _, l := range commandLine(s) {
		lines = append(lines, "  "+l)
	}
	return append(lines, "Done (log saved to "+s.Facts.LogPath+")")
}

// RecoveryText tells how to bring back the node of an unfinished fence test,
// with the command on a line of its own, to be printed whole; "" when none is needed.
func RecoveryText(s wizard.State) string {
	if s.Facts.Recovery == "" {
		return ""
	}
	return fmt.Sprintf("The fence test of %s did not finish: %s may still be off or in rescue. "+
		"Bring it back on its disk with (keys in %s):\n%s",
		s.Answers.FenceTest, s.Answers.Mapping[s.Answers.FenceTest], s.Facts.Pending, s.Facts.Recovery)
}
