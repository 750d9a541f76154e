package tui

import (
	"fmt"

	"github.com/ovhfence/ovhfence/cluster"
	"github.com/ovhfence/ovhfence/render"
	"github.com/ovhfence/ovhfence/wizard"
)

// Flags the command line repeating a run needs beyond the questions' own.
const (
	FlagSandbox     = "--sandbox"
	FlagConfig      = "--config"
	FlagCredentials = "--credentials"
	FlagOut         = "--out"
	FlagClusterConf = "--cluster-conf"
	FlagSeedServers = "--seed-servers"
)

// commandWidth is the width the repeat command is packed into, so each of its
// lines, " \" included, fits an 80-column terminal.
const commandWidth = 76

// commandLine is the command that repeats this run without a question
// (reference/aesthetics-ux.md §3.3), as shell lines joined by " \". It holds
// no secret: the keys are read back from the ovh.conf the run wrote, which
// also holds the fencing key, so no new one is requested. The real fence
// test is left out on purpose: it reboots a server.
func commandLine(s wizard.State) []string {
	a, f := s.Answers, s.Facts
	args := []string{"ovhfence", "setup", flagName(&wizard.FieldConfirm)}
	if f.Preflight.Sandbox {
		args = append(args, FlagSandbox)         // the sandbox brings its own endpoint and keys
		if n := f.Preflight.SeedServers; n > 0 { // the servers mapped may be past its default four
			args = append(args, fmt.Sprintf("%s %d", FlagSeedServers, n))
		}
	} else if creds := secretPath(f.Files); creds != "" {
		args = append(args, FlagConfig+" "+render.ShellQuote(creds))
		if creds != cluster.DefaultCredentialsPath(a.Targets[0]) {
			args = append(args, FlagCredentials+" "+render.ShellQuote(creds))
		}
	}
	if conf := f.Preflight.ClusterConf; conf != "" { // the file pve3's output merges into
		args = append(args, FlagClusterConf+" "+render.ShellQuote(conf))
	}
	if f.OutDir != "" && f.OutDir != "." {
		args = append(args, FlagOut+" "+render.ShellQuote(f.OutDir))
	}
	args = append(args, wizard.RepeatArgs(a, render.ShellQuote)...) // one --map per node: a line each fits 80 columns
	return PackArgs(args, commandWidth)
}

// secretPath is where the previewed files put the keys.
func secretPath(files []wizard.File) string {
	for _, f := range files {
		if f.Secret {
			return f.Path
		}
	}
	return ""
}

// PackArgs puts as many arguments on a line as fit width, continuing lines
// with " \"; an argument wider than width gets a line of its own.
func PackArgs(args []string, width int) []string {
	var lines []string
	line := ""
	for _, arg := range args {
		switch {
		case line == "":
			line = arg
		case len(line)+1+len(arg) <= width:
			line += " " + arg
		default:
			lines = append(lines, line+` \`)
			line = "    " + arg
		}
	}
	return append(lines, line)
}
