package render

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/ovhfence/ovhfence/cluster"
)

// configVersion matches the one attribute a repeated merge may change.
var configVersion = regexp.MustCompile(`config_version="\d+"`)

func mustMerge(t testing.TB, c *cluster.Cluster, in []byte) []byte {
	t.Helper()
	out, err := ClusterConf(c, in)
	if err != nil {
		t.Fatalf("ClusterConf: %v", err)
	}
	return out
}

func parseDoc(t testing.TB, data []byte) *etree.Document {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(data); err != nil {
		t.Fatalf("output is not XML: %v", err)
	}
	return doc
}

// nonFencing describes every token of doc except fence_ovh devices, <fence>
// and <unfence> of clusternodes, and config_version: what a merge must keep.
func nonFencing(doc *etree.Document) string {
	var b strings.Builder
	var walk func(e *etree.Element, depth int)
	walk = func(e *etree.Element, depth int) {
		for _, tok := range e.Child {
			switch tok := tok.(type) {
			case *etree.Element:
				if tok.Tag == "fencedevice" && tok.SelectAttrValue("agent", "") == AgentName ||
					(tok.Tag == "fence" || tok.Tag == "unfence") && e.Tag == "clusternode" {
					continue
				}
				fmt.Fprintf(&b, "%*s<%s", depth*2, "", tok.Tag)
				for _, a := range tok.Attr {
					if a.Key != "config_version" {
						fmt.Fprintf(&b, " %s=%q", a.Key, a.Value)
					}
				}
				b.WriteString(">\n")
				walk(tok, depth+1)
			case *etree.Comment:
				fmt.Fprintf(&b, "%*s<!--%s-->\n", depth*2, "", tok.Data)
			case *etree.CharData:
				if text := strings.TrimSpace(tok.Data); text != "" {
					fmt.Fprintf(&b, "%*stext %q cdata=%v\n", depth*2, "", text, tok.IsCData())
				}
			case *etree.ProcInst:
				fmt.Fprintf(&b, "<?%s %s?>\n", tok.Target, tok.Inst)
			}
		}
	}
	walk(&doc.Element, 0)
	return b.String()
}

func TestMergeKeepsEverythingElse(t *testing.T) {
	for _, input := range []string{fixturePath, "testdata/pve3-extended.conf"} {
		t.Run(input, func(t *testing.T) {
			in := readFile(t, input)
			out := mustMerge(t, loadExample(t, "three-node", cluster.FenceRescue), in)
			before, after := nonFencing(parseDoc(t, in)), nonFencing(parseDoc(t, out))
			if before != after {
				t.Errorf("non-fence content changed:\n%s", Diff("non-fencing", []byte(before), []byte(after)))
			}
		})
	}
}

func TestMergeReplacesOldDevices(t *testing.T) {
	const node1, node2, node3 = "ns567890.ip-123-22-44.eu", "ns567891.ip-123-22-45.eu", "ns567892.ip-123-22-46.eu"
	tests := []struct {
		input          string
		oldVersion     int
		keptDevices    []string // other agents' devices that must stay
		methodsPerNode map[string][]string
		// ownDevice is each node's fence_ovh device: an old one whose plug is the
		// node's server keeps its name, a new one is named by DeviceName.
		ownDevice map[string]string
	}{
		{fixturePath, 45, nil,
			map[string][]string{node1: {"1"}, node2: {"1"}, node3: {"1"}},
			map[string]string{node1: "fence01", node2: "fence02", node3: "fence03"}},
		{"testdata/pve3-extended.conf", 7, []string{"ipmi1"},
			map[string][]string{node1: {"ipmi", "1"}, node2: {"ovh"}, node3: {"1"}},
			map[string]string{node1: "fence01", node2: "fence02", node3: DeviceName(node3)}},
	}
	for _, tt := range tests {
		t.Run(tt.input, func(t *testing.T) {
			c := loadExample(t, "three-node", cluster.FenceRescue)
			out := mustMerge(t, c, readFile(t, tt.input))
			for _, gone := range []string{"TOPSECRET", "ab12345-ovh", "power_wait"} {
				if strings.Contains(string(out), gone) {
					t.Errorf("output still contains %s", gone)
				}
			}
			root := parseDoc(t, out).Root()
			if got, want := root.SelectAttrValue("config_version", ""), fmt.Sprint(tt.oldVersion+1); got != want {
				t.Errorf("config_version = %s, want %s", got, want)
			}
			devices := map[string]*etree.Element{}
			for _, fd := range root.FindElements("fencedevices/fencedevice") {
				devices[fd.SelectAttrValue("name", "")] = fd
			}
			for _, kept := range tt.keptDevices {
				if devices[kept] == nil {
					t.Errorf("fencedevice %s was removed", kept)
				}
			}
			for _, cn := range root.FindElements("clusternodes/clusternode") {
				node := cn.SelectAttrValue("name", "")
				var methods []string
				ours := 0
				for _, m := range cn.FindElements("fence/method") {
					methods = append(methods, m.SelectAttrValue("name", ""))
					for _, d := range m.SelectElements("device") {
						name := d.SelectAttrValue("name", "")
						if devices[name] == nil {
							t.Errorf("%s: device %s has no fencedevice", node, name)
						}
						if name == tt.ownDevice[node] {
							ours++
							if action := d.SelectAttrValue("action", ""); action != "off" {
								t.Errorf("%s: action = %q, want off", node, action)
							}
						}
					}
				}
				if ours != 1 {
					t.Errorf("%s: %d references to its own fence_ovh device, want 1", node, ours)
				}
				if fmt.Sprint(methods) != fmt.Sprint(tt.methodsPerNode[node]) {
					t.Errorf("%s: methods %v, want %v", node, methods, tt.methodsPerNode[node])
				}
				if fd := devices[tt.ownDevice[node]]; fd == nil || fd.SelectAttrValue("plug", "") != node {
					t.Errorf("%s: no fence_ovh device %s with plug=%s", node, tt.ownDevice[node], node)
				}
				for _, unfence := range cn.SelectElements("unfence") {
					if len(unfence.ChildElements()) == 0 {
						t.Errorf("%s: empty <unfence> left behind", node)
					}
					for _, d := range unfence.SelectElements("device") {
						name := d.SelectAttrValue("name", "")
						if fd := devices[name]; fd == nil || fd.SelectAttrValue("agent", "") == AgentName && name != tt.ownDevice[node] {
							t.Errorf("%s: unfence names %s, a removed device or another node's", node, name)
						}
					}
				}
			}
		})
	}
}

// TestMergeDiffIsMinimal reads the diff as the admin reviewing it would: when
// the old devices already fence the right servers, the merge rewrites their
// parameters and config_version and leaves every node's fencing as it was.
func TestMergeDiffIsMinimal(t *testing.T) {
	in := readFixture(t)
	out := mustMerge(t, loadExample(t, "three-node", cluster.FenceRescue), in)
	section := func(data []byte) string {
		text := string(data)
		return text[strings.Index(text, "<clusternodes>"):]
	}
	if section(in) != section(out) {
		t.Errorf("everything from <clusternodes> on changed:\n%s", Diff("cluster.conf", in, out))
	}
}

// TestMergeKeepsDevicesOnlyForTheirServer covers old fence_ovh devices that do
// not map one to one onto the nodes: each node must end up with exactly one
// device, whose plug is its own server.
func TestMergeKeepsDevicesOnlyForTheirServer(t *testing.T) {
	const server1, server2 = "ns3012345.ip-51-38-120.eu", "ns3012346.ip-51-38-121.eu"
	conf := func(devices, ref1, ref2 string) []byte {
		return []byte(`<cluster name="web-ha" config_version="3">
  <fencedevices>
` + devices + `
  </fencedevices>
  <clusternodes>
    <clusternode name="web1" nodeid="1"><fence><method name="1"><device name="` + ref1 + `"/></method></fence></clusternode>
    <clusternode name="web2" nodeid="2"><fence><method name="1"><device name="` + ref2 + `"/></method></fence></clusternode>
  </clusternodes>
</cluster>`)
	}
	device := func(name, plug string) string {
		return `    <fencedevice agent="fence_ovh" name="` + name + `" plug="` + plug + `"/>`
	}
	tests := []struct {
		name  string
		input []byte
		want  map[string]string // node → its device's name
	}{
		{"servers swapped since the last render",
			conf(device("fence_ovh_web1", server2)+"\n"+device("fence_ovh_web2", server1), "fence_ovh_web1", "fence_ovh_web2"),
			map[string]string{"web1": "fence_ovh_web1", "web2": "fence_ovh_web2"}},
		{"two old devices for one server",
			conf(device("a", server1)+"\n"+device("b", server1), "a", "b"),
			map[string]string{"web1": "a", "web2": "fence_ovh_web2"}},
		{"old device named like another node's",
			conf(device("fence_ovh_web1", server2)+"\n"+device("old2", server2), "fence_ovh_web1", "old2"),
			map[string]string{"web1": "fence_ovh_web1", "web2": "old2"}},
		{"plug under its old name, port",
			conf(`    <fencedevice agent="fence_ovh" name="p1" port="`+server1+`"/>`, "p1", "p1"),
			map[string]string{"web1": "p1", "web2": "fence_ovh_web2"}},
	}
	servers := map[string]string{"web1": server1, "web2": server2}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := parseDoc(t, mustMerge(t, loadExample(t, "two-node", cluster.FenceRescue), tt.input)).Root()
			plugs := map[string]string{}
			for _, fd := range root.FindElements("fencedevices/fencedevice") {
				name := fd.SelectAttrValue("name", "")
				if _, dup := plugs[name]; dup {
					t.Errorf("two fencedevices named %s", name)
				}
				plugs[name] = fd.SelectAttrValue("plug", "")
			}
			if len(plugs) != 2 {
				t.Errorf("%d fencedevices, want 2: %v", len(plugs), plugs)
			}
			for _, cn := range root.FindElements("clusternodes/clusternode") {
				node := cn.SelectAttrValue("name", "")
				var refs []string
				for _, d := range cn.FindElements("fence/method/device") {
					refs = append(refs, d.SelectAttrValue("name", ""))
				}
				if len(refs) != 1 || refs[0] != tt.want[node] {
					t.Errorf("%s fences with %v, want [%s]", node, refs, tt.want[node])
				} else if plugs[refs[0]] != servers[node] {
					t.Errorf("%s's device %s has plug %q, want %s", node, refs[0], plugs[refs[0]], servers[node])
				}
			}
		})
	}
}

func TestMergeIsIdempotent(t *testing.T) {
	inputs := map[string][]byte{"fixture": readFixture(t), "extended": readFile(t, "testdata/pve3-extended.conf"), "scratch": nil}
	for name, in := range inputs {
		for _, mode := range []cluster.FenceMode{cluster.FenceRescue, cluster.FencePoweroff} {
			t.Run(fmt.Sprintf("%s-%s", name, mode), func(t *testing.T) {
				c := loadExample(t, "three-node", mode)
				once := mustMerge(t, c, in)
				twice := mustMerge(t, c, once)
				if d := Diff("cluster.conf", once, twice); !onlyConfigVersionChanged(d) {
					t.Errorf("second merge changed more than config_version:\n%s", d)
				}
				if string(once) == string(twice) {
					t.Error("second merge did not bump config_version")
				}
			})
		}
	}
}

// onlyConfigVersionChanged reports whether every changed line of a diff is the
// <cluster> line with only its config_version different.
func onlyConfigVersionChanged(diff string) bool {
	var removed, added []string
	for _, line := range strings.Split(diff, "\n") {
		switch {
		case strings.HasPrefix(line, "--- a/"), strings.HasPrefix(line, "+++ b/"): // the headers
		case strings.HasPrefix(line, "-"):
			removed = append(removed, configVersion.ReplaceAllString(line[1:], ""))
		case strings.HasPrefix(line, "+"):
			added = append(added, configVersion.ReplaceAllString(line[1:], ""))
		}
	}
	return len(removed) == 1 && fmt.Sprint(removed) == fmt.Sprint(added)
}

func TestMergeTwoNodeQuorum(t *testing.T) {
	twoNodes := []byte(`<?xml version="1.0"?>
<cluster name="web-ha" config_version="3">
  <cman keyfile="/var/lib/pve-cluster/corosync.authkey"/>
  <clusternodes>
    <clusternode name="web1" nodeid="1" votes="1"/>
    <clusternode name="web2" nodeid="2" votes="1"/>
  </clusternodes>
</cluster>
`)
	noCman := []byte(`<cluster name="web-ha" config_version="3"><clusternodes><clusternode name="web1" nodeid="1"/><clusternode name="web2" nodeid="2"/></clusternodes></cluster>`)
	for name, in := range map[string][]byte{"cman present": twoNodes, "no cman": noCman, "scratch": nil} {
		t.Run(name, func(t *testing.T) {
			root := parseDoc(t, mustMerge(t, loadExample(t, "two-node", cluster.FenceRescue), in)).Root()
			cman := root.SelectElement("cman")
			if cman == nil {
				t.Fatal("no <cman>")
			}
			if cman.SelectAttrValue("two_node", "") != "1" || cman.SelectAttrValue("expected_votes", "") != "1" {
				t.Errorf("cman attributes = %v, want two_node=1 expected_votes=1", cman.Attr)
			}
			if first := root.ChildElements()[0]; first != cman {
				t.Errorf("first element is <%s>, want <cman>", first.Tag)
			}
		})
	}
	three := parseDoc(t, mustMerge(t, loadExample(t, "three-node", cluster.FenceRescue), readFixture(t))).Root()
	if three.SelectElement("cman").SelectAttr("two_node") != nil {
		t.Error("three nodes got two_node")
	}
}

func TestMergeRebootActionAndDelay(t *testing.T) {
	c := loadExample(t, "two-node", cluster.FenceRescue)
	c.Action = cluster.ActionReboot
	root := parseDoc(t, mustMerge(t, c, nil)).Root()
	for _, d := range root.FindElements("clusternodes/clusternode/fence/method/device") {
		if got := d.SelectAttrValue("action", ""); got != "reboot" {
			t.Errorf("device %s action = %q, want reboot", d.SelectAttrValue("name", ""), got)
		}
	}
	delays := map[string]string{}
	for _, fd := range root.FindElements("fencedevices/fencedevice") {
		delays[fd.SelectAttrValue("name", "")] = fd.SelectAttrValue("delay", "none")
	}
	if want := map[string]string{"fence_ovh_web1": "15", "fence_ovh_web2": "none"}; fmt.Sprint(delays) != fmt.Sprint(want) {
		t.Errorf("delays = %v, want %v", delays, want)
	}
}

func TestMergeRejects(t *testing.T) {
	three := func(body string) []byte {
		return []byte(`<cluster name="c" config_version="1"><clusternodes>` + body + `</clusternodes></cluster>`)
	}
	allNodes := `<clusternode name="ns567890.ip-123-22-44.eu"/><clusternode name="ns567891.ip-123-22-45.eu"/><clusternode name="ns567892.ip-123-22-46.eu"/>`
	tests := []struct {
		name  string
		input []byte
		want  string
	}{
		{"unclosed element", []byte("<?xml version=\"1.0\"?>\n<cluster name=\"c\">\n  <cman>\n</cluster>\n"), "malformed XML at line 4, column 11: element <cman> closed by </cluster>"},
		{"bad attribute", []byte("<cluster\n  name=c>\n</cluster>"), "malformed XML at line 2, column 9: unquoted or missing attribute value"},
		{"truncated", []byte("<cluster><clusternodes>"), "malformed XML at line 1, column 24: unexpected EOF"},
		{"empty", []byte(""), "cluster.conf"},
		{"not a cluster", []byte("<cib/>"), "top element is not <cluster>"},
		{"no clusternodes", []byte("<cluster/>"), "no <clusternodes>"},
		{"unknown clusternode", three(allNodes + `<clusternode name="ns4"/>`), `clusternode "ns4" has no [node "ns4"]`},
		{"missing clusternode", three(`<clusternode name="ns567890.ip-123-22-44.eu"/>`), `node "ns567891.ip-123-22-45.eu" of the cluster file is not a <clusternode>`},
		{"bad config_version", []byte(`<cluster config_version="x"><clusternodes>` + allNodes + `</clusternodes></cluster>`), `config_version "x"`},
		{"name taken by another agent", []byte(`<cluster config_version="1"><fencedevices><fencedevice agent="fence_ipmilan" name="fence_ovh_ns567890.ip-123-22-44.eu"/></fencedevices><clusternodes>` + allNodes + `</clusternodes></cluster>`),
			`fencedevice "fence_ovh_ns567890.ip-123-22-44.eu" already exists with agent "fence_ipmilan"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := ClusterConf(loadExample(t, "three-node", cluster.FenceRescue), tt.input)
			if err == nil {
				t.Fatalf("merge succeeded:\n%s", out)
			}
			if out != nil {
				t.Error("output returned with an error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestMalformedIsXMLError(t *testing.T) {
	for _, in := range []string{
		"<cluster>\n<a></b>\n</cluster>",
		"<?xml version=\"1.0\"?>\n+++<cluster config_version=\"1\">\n</cluster>", // found by FuzzMerge
		"<cluster config_version=\"1\">\n</cluster><cluster/>",
	} {
		_, err := ClusterConf(loadExample(t, "three-node", cluster.FenceRescue), []byte(in))
		var xmlErr *XMLError
		if !errors.As(err, &xmlErr) || xmlErr.Line != 2 {
			t.Errorf("%q: error %v, want an *XMLError on line 2", in, err)
		}
	}
}

func TestRenderRejectsInvalidCluster(t *testing.T) {
	c := loadExample(t, "two-node", cluster.FenceRescue)
	c.Nodes[1].Server = ""
	renderers := map[string]func() ([]byte, error){
		"clusterconf": func() ([]byte, error) { return ClusterConf(c, nil) },
		"pcs":         func() ([]byte, error) { return PcsScript(c) },
		"crm":         func() ([]byte, error) { return CrmScript(c) },
	}
	for name, render := range renderers {
		if _, err := render(); err == nil || !strings.Contains(err.Error(), "server: missing") {
			t.Errorf("%s: error = %v, want the validation error", name, err)
		}
	}
}

func FuzzMerge(f *testing.F) {
	f.Add(readFixture(f))
	f.Add(readFile(f, "testdata/pve3-extended.conf"))
	f.Add([]byte(`<cluster config_version="1"><clusternodes/></cluster>`))
	c := loadExample(f, "three-node", cluster.FenceRescue)
	f.Fuzz(func(t *testing.T, in []byte) {
		once, err := ClusterConf(c, in)
		if err != nil {
			return
		}
		if err := checkWellFormed(once); err != nil {
			t.Fatalf("merge wrote malformed XML: %v\n%s", err, once)
		}
		twice, err := ClusterConf(c, once)
		if err != nil {
			t.Fatalf("merging our own output failed: %v\n%s", err, once)
		}
		if d := Diff("cluster.conf", once, twice); !onlyConfigVersionChanged(d) {
			t.Fatalf("second merge changed more than config_version:\n%s", d)
		}
	})
}
