package render

import (
	"regexp"
	"strings"

	"github.com/ovhfence/ovhfence/cluster"
)

// pmxcfsRoot is Proxmox's cluster file system, replicated to every node.
const pmxcfsRoot = "/etc/pve/"

// NextSteps is what the admin does after the files are written: validate and
// activate (Proxmox VE 3) or run the script (Pacemaker), join the fence domain,
// copy the credentials where needed, and test without fencing first.
func NextSteps(c *cluster.Cluster) string {
	view := struct {
		*cluster.Cluster
		FirstDevice, FirstServer string
		Replicated               bool
		Timing                   Timing
		StonithTimeout           int
	}{
		Cluster:        c,
		Replicated:     c.Target == cluster.TargetPVE3 && strings.HasPrefix(c.Credentials, pmxcfsRoot),
		FirstDevice:    DeviceName(c.Nodes[0].Name),
		FirstServer:    c.Nodes[0].Server,
		Timing:         TimingOf(c),
		StonithTimeout: stonithTimeout(c),
	}
	out, err := execute("next-steps.tmpl", view)
	if err != nil {
		panic(err) // the embedded template is fixed; tests execute it for every target
	}
	return string(out)
}

// pve3ClusterConfNew is where the Proxmox VE 3 next steps expect the merged file.
const pve3ClusterConfNew = pmxcfsRoot + ClusterConfNewName

// nextStepsPlaceholder is how the next steps name the pcs script or the crm
// file, which only the writer knows the path of.
var nextStepsPlaceholder = regexp.MustCompile(`\b(SCRIPT|FILE)\b`)

// NextStepsFor are the next steps of target (which may differ from the
// cluster file's own), naming path, the file actually written for it, where
// the steps name the script, the crm file or /etc/pve/cluster.conf.new. An
// empty path (the output went to stdout) keeps those names.
func NextStepsFor(c cluster.Cluster, target cluster.Target, path string) string {
	c.Target = target
	text := NextSteps(&c)
	if path == "" {
		return text
	}
	quoted := ShellQuote(path) // the lines are commands to paste
	text = strings.ReplaceAll(text, pve3ClusterConfNew, quoted)
	return nextStepsPlaceholder.ReplaceAllLiteralString(text, quoted)
}
