package render

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/beevik/etree"

	"github.com/ovhfence/ovhfence/cluster"
)

// ClusterConf merges c's fencing into current, a Proxmox VE 3 cluster.conf, or
// into a new one when current is nil (DESIGN.md D8). It gives every node one
// fence_ovh <fencedevice> (updating an old one for the same server in place)
// and points the node's fence method at it, bumps config_version, and for two
// nodes without a quorum disk sets cman's two_node and expected_votes
// (settleQuorum); every other element, attribute and comment stays as it was,
// and so do a UTF-8 byte order mark and CRLF line ends.
// Malformed input gives an *XMLError.
func ClusterConf(c *cluster.Cluster, current []byte) ([]byte, error) {
	m, err := mergeInto(c, current, 0)
	return m.Data, err
}

// Merged is the result of MergeClusterConf.
type Merged struct {
	Data []byte // the new cluster.conf.new
	Base []byte // what Data replaces, for the diff: the pending edit or the live file
	// IntoPending says the merge kept the pending edits of an existing
	// cluster.conf.new that differs from cluster.conf.
	IntoPending bool
	// Quorum says, one line each, what the merge changed in cman's quorum
	// settings or why it left them alone; the admin must be told both.
	Quorum []string
}

// MergeClusterConf merges c's fencing into pending, Proxmox VE 3's
// cluster.conf.new holding edits not yet activated, when it exists (non-nil)
// and differs from live; else into live. Starting from live would drop those
// edits. A pending config_version already above live's is kept, so that
// running twice does not bump it twice.
func MergeClusterConf(c *cluster.Cluster, live, pending []byte) (Merged, error) {
	if pending == nil || bytes.Equal(live, pending) {
		m, err := mergeInto(c, live, 0)
		m.Base = live
		return m, err
	}
	liveVersion := uint64(0)
	if live != nil {
		v, err := configVersionOf(live)
		if err != nil {
			return Merged{}, err
		}
		liveVersion = v
	}
	m, err := mergeInto(c, pending, liveVersion)
	m.Base, m.IntoPending = pending, true
	return m, err
}

// byteOrderMark is UTF-8's, which some editors put at the start of a file.
var byteOrderMark = []byte("\xEF\xBB\xBF")

// mergeInto is ClusterConf, keeping a config_version already above keepAbove
// (0: always bump). It fills Data and Quorum.
func mergeInto(c *cluster.Cluster, current []byte, keepAbove uint64) (Merged, error) {
	if err := c.Validate(); err != nil {
		return Merged{}, err
	}
	if current == nil {
		skeleton, err := execute("cluster.conf.tmpl", c)
		if err != nil {
			return Merged{}, err
		}
		current = skeleton
	}
	bom := bytes.HasPrefix(current, byteOrderMark)
	current = bytes.TrimPrefix(current, byteOrderMark)
	crlf := bytes.Contains(current, []byte("\r\n"))
	root, doc, err := parseClusterConf(current)
	if err != nil {
		return Merged{}, err
	}
	m := merger{c: c, root: root, keepAbove: keepAbove}
	if err := m.merge(); err != nil {
		return Merged{}, err
	}
	out, err := doc.WriteToBytes()
	if err != nil {
		return Merged{}, err
	}
	if !bytes.HasSuffix(out, []byte("\n")) {
		out = append(out, '\n')
	}
	if crlf {
		out = bytes.ReplaceAll(out, []byte("\n"), []byte("\r\n"))
	}
	if bom {
		out = append(slices.Clone(byteOrderMark), out...)
	}
	return Merged{Data: out, Quorum: m.quorum}, nil
}

func parseClusterConf(data []byte) (*etree.Element, *etree.Document, error) {
	if err := checkWellFormed(data); err != nil {
		return nil, nil, err
	}
	doc := etree.NewDocument()
	doc.ReadSettings.PreserveCData = true
	if err := doc.ReadFromBytes(data); err != nil {
		return nil, nil, fmt.Errorf("cluster.conf: %w", err)
	}
	root := doc.Root()
	if root == nil || root.Tag != "cluster" {
		return nil, nil, fmt.Errorf("cluster.conf: the top element is not <cluster>")
	}
	return root, doc, nil
}

// configVersionOf reads the config_version of a cluster.conf (0 when absent).
func configVersionOf(data []byte) (uint64, error) {
	root, _, err := parseClusterConf(bytes.TrimPrefix(data, byteOrderMark))
	if err != nil {
		return 0, err
	}
	return readConfigVersion(root)
}

type merger struct {
	c    *cluster.Cluster
	root *etree.Element
	// devices maps each node's name to the name of its fence_ovh device.
	devices map[string]string
	// fenceOVH holds the names of all fence_ovh devices, old and new: a node's
	// reference to any of them becomes a reference to its own device.
	fenceOVH map[string]bool
	// keepAbove: a config_version above it is kept rather than bumped (MergeClusterConf).
	keepAbove uint64
	// quorum is settleQuorum's account of cman's quorum settings.
	quorum []string
}

func (m *merger) merge() error {
	nodes, err := m.clusterNodes()
	if err != nil {
		return err
	}
	if err := m.bumpConfigVersion(); err != nil {
		return err
	}
	m.quorum = m.settleQuorum(nodes)
	if err := m.placeFenceDevices(); err != nil {
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

// bumpConfigVersion adds one to config_version, which cman reads as an
// unsigned 32-bit number: a value that does not fit, or would not after the
// bump, is refused rather than wrapped.
func (m *merger) bumpConfigVersion() error {
	version, err := readConfigVersion(m.root)
	if err != nil {
		return err
	}
	if m.keepAbove > 0 && version > m.keepAbove {
		return nil
	}
	if version == math.MaxUint32 {
		return fmt.Errorf("cluster.conf: config_version %d is cman's largest: it cannot be bumped", version)
	}
	m.root.CreateAttr("config_version", strconv.FormatUint(version+1, 10))
	return nil
}

func readConfigVersion(root *etree.Element) (uint64, error) {
	attr := root.SelectAttr("config_version")
	if attr == nil {
		return 0, nil
	}
	v, err := strconv.ParseUint(attr.Value, 10, 32)
	if err != nil {
		return 0, fmt.Errorf("cluster.conf: config_version %q is not a whole number from 0 to %d", attr.Value, uint32(math.MaxUint32))
	}
	return v, nil
}

// placeFenceDevices gives every node one fence_ovh device. An old fence_ovh
// device whose plug is the node's server is updated in place, keeping its name
// and attribute order, so that the diff an admin reviews shows only what changed
// and the nodes' references to it stay as they were. Other nodes get a new
// device after the previous node's (or where the old ones were, or at the end),
// and old fence_ovh devices no node kept are removed.
func (m *merger) placeFenceDevices() error {
	devices := m.root.SelectElement("fencedevices")
	if devices == nil {
		if clusternodes := m.root.SelectElement("clusternodes"); clusternodes != nil {
			devices = insertElementBefore(clusternodes, "fencedevices")
		} else {
			devices = appendElement(m.root, "fencedevices")
		}
	}
	var old []*etree.Element
	taken := map[string]string{} // names of the devices that stay, to their agent
	m.fenceOVH = map[string]bool{}
	for _, fd := range devices.SelectElements("fencedevice") {
		name, agent := fd.SelectAttrValue("name", ""), fd.SelectAttrValue("agent", "")
		if agent == AgentName {
			old = append(old, fd)
			m.fenceOVH[name] = true
		} else {
			taken[name] = agent
		}
	}
	kept := keptDevices(m.c.Nodes, old)
	stays := map[*etree.Element]bool{}
	for _, fd := range kept {
		stays[fd] = true
		taken[fd.SelectAttrValue("name", "")] = AgentName
	}
	m.devices = map[string]string{}
	var previous *etree.Element
	for _, n := range m.c.Nodes {
		fd := kept[n.Name]
		if fd == nil {
			name := DeviceName(n.Name)
			if agent, ok := taken[name]; ok {
				return fmt.Errorf("cluster.conf: fencedevice %q already exists with agent %q: rename it", name, agent)
			}
			switch {
			case previous != nil:
				fd = insertElementAfter(previous, "fencedevice")
			case len(old) > 0:
				fd = insertElementBefore(old[0], "fencedevice")
			default:
				fd = appendElement(devices, "fencedevice")
			}
		}
		name := fd.SelectAttrValue("name", DeviceName(n.Name))
		setAttrs(fd, fenceDeviceAttrs(m.c, n, name))
		m.devices[n.Name] = name
		m.fenceOVH[name] = true
		previous = fd
	}
	for _, fd := range old {
		if !stays[fd] {
			removeElement(fd)
		}
	}
	return nil
}

// keptDevices picks, for each node, the first old fence_ovh device whose plug
// (or its old name, port) is the node's server, unless it bears the name a new
// device of another node would get: after a node↔server mapping is corrected,
// fence_ovh_a must not go on fencing b's server.
func keptDevices(nodes []cluster.Node, old []*etree.Element) map[string]*etree.Element {
	nodeByDefaultName := map[string]string{}
	for _, n := range nodes {
		nodeByDefaultName[DeviceName(n.Name)] = n.Name
	}
	kept := map[string]*etree.Element{}
	claimed := map[*etree.Element]bool{}
	for _, n := range nodes {
		for _, fd := range old {
			plug := fd.SelectAttrValue("plug", fd.SelectAttrValue("port", ""))
			owner, named := nodeByDefaultName[fd.SelectAttrValue("name", "")]
			if !claimed[fd] && plug == n.Server && (!named || owner == n.Name) {
				kept[n.Name], claimed[fd] = fd, true
				break
			}
		}
	}
	return kept
}

// fenceDeviceAttrs are all the attributes of n's <fencedevice>: ours only, so an
// old agent's login and password go (DESIGN.md D4).
func fenceDeviceAttrs(c *cluster.Cluster, n cluster.Node, name string) []param {
	attrs := append([]param{{"agent", AgentName}, {"name", name}}, agentParams(c, n)...)
	if n.Delay > 0 {
		attrs = append(attrs, param{"delay", strconv.Itoa(n.Delay)})
	}
	return attrs
}

// fenceNode points cn's fencing at n's device: the first reference to any
// fence_ovh device becomes one to n's own, in its place; other such references
// go, and so does a method left empty. With none, a new last method holds it.
func (m *merger) fenceNode(cn *etree.Element, n cluster.Node) {
	own := m.devices[n.Name]
	device := []param{{"name", own}, {"action", string(m.c.Action)}}
	fence := cn.SelectElement("fence")
	if fence == nil {
		fence = appendElement(cn, "fence")
	}
	placed := false
	for _, method := range fence.SelectElements("method") {
		for _, d := range method.SelectElements("device") {
			switch {
			case !m.fenceOVH[d.SelectAttrValue("name", "")]:
			case placed:
				removeElement(d)
			default:
				setAttrs(d, device)
				placed = true
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
	m.dropOthersUnfencing(cn, own)
}

// dropOthersUnfencing removes <unfence> references to fence_ovh devices other
// than the node's own, which would power on another server or name a removed
// device, and an <unfence> left empty.
func (m *merger) dropOthersUnfencing(cn *etree.Element, own string) {
	for _, unfence := range cn.SelectElements("unfence") {
		for _, d := range unfence.SelectElements("device") {
			if name := d.SelectAttrValue("name", ""); m.fenceOVH[name] && name != own {
				removeElement(d)
			}
		}
		if len(unfence.ChildElements()) == 0 {
			removeElement(unfence)
		}
	}
}
