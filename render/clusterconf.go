package render

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/beevik/etree"

	"github.com/ovhfence/ovhfence/cluster"
)

// ClusterConf merges c's fencing into current, a Proxmox VE 3 cluster.conf, or
// into a new one when current is nil (DESIGN.md D8). It replaces every
// fence_ovh <fencedevice> with one per node and points each node's fence method
// at its own, bumps config_version, and for two nodes sets cman's two_node and
// expected_votes; every other element, attribute and comment stays as it was.
// Malformed input gives an *XMLError.
func ClusterConf(c *cluster.Cluster, current []byte) ([]byte, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if current == nil {
		skeleton, err := execute("cluster.conf.tmpl", c)
		if err != nil {
			return nil, err
		}
		current = skeleton
	}
	if err := checkWellFormed(current); err != nil {
		return nil, err
	}
	doc := etree.NewDocument()
	doc.ReadSettings.PreserveCData = true
	if err := doc.ReadFromBytes(current); err != nil {
		return nil, fmt.Errorf("cluster.conf: %w", err)
	}
	root := doc.Root()
	if root == nil || root.Tag != "cluster" {
		return nil, fmt.Errorf("cluster.conf: the top element is not <cluster>")
	}
	m := merger{c: c, root: root}
	if err := m.merge(); err != nil {
		return nil, err
	}
	out, err := doc.WriteToBytes()
	if err != nil {
		return nil, err
	}
	if !bytes.HasSuffix(out, []byte("\n")) {
		out = append(out, '\n')
	}
	return out, nil
}

type merger struct {
	c    *cluster.Cluster
	root *etree.Element
	// replaced holds the names of the fence_ovh devices found in the input; each
	// node's method that used one gets its new device in the same place.
	replaced map[string]bool
}

func (m *merger) merge() error {
	nodes, err := m.clusterNodes()
	if err != nil {
		return err
	}
	if err := m.bumpConfigVersion(); err != nil {
		return err
	}
	if len(m.c.Nodes) == 2 {
		m.setTwoNode()
	}
	if err := m.replaceFenceDevices(); err != nil {
		return err
	}
	for _, n := range m.c.Nodes {
		m.fenceNode(nodes[n.Name], n)
	}
	return nil
}

// clusterNodes maps every <clusternode> to a node of c and back: a node the cluster
// file does not know would be left without fencing, and cluster.conf, not
// ovhfence, decides who is a member.
func (m *merger) clusterNodes() (map[string]*etree.Element, error) {
	list := m.root.SelectElement("clusternodes")
	if list == nil {
		return nil, fmt.Errorf("cluster.conf has no <clusternodes>")
	}
	known := map[string]bool{}
	for _, n := range m.c.Nodes {
		known[n.Name] = true
	}
	found := map[string]*etree.Element{}
	for _, cn := range list.SelectElements("clusternode") {
		name := cn.SelectAttrValue("name", "")
		if !known[name] {
			return nil, fmt.Errorf("cluster.conf: clusternode %q has no [node %q] in the cluster file: every node needs fencing", name, name)
		}
		found[name] = cn
	}
	for _, n := range m.c.Nodes {
		if found[n.Name] == nil {
			return nil, fmt.Errorf("cluster.conf: node %q of the cluster file is not a <clusternode>; add it to the cluster first (pvecm add)", n.Name)
		}
	}
	return found, nil
}

func (m *merger) bumpConfigVersion() error {
	version := 0
	if attr := m.root.SelectAttr("config_version"); attr != nil {
		v, err := strconv.Atoi(attr.Value)
		if err != nil || v < 0 {
			return fmt.Errorf("cluster.conf: config_version %q is not a whole number", attr.Value)
		}
		version = v
	}
	m.root.CreateAttr("config_version", strconv.Itoa(version+1))
	return nil
}

// setTwoNode lets a two-node cman cluster keep quorum with one node, which is only
// safe because the other one is fenced (reference/peers-proxmox.md §1.3, §5.12).
func (m *merger) setTwoNode() {
	cman := m.root.SelectElement("cman")
	if cman == nil {
		if first := m.root.ChildElements(); len(first) > 0 {
			cman = insertElementBefore(first[0], "cman")
		} else {
			cman = appendElement(m.root, "cman")
		}
	}
	cman.CreateAttr("two_node", "1")
	cman.CreateAttr("expected_votes", "1")
}

// replaceFenceDevices puts one fence_ovh device per node where the first old
// fence_ovh device was (or at the end), and removes the old ones.
func (m *merger) replaceFenceDevices() error {
	devices := m.root.SelectElement("fencedevices")
	if devices == nil {
		if clusternodes := m.root.SelectElement("clusternodes"); clusternodes != nil {
			devices = insertElementBefore(clusternodes, "fencedevices")
		} else {
			devices = appendElement(m.root, "fencedevices")
		}
	}
	ours := map[string]bool{}
	for _, n := range m.c.Nodes {
		ours[DeviceName(n.Name)] = true
	}
	m.replaced = map[string]bool{}
	var old []*etree.Element
	for _, fd := range devices.SelectElements("fencedevice") {
		name, agent := fd.SelectAttrValue("name", ""), fd.SelectAttrValue("agent", "")
		switch {
		case agent == AgentName:
			m.replaced[name] = true
			old = append(old, fd)
		case ours[name]:
			return fmt.Errorf("cluster.conf: fencedevice %q already exists with agent %q", name, agent)
		}
	}
	for _, n := range m.c.Nodes {
		attrs := append([]param{{"agent", AgentName}, {"name", DeviceName(n.Name)}}, agentParams(m.c, n)...)
		if n.Delay > 0 {
			attrs = append(attrs, param{"delay", strconv.Itoa(n.Delay)})
		}
		if len(old) > 0 {
			insertElementBefore(old[0], "fencedevice", attrs...)
		} else {
			appendElement(devices, "fencedevice", attrs...)
		}
	}
	for _, fd := range old {
		removeElement(fd)
	}
	return nil
}

// fenceNode points cn's fencing at n's device: in the method that used an old
// fence_ovh device, at that device's place, or else in a new last method. Every
// reference to a replaced device goes, and so does a method left empty.
func (m *merger) fenceNode(cn *etree.Element, n cluster.Node) {
	device := []param{{"name", DeviceName(n.Name)}, {"action", string(m.c.Action)}}
	fence := cn.SelectElement("fence")
	if fence == nil {
		fence = appendElement(cn, "fence")
	}
	placed := false
	for _, method := range fence.SelectElements("method") {
		for _, d := range method.SelectElements("device") {
			if m.replaced[d.SelectAttrValue("name", "")] {
				if !placed {
					insertElementBefore(d, "device", device...)
					placed = true
				}
				removeElement(d)
			}
		}
		if len(method.ChildElements()) == 0 {
			removeElement(method)
		}
	}
	if !placed {
		method := appendElement(fence, "method", param{"name", "ovh"})
		appendElement(method, "device", device...)
	}
	m.dropReplacedUnfencing(cn)
}

// dropReplacedUnfencing removes <unfence> references to replaced devices, which
// would otherwise name devices that no longer exist, and an <unfence> left empty.
func (m *merger) dropReplacedUnfencing(cn *etree.Element) {
	for _, unfence := range cn.SelectElements("unfence") {
		for _, d := range unfence.SelectElements("device") {
			if m.replaced[d.SelectAttrValue("name", "")] {
				removeElement(d)
			}
		}
		if len(unfence.ChildElements()) == 0 {
			removeElement(unfence)
		}
	}
}
