package agent

import (
	"bytes"
	"strings"
)

// manExamples are shown verbatim in the EXAMPLES section, each after its caption.
var manExamples = []struct{ caption, text string }{
	{
		"Create a Pacemaker fence device with pcs; the keys stay in /etc/ovh.conf, out of the CIB. " +
			"The action timeouts must exceed power_timeout, because OVH reboot tasks take minutes:",
		"pcs stonith create fence_node1 fence_ovh \\\n" +
			"    plug=ns1234567.ip-1-2-3.eu ovh_config=/etc/ovh.conf \\\n" +
			"    pcmk_host_list=node1 pcmk_off_timeout=400s pcmk_reboot_timeout=400s",
	},
	{
		"Ask for a server's status the way the cluster does, with parameters on stdin:",
		"printf 'action=status\\nplug=ns1234567.ip-1-2-3.eu\\novh_config=/etc/ovh.conf\\n' | fence_ovh",
	},
	{
		"The same from the command line:",
		"fence_ovh -o status -n ns1234567.ip-1-2-3.eu --ovh-config=/etc/ovh.conf",
	},
}

var manExitStatus = []struct{ code, meaning string }{
	{"0", "Success; for status, the server is ON."},
	{"1", "Failure: bad parameters, an OVH API error, a failed or cancelled reboot task, or a timeout. One Failed: line on stderr says which."},
	{"2", "status only: the server is proven OFF (powered off on a netboot other than its disk, no reboot pending)."},
}

// roffEscaper makes text safe inside troff: backslashes print as such and
// hyphens stay hyphen-minus, so options and server names can be copied.
var roffEscaper = strings.NewReplacer(`\`, `\e`, "-", `\-`)

// roffLine escapes text and protects a leading dot or apostrophe from being read as a request.
func roffLine(text string) string {
	text = roffEscaper.Replace(text)
	if strings.HasPrefix(text, ".") || strings.HasPrefix(text, "'") {
		return `\&` + text
	}
	return text
}

// Manpage returns fence_ovh(8) in troff, generated from the option table like
// fence-agents' fence2man.xsl output, plus examples and exit status.
func Manpage(version string) []byte {
	var b bytes.Buffer
	line := func(s string) { b.WriteString(s + "\n") }
	line(`.TH FENCE_OVH 8 "" "ovhfence ` + roffLine(version) + `" "System Manager's Manual"`)
	line(".nh") // option and parameter names must not be hyphenated
	line(".SH NAME")
	line(agentName + ` \- ` + roffLine(agentShortdesc))
	line(".SH SYNOPSIS")
	line(".B " + agentName)
	line(`[\fIoptions\fR]`)
	line(".br")
	line(".B " + agentName)
	line(`< \fIkey=value lines\fR`)
	line(".SH DESCRIPTION")
	for _, paragraph := range agentLongdesc {
		line(".P")
		line(roffLine(paragraph))
	}
	line(".P")
	line(agentName + " accepts options on the command line as well as from stdin. " +
		"Pacemaker's fencer and cman's fenced run it with no arguments and send the parameters on stdin, " +
		"one key=value per line (see STDIN PARAMETERS).")
	line(".P")
	line("Vendor URL: " + roffLine(agentVendorURL))
	line(".SH PARAMETERS")
	for _, opt := range optionsInUsageOrder() {
		manItem(line, ".B "+roffLine(opt.mixed), optionSummary(opt))
	}
	line(".SH ACTIONS")
	for _, c := range agentCommands {
		manItem(line, ".B "+roffLine(c.name), c.desc)
	}
	line(".SH STDIN PARAMETERS")
	for _, p := range metadataParameters() {
		if p.deprecated() {
			continue
		}
		desc := optionSummary(p.opt)
		if p.obsoletes != "" {
			desc += " (replaces " + p.obsoletes + ")"
		}
		manItem(line, ".B "+roffLine(p.name), desc)
	}
	line(".SH EXAMPLES")
	for _, ex := range manExamples {
		line(".P")
		line(roffLine(ex.caption))
		line(".P")
		line(".nf")
		line(".RS")
		for _, text := range strings.Split(ex.text, "\n") {
			line(roffLine(text))
		}
		line(".RE")
		line(".fi")
	}
	line(".SH EXIT STATUS")
	for _, st := range manExitStatus {
		manItem(line, ".B "+st.code, st.meaning)
	}
	line(".SH SEE ALSO")
	line(`\fBovhfence\fR(8), \fBpcs\fR(8), \fBstonith_admin\fR(8), \fBfenced\fR(8)`)
	return b.Bytes()
}

// manItem writes one tagged paragraph.
func manItem(line func(string), tag, desc string) {
	line(".TP")
	line(tag)
	line(roffLine(desc))
}
