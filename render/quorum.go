package render

import (
	"fmt"
	"sort"
	"strings"

	"github.com/beevik/etree"
)

// settleQuorum decides cman's two-node quorum mode and says, in one line per
// fact, what it changed or why it changed nothing. cman(5) allows two_node="1"
// only with exactly two nodes of one vote each and expected_votes="1", and
// qdisk(5) only without a quorum disk: a cluster with <quorumd> already keeps
// quorum with one node through the disk's votes, and its expected_votes counts
// them, so its <cman> quorum attributes are the admin's and stay as they are.
func (m *merger) settleQuorum(nodes map[string]*etree.Element) []string {
	if len(m.c.Nodes) != 2 {
		return nil
	}
	cman := m.root.SelectElement("cman")
	if m.root.SelectElement("quorumd") != nil {
		return []string{"quorum unchanged: cluster.conf has a quorum disk (<quorumd>), so <cman> keeps its " +
			quorumAttrs(cman) + " (cman allows two_node=\"1\" only without one)"}
	}
	var heavy []string
	for name, cn := range nodes {
		if votes := cn.SelectAttrValue("votes", "1"); votes != "1" {
			heavy = append(heavy, fmt.Sprintf("%s has votes=%q", name, votes))
		}
	}
	if len(heavy) > 0 {
		sort.Strings(heavy)
		return []string{"quorum unchanged: two_node=\"1\" needs two nodes of one vote each, and " +
			strings.Join(heavy, ", ") + "; <cman> keeps its " + quorumAttrs(cman)}
	}
	var changes []string
	if cman == nil {
		if first := m.root.ChildElements(); len(first) > 0 {
			cman = insertElementBefore(first[0], "cman")
		} else {
			cman = appendElement(m.root, "cman")
		}
		changes = append(changes, "quorum: added <cman>")
	}
	for _, attr := range []string{"two_node", "expected_votes"} {
		old := cman.SelectAttr(attr)
		if old != nil && old.Value == "1" {
			continue
		}
		was := "was absent"
		if old != nil {
			was = fmt.Sprintf("was %q", old.Value)
		}
		cman.CreateAttr(attr, "1")
		changes = append(changes, fmt.Sprintf("quorum: <cman> %s=\"1\" (%s): with two nodes and no quorum disk, "+
			"the node left after fencing the other keeps quorum", attr, was))
	}
	return changes
}

// quorumAttrs lists cman's quorum attributes as they are, for a message.
func quorumAttrs(cman *etree.Element) string {
	var set []string
	for _, attr := range []string{"two_node", "expected_votes"} {
		if cman != nil {
			if a := cman.SelectAttr(attr); a != nil {
				set = append(set, fmt.Sprintf("%s=%q", attr, a.Value))
			}
		}
	}
	if len(set) == 0 {
		return "quorum settings (none set)"
	}
	return strings.Join(set, " ")
}
