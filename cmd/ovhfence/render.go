package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ovhfence/ovhfence/atomicfile"
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

The next steps that follow are those of the kind rendered, naming the file written.
`

// renderKinds are what render makes, and the target whose next steps follow each.
var renderKinds = map[string]cluster.Target{"clusterconf": cluster.TargetPVE3, "pcs": cluster.TargetPcs, "crm": cluster.TargetCrm}

// renderOptions are render's flags, the same for every kind.
type renderOptions struct{ cluster, in, out string }

func (o *renderOptions) flagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.cluster, "cluster", "", "the cluster file (see examples/)")
	fs.StringVar(&o.in, "in", "", "clusterconf: the cluster.conf to start from (default "+pveClusterConf+" if present)")
	fs.StringVar(&o.out, "out", "", `where to write; "-" for stdout (default: cluster.conf.new beside --in for clusterconf, stdout otherwise)`)
	fs.Usage = func() { printRenderHelp(stderr, fs) }
	return fs
}

// printRenderHelp prints the kinds, the flags and the examples.
func printRenderHelp(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, renderUsage+"\nFlags:\n")
	fs.SetOutput(w)
	fs.PrintDefaults()
	printExamples(w, "render")
}

// renderedOutput is what one kind of render produces, ready to be written.
type renderedOutput struct {
	data    []byte
	old     []byte // the file the output replaces in the cluster, shown as a diff; nil: no diff
	oldName string // its name in the diff
	out     atomicfile.Destination
	mode    fs.FileMode // of a written file
}

func runRender(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	var opts renderOptions
	if _, known := renderKinds[firstArg(args)]; !known {
		fs := opts.flagSet("render", stderr)
		if wantsHelp(args) {
			printRenderHelp(stdout, fs)
			return 0
		}
		fs.Usage()
		return 2
	}
	kind := args[0]
	flags := opts.flagSet("render "+kind, stderr)
	if code, done := parseFlags(flags, args[1:]); done {
		return code
	}
	if opts.cluster == "" {
		flags.Usage()
		return 2
	}
	c, err := cluster.Load(opts.cluster)
	if err != nil {
		fmt.Fprintf(stderr, "ovhfence render: %v\n", err)
		return 1
	}
	var result renderedOutput
	switch kind {
	case "clusterconf":
		result, err = renderClusterConf(c, opts.in, opts.out, stderr)
	case "pcs":
		result, err = renderScript(render.PcsScript, c, opts.out, render.ScriptMode)
	case "crm":
		result, err = renderScript(render.CrmScript, c, opts.out, render.CrmFileMode)
	}
	var written string
	if err == nil {
		written, err = writeRendered(result, stdout, stderr)
	}
	if err != nil {
		fmt.Fprintf(stderr, "ovhfence render %s: %v\n", kind, err)
		return 1
	}
	fmt.Fprintln(stderr)
	fmt.Fprint(stderr, render.NextStepsFor(*c, renderKinds[kind], written))
	return 0
}

func firstArg(args []string) string {
	if len(args) == 0 {
		return ""
	}
	return args[0]
}

func renderClusterConf(c *cluster.Cluster, in, out string, stderr io.Writer) (renderedOutput, error) {
	if out == "" {
		dir := filepath.Dir(pveClusterConf)
		if in != "" {
			dir = filepath.Dir(in)
		}
		out = filepath.Join(dir, render.ClusterConfNewName)
	}
	dest, err := atomicfile.Resolve(out)
	if err != nil {
		return renderedOutput{}, fmt.Errorf("--out: %w", err)
	}
	current, err := readClusterConf(in, stderr)
	if err != nil {
		return renderedOutput{}, err
	}
	pending, err := readPending(dest)
	if err != nil {
		return renderedOutput{}, err
	}
	merged, err := render.MergeClusterConf(c, current, pending)
	if err != nil {
		if in == "" && current != nil {
			in = pveClusterConf
		}
		if merged.IntoPending {
			in = out
		}
		return renderedOutput{}, fmt.Errorf("%s: %w", orScratch(in), err)
	}
	for _, note := range merged.Quorum {
		fmt.Fprintln(stderr, note)
	}
	oldName := "cluster.conf"
	if merged.IntoPending {
		oldName = render.ClusterConfNewName
		fmt.Fprintf(stderr, "%s holds pending edits that differ from cluster.conf: merging into them, not starting over; "+
			"the diff below is against %s\n", out, out)
	}
	old := merged.Base
	if old == nil {
		old = []byte{} // a new file: the diff shows all of it
	}
	return renderedOutput{data: merged.Data, old: old, oldName: oldName, out: dest, mode: render.ClusterConfMode}, nil
}

// readPending reads the cluster.conf.new the output would replace: Proxmox VE
// 3's pending edit. nil when the output is a stream or absent.
func readPending(dest atomicfile.Destination) ([]byte, error) {
	if dest.Kind != atomicfile.File || filepath.Base(dest.Path) != render.ClusterConfNewName {
		return nil, nil
	}
	data, err := os.ReadFile(dest.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return data, err
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
	dest, err := atomicfile.Resolve(cmp.Or(out, "-"))
	if err != nil {
		return renderedOutput{}, fmt.Errorf("--out: %w", err)
	}
	data, err := script(c)
	return renderedOutput{data: data, out: dest, mode: mode}, err
}

// writeRendered shows the diff against the file being replaced, then writes the
// output through atomicfile (keeping a numbered backup, named), prints it or
// discards it. It returns the path written, "" for a stream.
func writeRendered(r renderedOutput, stdout, stderr io.Writer) (string, error) {
	if r.old != nil {
		if diff := render.ClusterConfDiff(r.oldName, r.old, r.data); diff != "" {
			fmt.Fprint(stderr, diff)
		}
	}
	written, err := r.out.Write(r.data, atomicfile.Options{Mode: r.mode, Backup: true}, stdout, stderr)
	if err != nil || r.out.Kind != atomicfile.File {
		return "", err
	}
	if written.Backup != "" {
		fmt.Fprintf(stderr, "kept the previous content in %s\n", written.Backup)
	}
	fmt.Fprintf(stderr, "wrote %s\n", written.Path)
	return written.Path, nil
}
