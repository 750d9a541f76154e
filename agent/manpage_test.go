package agent

import (
	"strings"
	"testing"
)

func TestRoffLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain words", "plain words"},
		{"--plug=[id]", `\-\-plug=[id]`},
		{`C:\path`, `C:\epath`},
		{".TH injected", `\&.TH injected`},
		{"'quoted", `\&'quoted`},
		{"mid.dot and mid'quote", "mid.dot and mid'quote"},
	}
	for _, tt := range tests {
		if got := roffLine(tt.in); got != tt.want {
			t.Errorf("roffLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// manSections splits a man page into its .SH sections, keyed by title.
func manSections(page string) (titles []string, body map[string]string) {
	body = map[string]string{}
	current := ""
	for _, line := range strings.Split(page, "\n") {
		if title, ok := strings.CutPrefix(line, ".SH "); ok {
			current = title
			titles = append(titles, title)
			continue
		}
		body[current] += line + "\n"
	}
	return titles, body
}

func TestManpageSections(t *testing.T) {
	titles, _ := manSections(string(Manpage("1.2.3")))
	want := []string{"NAME", "SYNOPSIS", "DESCRIPTION", "PARAMETERS", "ACTIONS", "STDIN PARAMETERS", "EXAMPLES", "EXIT STATUS", "SEE ALSO"}
	if strings.Join(titles, "|") != strings.Join(want, "|") {
		t.Errorf("sections = %q, want %q", titles, want)
	}
}

func TestManpageContent(t *testing.T) {
	page := string(Manpage("1.2.3"))
	_, section := manSections(page)
	if !strings.HasPrefix(page, `.TH FENCE_OVH 8 "" "ovhfence 1.2.3"`) {
		t.Errorf("title line does not carry the version: %q", page[:strings.Index(page, "\n")])
	}
	for _, p := range metadataParameters() {
		tag := ".B " + roffLine(p.name) + "\n"
		if listed := strings.Contains(section["STDIN PARAMETERS"], tag); listed == p.deprecated() {
			t.Errorf("STDIN PARAMETERS lists %s: %v; want it listed only when not deprecated", p.name, listed)
		}
	}
	for _, opt := range optionsInUsageOrder() {
		if !strings.Contains(section["PARAMETERS"], ".B "+roffLine(opt.mixed)+"\n") {
			t.Errorf("PARAMETERS lacks %s", opt.mixed)
		}
	}
	for _, c := range agentCommands {
		if !strings.Contains(section["ACTIONS"], ".B "+roffLine(c.name)+"\n") {
			t.Errorf("ACTIONS lacks %s", c.name)
		}
	}
	for _, want := range []string{`pcs stonith create`, `ovh_config=/etc/ovh.conf`, `| fence_ovh`} {
		if !strings.Contains(section["EXAMPLES"], roffLine(want)) {
			t.Errorf("EXAMPLES lacks %q", want)
		}
	}
	for _, code := range []string{"0", "1", "2"} {
		if !strings.Contains(section["EXIT STATUS"], ".B "+code+"\n") {
			t.Errorf("EXIT STATUS lacks %s", code)
		}
	}
}

func TestManpageUsesOnlyKnownRequests(t *testing.T) {
	known := map[string]bool{".TH": true, ".SH": true, ".P": true, ".TP": true, ".B": true, ".br": true,
		".nf": true, ".fi": true, ".RS": true, ".RE": true, ".nh": true}
	for n, line := range strings.Split(string(Manpage("1.2.3")), "\n") {
		if !strings.HasPrefix(line, ".") && !strings.HasPrefix(line, "'") {
			continue
		}
		request, _, _ := strings.Cut(line, " ")
		if !known[request] {
			t.Errorf("line %d starts with an unexpected request: %q", n+1, line)
		}
	}
}
