package e2ewizard

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// element is any XML element, attributes and children kept in order.
type element struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Children []element  `xml:",any"`
}

func (e element) attr(name string) (string, bool) {
	for _, a := range e.Attrs {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

func (e element) child(name string) *element {
	for i := range e.Children {
		if e.Children[i].XMLName.Local == name {
			return &e.Children[i]
		}
	}
	return nil
}

func parseClusterConf(t *testing.T, path string) element {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var root element
	if err := xml.Unmarshal(data, &root); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return root
}

// TestQuorumDiskKeepsItsQuorum: the wizard, merging into a Proxmox VE 3
// two-node cluster.conf with a quorum disk, writes a cluster.conf.new whose
// <cman> keeps expected_votes="3" without two_node, whose <quorumd> is the
// input's unchanged, and says so at step 8 and in the summary.
func TestQuorumDiskKeepsItsQuorum(t *testing.T) {
	fixture, err := filepath.Abs(filepath.Join("..", "..", "testdata", "pve3-qdisk-cluster.conf"))
	if err != nil {
		t.Fatal(err)
	}
	term, _, out := startSandboxWizardSized(t, "NO_COLOR=1 ", 80, 24, "--cluster-conf", fixture)
	toOutput(term, []string{server1, server2})
	if screen := strings.Join(strings.Fields(term.screen()), " "); !strings.Contains(screen, "quorum unchanged") {
		t.Errorf("step 8 does not state the quorum:\n%s", term.screen())
	}
	writeAndExit(term)

	_, summary, _ := strings.Cut(term.scrollback(), "Written:\n")
	summary, _, _ = strings.Cut(summary, "Next steps")
	if !strings.Contains(summary, `quorum unchanged`) || !strings.Contains(summary, `expected_votes="3"`) {
		t.Errorf("the summary of what was written does not state the quorum:\n%s", summary)
	}

	in, got := parseClusterConf(t, fixture), parseClusterConf(t, filepath.Join(out, "cluster.conf.new"))
	cman := got.child("cman")
	if cman == nil {
		t.Fatal("cluster.conf.new has no <cman>")
	}
	if votes, _ := cman.attr("expected_votes"); votes != "3" {
		t.Errorf(`<cman expected_votes=%q>, want "3" (the quorum disk's vote counted)`, votes)
	}
	if twoNode, set := cman.attr("two_node"); set {
		t.Errorf(`<cman two_node=%q> with a quorum disk: cman refuses it`, twoNode)
	}
	if q := got.child("quorumd"); q == nil || !reflect.DeepEqual(*q, *in.child("quorumd")) {
		t.Errorf("<quorumd> changed:\n got %+v\nwant %+v", q, in.child("quorumd"))
	}
	devices := got.child("fencedevices")
	if devices == nil || len(devices.Children) != 2 {
		t.Fatalf("cluster.conf.new lacks the two fence devices: %+v", devices)
	}
	for _, d := range devices.Children {
		if mode, _ := d.attr("fence_mode"); mode != "poweroff" {
			t.Errorf("a fence device was not merged (fence_mode %q): %+v", mode, d)
		}
	}
}
