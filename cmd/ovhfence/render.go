package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ovhfence/ovhfence/cluster"
	"github.com/ovhfence/ovhfence/render"
)

func init() {
	register("render", "write cluster.conf.new (Proxmox VE 3) or a pcs or crm script from a cluster file", runRender)
}

// pveClusterConf is the live cluster.conf that render clusterconf starts from by default.
const pveClusterConf = "/etc/pve/cluster.conf"

const renderUsage = `Usage: ovhfence render clusterconf|pcs|crm --cluster FILE [--in FILE] [--out FILE|-]

  clusterconf  merge the fencing into a Proxmox VE 3 cluster.conf (default --in
               /etc/pve/cluster.conf when it exists, else a new file) and write
               cluster.conf.new beside it; the diff goes to stderr first
  pcs, crm     print a Pacemaker script (pcs) or crmsh configuration (crm)
`

// renderedOutput is what one kind of render produces, ready to be written.
type renderedOutput struct {
	data []byte
	old  []byte      // the file the output replaces in the cluster, shown as a diff; nil: no diff
	out  string      // where to write: a path, or "-" for stdout
	mode fs.FileMode // of a written file
}

func runRender(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "clusterconf" && args[0] != "pcs" && args[0] != "crm") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprint(stdout, renderUsage)
			return 0
		}
		fmt.Fprint(stderr, renderUsage)
		return 2
	}
	kind := args[0]
	flags := flag.NewFlagSet("render "+kind, flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() { fmt.Fprint(stderr, renderUsage); flags.PrintDefaults() }
	clusterFile := flags.String("cluster", "", "the cluster file (see examples/)")
	in := flags.String("in", "", "clusterconf: the cluster.conf to start from (default "+pveClusterConf+" if present)")
	out := flags.String("out", "", `where to write; "-" for stdout (default: cluster.conf.new beside --in for clusterconf, stdout otherwise)`)
	if err := flags.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *clusterFile == "" || flags.NArg() > 0 {
		flags.Usage()
		return 2
	}
	c, err := cluster.Load(*clusterFile)
	if err != nil {
		fmt.Fprintf(stderr, "ovhfence render: %v\n", err)
		return 1
	}
	var result renderedOutput
	switch kind {
	case "clusterconf":
		result, err = renderClusterConf(c, *in, *out, stderr)
	case "pcs":
		result, err = renderScript(render.PcsScript, c, *out, render.ScriptMode)
	case "crm":
		result, err = renderScript(render.CrmScript, c, *out, render.CrmFileMode)
	}
	if err == nil {
		err = writeRendered(result, stdout, stderr)
	}
	if err != nil {
		fmt.Fprintf(stderr, "ovhfence render %s: %v\n", kind, err)
		return 1
	}
	fmt.Fprintln(stderr)
	fmt.Fprint(stderr, render.NextSteps(c))
	return 0
}

func renderClusterConf(c *cluster.Cluster, in, out string, stderr io.Writer) (renderedOutput, error) {
	current, err := readClusterConf(in, stderr)
	if err != nil {
		return renderedOutput{}, err
	}
	data, err := render.ClusterConf(c, current)
	if err != nil {
		if in == "" && current != nil {
			in = pveClusterConf
		}
		return renderedOutput{}, fmt.Errorf("%s: %w", orScratch(in), err)
	}
	if out == "" {
		dir := filepath.Dir(pveClusterConf)
		if in != "" {
			dir = filepath.Dir(in)
		}
		out = filepath.Join(dir, render.ClusterConfNewName)
	}
	if current == nil {
		current = []byte{}
	}
	return renderedOutput{data: data, old: current, out: out, mode: render.ClusterConfMode}, nil
}

// readClusterConf reads the cluster.conf to merge into: the one named, or the
// live one if there is one, or nil to start from scratch.
func readClusterConf(in string, stderr io.Writer) ([]byte, error) {
	if in != "" {
		return os.ReadFile(in)
	}
	current, err := os.ReadFile(pveClusterConf)
	if errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(stderr, "%s not found: writing a new cluster.conf\n", pveClusterConf)
		return nil, nil
	}
	return current, err
}

func orScratch(in string) string {
	if in == "" {
		return "new cluster.conf"
	}
	return in
}

func renderScript(script func(*cluster.Cluster) ([]byte, error), c *cluster.Cluster, out string, mode fs.FileMode) (renderedOutput, error) {
	data, err := script(c)
	if out == "" {
		out = "-"
	}
	return renderedOutput{data: data, out: out, mode: mode}, err
}

// writeRendered shows the diff against the file being replaced, then writes the
// output atomically (keeping a .bak) or prints it.
func writeRendered(r renderedOutput, stdout, stderr io.Writer) error {
	if r.old != nil {
		if diff := render.ClusterConfDiff("cluster.conf", r.old, r.data); diff != "" {
			fmt.Fprint(stderr, diff)
		}
	}
	if r.out == "-" {
		_, err := stdout.Write(r.data)
		return err
	}
	if err := render.WriteFile(r.out, r.data, r.mode); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote %s\n", r.out)
	return nil
}
