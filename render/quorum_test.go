package render

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/ovhfence/ovhfence/cluster"
)

const qdiskFixturePath = "../testdata/pve3-qdisk-cluster.conf"

// qdiskCluster is the two-node example under the node names of the quorum-disk fixture.
func qdiskCluster(t testing.TB, mode cluster.FenceMode) *cluster.Cluster {
	t.Helper()
	c := loadExample(t, "two-node", mode)
	c.Target = cluster.TargetPVE3
	c.Nodes[0].Name, c.Nodes[1].Name = "ns567890.ip-123-22-44.eu", "ns567891.ip-123-22-45.eu"
	return c
}

func cmanAttrs(t testing.TB, data []byte) string {
	t.Helper()
	return cmanAttrsOf(parseDoc(t, data).Root().SelectElement("cman"))
}

// TestMergeKeepsQuorumDisk: the usual Proxmox VE 3 two-node setup with a quorum
// disk keeps expected_votes="3" and gets no two_node, and the admin is told why.
func TestMergeKeepsQuorumDisk(t *testing.T) {
	in := readFile(t, qdiskFixturePath)
	m, err := MergeClusterConf(qdiskCluster(t, cluster.FenceRescue), in, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cmanAttrs(t, m.Data), cmanAttrs(t, in); got != want {
		t.Errorf("<cman> changed with a quorum disk:\n got %s\nwant %s", got, want)
	}
	if !strings.Contains(string(m.Data), `<quorumd allow_kill="0" interval="1" label="proxmox1_qdisk" tko="10" votes="1">`) {
		t.Error("<quorumd> did not survive the merge")
	}
	if len(m.Quorum) != 1 || !strings.Contains(m.Quorum[0], "<quorumd>") || !strings.Contains(m.Quorum[0], `expected_votes="3"`) {
		t.Errorf("Quorum = %q, want one line naming the quorum disk and the kept expected_votes", m.Quorum)
	}
}

// TestQuorumInvariants merges generated two-node cluster.confs (with and
// without <cman>, <quorumd>, votes and quorum attributes) and holds every
// result to cman(5): two_node="1" only with expected_votes="1", two nodes of one
// vote and no quorum disk; with a quorum disk <cman> stays as it was; and every
// <cman> attribute that changed is named in Quorum.
func TestQuorumInvariants(t *testing.T) {
	rng := rand.New(rand.NewSource(12))
	names := []string{"ns567890.ip-123-22-44.eu", "ns567891.ip-123-22-45.eu"}
	attrValues := []string{"", "0", "1", "2", "3"}
	for i := 0; i < 400; i++ {
		var b strings.Builder
		b.WriteString(`<cluster name="c" config_version="7">`)
		hasCman := rng.Intn(4) > 0
		if hasCman {
			b.WriteString(`<cman keyfile="/var/lib/pve-cluster/corosync.authkey"`)
			for _, attr := range []string{"two_node", "expected_votes"} {
				if v := attrValues[rng.Intn(len(attrValues))]; v != "" {
					fmt.Fprintf(&b, ` %s="%s"`, attr, v)
				}
			}
			b.WriteString(`/>`)
		}
		qdisk := rng.Intn(2) == 0
		if qdisk {
			b.WriteString(`<quorumd label="qdisk" votes="1"/>`)
		}
		b.WriteString(`<clusternodes>`)
		for n, name := range names {
			fmt.Fprintf(&b, `<clusternode name="%s" nodeid="%d"`, name, n+1)
			if v := attrValues[rng.Intn(len(attrValues))]; v != "" {
				fmt.Fprintf(&b, ` votes="%s"`, v)
			}
			b.WriteString(`/>`)
		}
		b.WriteString(`</clusternodes></cluster>`)
		in := []byte(b.String())
		m, err := MergeClusterConf(qdiskCluster(t, cluster.FenceRescue), in, nil)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if problem := quorumProblem(parseDoc(t, in).Root(), parseDoc(t, m.Data).Root(), m.Quorum); problem != "" {
			t.Fatalf("%s\nmerged into\n%s\nquorum notes %q: %s", in, m.Data, m.Quorum, problem)
		}
	}
}

// quorumProblem states what cman(5) or the duty to tell the admin finds wrong
// in a merge of before into after, or "".
func quorumProblem(before, after *etree.Element, notes []string) string {
	cmanBefore, cmanAfter := before.SelectElement("cman"), after.SelectElement("cman")
	attr := func(e *etree.Element, key string) string {
		if e == nil {
			return "<absent>"
		}
		return e.SelectAttrValue(key, "<absent>")
	}
	if before.SelectElement("quorumd") != nil && cmanAttrsOf(cmanBefore) != cmanAttrsOf(cmanAfter) {
		return "<cman> changed although there is a quorum disk"
	}
	if attr(cmanAfter, "two_node") == "1" && attr(cmanBefore, "two_node") != "1" {
		if attr(cmanAfter, "expected_votes") != "1" {
			return `two_node="1" set without expected_votes="1"`
		}
		if after.SelectElement("quorumd") != nil {
			return `two_node="1" set with a quorum disk`
		}
		for _, cn := range after.SelectElement("clusternodes").SelectElements("clusternode") {
			if cn.SelectAttrValue("votes", "1") != "1" {
				return `two_node="1" set with a node of more or less than one vote`
			}
		}
	}
	for _, key := range []string{"two_node", "expected_votes", "keyfile"} {
		if attr(cmanBefore, key) != attr(cmanAfter, key) && !strings.Contains(strings.Join(notes, "\n"), key+`="`) {
			return key + " changed and Quorum does not say so"
		}
	}
	return ""
}

func cmanAttrsOf(cman *etree.Element) string {
	if cman == nil {
		return "<no cman>"
	}
	var b strings.Builder
	for _, a := range cman.Attr {
		fmt.Fprintf(&b, " %s=%q", a.Key, a.Value)
	}
	return b.String()
}
