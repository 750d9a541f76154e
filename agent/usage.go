package agent

import (
	"sort"
	"strings"
)

const (
	usageWidth      = 80
	usageIndent     = "   "
	usageNameColumn = 31 // fencing.py pads the getopt text of its help lines to 31 columns
)

// Usage returns the -h text in fence-agents' layout: the Usage line, then every
// option once (under its getopt text), then the actions.
func Usage(version string) string {
	var b strings.Builder
	b.WriteString(agentName + " " + version + ": " + agentShortdesc + "\n")
	b.WriteString("Usage:\n\t" + agentName + " [options]\n")
	b.WriteString("\t" + agentName + " < key=value lines (as Pacemaker and cman run it)\n")
	b.WriteString("Options:\n")
	for _, opt := range optionsInUsageOrder() {
		writeUsageEntry(&b, opt.mixed, optionSummary(opt))
	}
	b.WriteString("Commands (with -o):\n")
	for _, c := range agentCommands {
		writeUsageEntry(&b, c.name, c.desc)
	}
	return b.String()
}

// optionsInUsageOrder lists the options as usage shows them: sorted by (order,
// canonical name), without the ignored ones.
func optionsInUsageOrder() []*option {
	opts := make([]*option, 0, len(optionTable))
	for i := range optionTable {
		if !optionTable[i].obsolete {
			opts = append(opts, &optionTable[i])
		}
	}
	sort.Slice(opts, func(a, b int) bool {
		if opts[a].order != opts[b].order {
			return opts[a].order < opts[b].order
		}
		return opts[a].canonical() < opts[b].canonical()
	})
	return opts
}

// optionSummary is the option's description with its choices and default, as in
// fence-agents' manual pages.
func optionSummary(opt *option) string {
	summary := opt.shortdesc
	if opt.kind == kindSelect {
		summary += " (" + strings.Join(opt.choices, "|") + ")"
	}
	if opt.def != "" {
		summary += " (Default Value: " + opt.def + ")"
	}
	return summary
}

// writeUsageEntry writes name padded to its column and desc wrapped under itself.
func writeUsageEntry(b *strings.Builder, name, desc string) {
	b.WriteString(usageIndent + name)
	column := len(usageIndent) + len(name)
	descColumn := len(usageIndent) + usageNameColumn
	if column >= descColumn {
		b.WriteString("\n")
		column = 0
	}
	b.WriteString(strings.Repeat(" ", descColumn-column))
	column = descColumn
	for k, word := range strings.Fields(desc) {
		if k > 0 && column+1+len(word) > usageWidth {
			b.WriteString("\n" + strings.Repeat(" ", descColumn))
			column = descColumn
		} else if k > 0 {
			b.WriteString(" ")
			column++
		}
		b.WriteString(word)
		column += len(word)
	}
	b.WriteString("\n")
}
