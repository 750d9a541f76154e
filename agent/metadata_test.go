package agent

import (
	"bytes"
	"encoding/xml"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const (
	fenceRelaxNG  = "/usr/share/cluster/relaxng/metadata.rng"
	fence2rngXSLT = "/usr/share/cluster/relaxng/fence2rng.xsl"
)

// requireExternalTool skips a test whose tool or data file is missing, but only
// outside CI: CI installs them, so there a missing one is a failure.
func requireExternalTool(t *testing.T, tool string, files ...string) {
	t.Helper()
	missing := ""
	if _, err := exec.LookPath(tool); err != nil {
		missing = tool
	}
	for _, f := range files {
		if _, err := os.Stat(f); err != nil {
			missing = f
		}
	}
	if missing == "" {
		return
	}
	if os.Getenv("CI") == "" {
		t.Skipf("%s is not installed (Debian: libxml2-utils, xsltproc, fence-agents); CI installs it", missing)
	}
	t.Fatalf("%s is missing but CI is set: the CI image must install it", missing)
}

func writeTempMetadata(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fence_ovh.xml")
	if err := os.WriteFile(path, Metadata(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestMetadataGolden(t *testing.T) {
	golden := filepath.Join("testdata", "metadata.golden.xml")
	got := Metadata()
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./agent -run TestMetadataGolden -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Metadata() differs from %s; if intended, rerun with -update and review the diff", golden)
	}
}

// Structures for reading fence-agents metadata back.
type metaDoc struct {
	Parameters []metaDocParameter `xml:"parameters>parameter"`
	Actions    []struct {
		Name      string `xml:"name,attr"`
		Automatic string `xml:"automatic,attr"`
	} `xml:"actions>action"`
}

type metaDocParameter struct {
	Name       string `xml:"name,attr"`
	Unique     string `xml:"unique,attr"`
	Required   string `xml:"required,attr"`
	Deprecated string `xml:"deprecated,attr"`
	Obsoletes  string `xml:"obsoletes,attr"`
	Getopt     struct {
		Mixed string `xml:"mixed,attr"`
	} `xml:"getopt"`
	Content struct {
		Type    string `xml:"type,attr"`
		Default string `xml:"default,attr"`
		Options []struct {
			Value string `xml:"value,attr"`
		} `xml:"option"`
	} `xml:"content"`
	Shortdesc string `xml:"shortdesc"`
}

func readMetaDoc(t *testing.T, data []byte) metaDoc {
	t.Helper()
	var doc metaDoc
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("metadata is not well-formed XML: %v", err)
	}
	return doc
}

// intendedDifferences are the upstream fence_ovh attributes we change on purpose
// (see optionTable): parameter name → attribute → our value.
var intendedDifferences = map[string]map[string]string{
	// Keys come from ovh_config; pcs refuses devices lacking required parameters.
	"login":    {"required": "0"},
	"username": {"required": "0"},
	// The REST API needs no e-mail; it only sets the server's rescueMail.
	"email": {"required": "0"},
	// OVH reboot tasks take minutes; polling stays under 60 calls/min.
	"power_timeout":        {"default": "300"},
	"shell_timeout":        {"default": "15"},
	"stonith_status_sleep": {"default": "2"},
}

func TestMetadataIsASupersetOfUpstream(t *testing.T) {
	upstreamXML, err := os.ReadFile(filepath.Join("testdata", "upstream_fence_ovh.xml"))
	if err != nil {
		t.Fatal(err)
	}
	upstream := readMetaDoc(t, upstreamXML)
	ours := map[string]metaDocParameter{}
	for _, p := range readMetaDoc(t, Metadata()).Parameters {
		ours[p.Name] = p
	}
	if len(upstream.Parameters) < 20 {
		t.Fatalf("only %d upstream parameters read; is testdata/upstream_fence_ovh.xml intact?", len(upstream.Parameters))
	}
	for _, up := range upstream.Parameters {
		our, ok := ours[up.Name]
		if !ok {
			t.Errorf("upstream parameter %s is missing", up.Name)
			continue
		}
		diff := intendedDifferences[up.Name]
		for _, attr := range []struct{ name, up, our string }{
			{"unique", up.Unique, our.Unique},
			{"required", up.Required, our.Required},
			{"deprecated", up.Deprecated, our.Deprecated},
			{"obsoletes", up.Obsoletes, our.Obsoletes},
			{"getopt", up.Getopt.Mixed, our.Getopt.Mixed},
			{"type", up.Content.Type, our.Content.Type},
			{"default", up.Content.Default, our.Content.Default},
		} {
			want, intended := diff[attr.name]
			if !intended {
				want = attr.up
			}
			if attr.our != want {
				t.Errorf("%s: %s = %q, want %q (upstream %q)", up.Name, attr.name, attr.our, want, attr.up)
			}
		}
	}
}

func TestMetadataKeepsUpstreamParameterOrder(t *testing.T) {
	upstreamXML, err := os.ReadFile(filepath.Join("testdata", "upstream_fence_ovh.xml"))
	if err != nil {
		t.Fatal(err)
	}
	position := map[string]int{}
	for i, p := range readMetaDoc(t, Metadata()).Parameters {
		position[p.Name] = i
	}
	previous := -1
	for _, p := range readMetaDoc(t, upstreamXML).Parameters {
		if position[p.Name] <= previous {
			t.Errorf("%s comes before an upstream parameter that precedes it upstream", p.Name)
		}
		previous = position[p.Name]
	}
}

func TestMetadataParameters(t *testing.T) {
	params := map[string]metaDocParameter{}
	for _, p := range readMetaDoc(t, Metadata()).Parameters {
		if _, dup := params[p.Name]; dup {
			t.Errorf("parameter %s appears twice", p.Name)
		}
		params[p.Name] = p
	}
	tests := []struct {
		name, required, deprecated, obsoletes, mixed, ctype, def string
		choices                                                  []string
	}{
		{name: "action", required: "1", mixed: "-o, --action=[action]", ctype: "string", def: "reboot"},
		{name: "plug", required: "1", obsoletes: "port", mixed: "-n, --plug=[id]", ctype: "string"},
		{name: "port", required: "1", deprecated: "1", mixed: "-n, --plug=[id]", ctype: "string"},
		{name: "endpoint", required: "0", obsoletes: "ovhapilocation", mixed: "--endpoint=[name|url]", ctype: "string", def: "ovh-eu"},
		{name: "ovhapilocation", required: "0", deprecated: "1", mixed: "--endpoint=[name|url]", ctype: "string", def: "ovh-eu"},
		{name: "consumer_key", required: "0", obsoletes: "ovhcustomerkey", mixed: "--consumer-key=[key]", ctype: "string"},
		{name: "ovhcustomerkey", required: "0", deprecated: "1", mixed: "--consumer-key=[key]", ctype: "string"},
		{name: "application_key", required: "0", mixed: "--application-key=[key]", ctype: "string"},
		{name: "application_secret", required: "0", mixed: "--application-secret=[secret]", ctype: "string"},
		{name: "ovh_config", required: "0", mixed: "--ovh-config=[path]", ctype: "string"},
		{name: "fence_mode", required: "0", mixed: "--fence-mode=[mode]", ctype: "select", def: "rescue", choices: []string{"rescue", "poweroff"}},
		{name: "method", required: "0", mixed: "-m, --method=[method]", ctype: "select", def: "cycle", choices: []string{"onoff", "cycle"}},
		{name: "rescue_boot_id", required: "0", mixed: "--rescue-boot-id=[id]", ctype: "integer"},
		{name: "power_boot_id", required: "0", mixed: "--power-boot-id=[id]", ctype: "integer"},
		{name: "disk_boot_id", required: "0", mixed: "--disk-boot-id=[id]", ctype: "integer", def: "1"},
		{name: "bigserver", required: "0", deprecated: "1", mixed: "--bigserver=[on|off]", ctype: "string"},
	}
	for _, tt := range tests {
		p, ok := params[tt.name]
		if !ok {
			t.Errorf("parameter %s is missing", tt.name)
			continue
		}
		var choices []string
		for _, o := range p.Content.Options {
			choices = append(choices, o.Value)
		}
		got := []string{p.Unique, p.Required, p.Deprecated, p.Obsoletes, p.Getopt.Mixed, p.Content.Type, p.Content.Default}
		want := []string{"0", tt.required, tt.deprecated, tt.obsoletes, tt.mixed, tt.ctype, tt.def}
		for k := range got {
			if got[k] != want[k] {
				t.Errorf("%s: got (unique, required, deprecated, obsoletes, mixed, type, default) = %q, want %q", tt.name, got, want)
				break
			}
		}
		if !slices.Equal(choices, tt.choices) {
			t.Errorf("%s: options = %q, want %q", tt.name, choices, tt.choices)
		}
		if p.Shortdesc == "" {
			t.Errorf("%s: empty shortdesc", tt.name)
		}
	}
	for _, hidden := range []string{"nodename", "agent"} {
		if _, ok := params[hidden]; ok {
			t.Errorf("%s must not appear in metadata", hidden)
		}
	}
}

func TestMetadataActions(t *testing.T) {
	want := []string{"on", "off", "reboot", "status", "list", "list-status", "monitor", "metadata", "manpage", "validate-all"}
	doc := readMetaDoc(t, Metadata())
	var got []string
	for _, a := range doc.Actions {
		got = append(got, a.Name)
	}
	if !slices.Equal(got, want) {
		t.Errorf("actions = %q, want %q", got, want)
	}
	if doc.Actions[0].Automatic != "0" {
		t.Errorf("on: automatic = %q, want \"0\" (no unfencing)", doc.Actions[0].Automatic)
	}
}

func TestMetadataValidatesAgainstFenceAgentsRelaxNG(t *testing.T) {
	requireExternalTool(t, "xmllint", fenceRelaxNG)
	out, err := exec.Command("xmllint", "--noout", "--relaxng", fenceRelaxNG, writeTempMetadata(t)).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint --relaxng: %v\n%s", err, out)
	}
}

func TestMetadataFeedsFence2rng(t *testing.T) {
	// cman's ccs_update_schema turns every agent's metadata into cluster.rng this way.
	requireExternalTool(t, "xsltproc", fence2rngXSLT)
	out, err := exec.Command("xsltproc", fence2rngXSLT, writeTempMetadata(t)).CombinedOutput()
	if err != nil {
		t.Fatalf("xsltproc fence2rng.xsl: %v\n%s", err, out)
	}
	for _, want := range []string{`rha:name="fence_ovh"`, `<attribute name="plug"`, `<attribute name="port"`, `<attribute name="ovhcustomerkey"`, `<attribute name="ovh_config"`} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("fence2rng output lacks %s", want)
		}
	}
}
