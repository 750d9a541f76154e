package agent

import (
	"bytes"
	"sort"
	"strings"
)

const (
	agentName      = "fence_ovh"
	agentShortdesc = "Fence agent for OVHcloud dedicated servers"
	agentVendorURL = "https://www.ovhcloud.com"
)

// agentLongdesc is the description shared by the metadata and the manual page,
// one paragraph per element.
var agentLongdesc = []string{
	"fence_ovh fences OVHcloud dedicated servers through the OVH API. An OVH server has no power switch: " +
		"the agent sets the server's next boot and asks OVH for a hard reboot.",
	"With fence_mode=rescue (the default, available on every OVH range) off reboots the server into OVH's rescue system, " +
		"so it no longer runs the cluster's operating system; on boots it from its hard disk again. " +
		"With fence_mode=poweroff, off uses the power-off netboot that some ranges have, and the server really stops.",
	"Success is reported only after an OVH hard reboot task that began after the agent's own netboot change is done " +
		"and the server read back shows that netboot (and, in poweroff mode, powerState poweroff). " +
		"While any hard reboot is pending the agent never answers Already: it follows that reboot, then sends its own. " +
		"Already OFF needs powerState poweroff on the off netboot with no reboot pending; Already ON needs the disk netboot, " +
		"powerState poweron, no reboot pending and the latest reboot task done. " +
		"An off netboot equal to the disk netboot, or (when the key may read it) not of type rescue or power, is refused.",
	"Transient errors (HTTP 5xx, 429 after its Retry-After, dropped connections, a slow or failing time synchronisation, " +
		"a reboot task that answers 404 in its first minutes) are retried with growing, jittered pauses until power_timeout " +
		"(under Pacemaker, until Pacemaker ends the agent); each retry is a warning in the log. " +
		"A failed or cancelled reboot task, an error that retrying cannot change, or the deadline is a failure. " +
		"OVH calls never follow redirects.",
	"status answers OFF (exit status 2) only for a server that is powered off on a netboot other than its disk with no " +
		"hard reboot pending: what off leaves in poweroff mode. In rescue mode the OVH API cannot tell a server running the " +
		"rescue system from one merely set to boot it, so status answers ON there, and the log says why.",
	"Keep the OVH keys in an ovh.conf file (mode 0600) named by ovh_config rather than in the cluster configuration. " +
		"For each server it fences the consumer key needs: GET /dedicated/server/NAME (read the netboot and power state), " +
		"PUT /dedicated/server/NAME (set the netboot), POST /dedicated/server/NAME/reboot (the hard reboot), " +
		"GET /dedicated/server/NAME/task (find a pending reboot, and whether the last one succeeded, also after a lost answer) " +
		"and GET /dedicated/server/NAME/task/* (follow the reboot task). " +
		"Without rescue_boot_id or power_boot_id it also needs GET /dedicated/server/NAME/boot and GET /dedicated/server/NAME/boot/* " +
		"(find the netboot; with them, /boot/* only lets it check the netboot's type). " +
		"list needs GET /dedicated/server, or lists the servers the key's rules name.",
}

// agentCommand is one action of the agent, as advertised in metadata and usage.
type agentCommand struct {
	name      string
	needsPlug bool
	desc      string
}

// agentCommands lists the actions in fence-agents' order.
var agentCommands = [...]agentCommand{
	{"on", true, "Boot the server from its hard disk again with a hard reboot, and verify it."},
	{"off", true, "Fence the server: set the rescue (or power-off) boot, hard-reboot it and verify the reboot task and the new boot."},
	{"reboot", true, "Fence the server with one verified hard reboot from its hard disk (method=cycle), or off then on (method=onoff)."},
	{"status", true, "Print Status: ON or Status: OFF (exit status 2 for OFF). OFF only when proven: powered off on a netboot other than the disk with no reboot pending (poweroff mode); a server in rescue answers ON."},
	{"list", false, "List the dedicated servers the OVH keys can see, one per line; fail, naming the missing rule, when the keys can name none."},
	{"list-status", false, "List the dedicated servers with their status (OFF only when proven, as for status)."},
	{"monitor", false, "Check that the OVH API accepts the keys."},
	{"metadata", false, "Print the XML metadata describing this agent."},
	{"manpage", false, "Print this manual page (troff)."},
	{"validate-all", true, "Check the parameters without changing anything."},
}

func findCommand(name string) (agentCommand, bool) {
	for _, c := range agentCommands {
		if c.name == name {
			return c, true
		}
	}
	return agentCommand{}, false
}

// metaParameter is one <parameter> element: an option under one of its names.
type metaParameter struct {
	name      string
	opt       *option
	obsoletes string // the old name this one replaces, if any
}

func (p metaParameter) deprecated() bool {
	return p.name != p.opt.canonical() || p.opt.obsolete
}

// metadataParameters lists every option under its key and, when the key is an old
// name, also under its canonical name, sorted by (order, name) as fencing.py does.
func metadataParameters() []metaParameter {
	params := make([]metaParameter, 0, 2*len(optionTable))
	for i := range optionTable {
		opt := &optionTable[i]
		params = append(params, metaParameter{name: opt.key, opt: opt})
		if opt.renamed() {
			params = append(params, metaParameter{name: opt.canonical(), opt: opt, obsoletes: opt.key})
		}
	}
	sort.Slice(params, func(a, b int) bool {
		if params[a].opt.order != params[b].opt.order {
			return params[a].opt.order < params[b].opt.order
		}
		return params[a].name < params[b].name
	})
	return params
}

var (
	xmlAttrEscaper = strings.NewReplacer("&", "&amp;", `"`, "&quot;", "<", "&lt;", ">", "&gt;", "'", "&apos;")
	xmlTextEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
)

// contentType is the metadata content type of an option.
func contentType(kind valueKind) string {
	return [...]string{kindFlag: "boolean", kindString: "string", kindSecond: "second", kindInteger: "integer", kindSelect: "select"}[kind]
}

// Metadata returns the agent's metadata XML, laid out exactly as fencing.py prints
// it, so tools that diff or parse fence-agents metadata see familiar output.
func Metadata() []byte {
	var b bytes.Buffer
	b.WriteString("<?xml version=\"1.0\" ?>\n")
	b.WriteString("<resource-agent name=\"" + agentName + "\" shortdesc=\"" + xmlAttrEscaper.Replace(agentShortdesc) + "\" >\n")
	b.WriteString("<longdesc>" + xmlTextEscaper.Replace(strings.Join(agentLongdesc, "\n\n")) + "</longdesc>\n")
	b.WriteString("<vendor-url>" + agentVendorURL + "</vendor-url>\n")
	b.WriteString("<parameters>\n")
	for _, p := range metadataParameters() {
		writeMetaParameter(&b, p)
	}
	b.WriteString("</parameters>\n")
	b.WriteString("<actions>\n")
	for _, c := range agentCommands {
		if c.name == "on" {
			// fencing.py marks on automatic="1" only for fabric fencing (unfencing).
			b.WriteString("\t<action name=\"on\" automatic=\"0\"/>\n")
			continue
		}
		b.WriteString("\t<action name=\"" + c.name + "\" />\n")
	}
	b.WriteString("</actions>\n")
	b.WriteString("</resource-agent>\n")
	return b.Bytes()
}

func writeMetaParameter(b *bytes.Buffer, p metaParameter) {
	required := "0"
	if p.opt.required {
		required = "1"
	}
	b.WriteString("\t<parameter name=\"" + p.name + "\" unique=\"0\" required=\"" + required + "\"")
	if p.deprecated() {
		b.WriteString(" deprecated=\"1\"")
	}
	if p.obsoletes != "" {
		b.WriteString(" obsoletes=\"" + p.obsoletes + "\"")
	}
	b.WriteString(">\n")
	b.WriteString("\t\t<getopt mixed=\"" + xmlAttrEscaper.Replace(p.opt.mixed) + "\" />\n")
	def := ""
	if p.opt.def != "" {
		def = "default=\"" + xmlAttrEscaper.Replace(p.opt.def) + "\" "
	}
	if p.opt.kind == kindSelect {
		b.WriteString("\t\t<content type=\"select\" " + def + " >\n")
		for _, choice := range p.opt.choices {
			b.WriteString("\t\t\t<option value=\"" + xmlAttrEscaper.Replace(choice) + "\" />\n")
		}
		b.WriteString("\t\t</content>\n")
	} else {
		b.WriteString("\t\t<content type=\"" + contentType(p.opt.kind) + "\" " + def + " />\n")
	}
	b.WriteString("\t\t<shortdesc lang=\"en\">" + xmlTextEscaper.Replace(p.opt.shortdesc) + "</shortdesc>\n")
	b.WriteString("\t</parameter>\n")
}
