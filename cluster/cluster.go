// Package cluster is the cluster model: which cluster nodes run on which OVH
// servers, where the OVH credentials live, how fencing behaves. It is stored in a
// small commented key = value file that the wizard writes and a person can edit.
// The file never holds secrets, only the path of the ovh.conf that does (DESIGN.md D4).
package cluster

import (
	"fmt"

	"github.com/ovhfence/ovhfence/ovhapi"
)

// Target is the cluster stack the configuration is rendered for.
type Target string

// Targets.
const (
	TargetPVE3 Target = "pve3" // Proxmox VE 3: cman + rgmanager, /etc/pve/cluster.conf
	TargetPcs  Target = "pcs"  // Pacemaker managed with pcs
	TargetCrm  Target = "crm"  // Pacemaker managed with crmsh
)

// FenceMode is the agent's fence_mode: what "off" does to an OVH server (DESIGN.md D1).
type FenceMode string

// Fence modes.
const (
	FenceRescue   FenceMode = "rescue"   // reboot into the rescue system
	FencePoweroff FenceMode = "poweroff" // reboot into the power netboot: the server stops
)

// Action is what the cluster asks of the fence device when it fences a node.
type Action string

// Actions.
const (
	ActionOff    Action = "off"
	ActionReboot Action = "reboot"
)

// Defaults for fields a file may leave out.
const (
	DefaultEndpoint     = "ovh-eu"
	DefaultFenceMode    = FenceRescue
	DefaultAction       = ActionOff
	DefaultPowerTimeout = 300 // seconds; the agent's own default wait for an OVH reboot task
)

// Values of no_intervention.
const (
	NoInterventionSet       = "set"       // setup set noIntervention on every server
	NoInterventionUnchanged = "unchanged" // the person kept OVH's interventions
)

// Cluster is one cluster and its fencing.
type Cluster struct {
	Name         string
	Target       Target
	Endpoint     string // OVH endpoint name (ovh-eu, …) or URL
	Credentials  string // path of the ovh.conf holding the keys
	FenceMode    FenceMode
	Action       Action
	PowerTimeout int // seconds one OVH reboot task may take (the agent's power_timeout)
	// RebootTime is how long a hard reboot took in setup's live test, in
	// seconds, from the reboot request to the verified read-back: the longer of
	// the off and the return to disk (the agent's reboot_time). 0: not measured.
	RebootTime int
	Nodes      []Node
	// NoIntervention records what setup did about OVH's datacentre
	// interventions in poweroff mode: set, unchanged, or "" (not asked).
	NoIntervention string

	// source and lines say where fields were read, so validation errors can point there.
	source string
	lines  map[string]int
}

// Node maps one cluster node to its OVH server.
type Node struct {
	Name         string // the cluster's node name (clusternode name, Pacemaker uname)
	Server       string // OVH service name, the agent's plug
	RescueBootID int64  // 0: the agent discovers it
	PowerBootID  int64  // 0: the agent discovers it; required in poweroff mode
	DiskBootID   int64
	Delay        int // seconds to wait before fencing this node, so it wins a fence race

	// line (of its [node "…"] header) and lines (of its fields) point errors at the file.
	line  int
	lines map[string]int
}

// field names one of the node's fields in error messages.
func (n *Node) field(key string) string {
	return fmt.Sprintf("node %q %s", n.Name, key)
}

// DefaultCredentialsPath is where ovh.conf lives for a target: Proxmox VE
// replicates /etc/pve/priv to every node and keeps it root-only.
func DefaultCredentialsPath(target Target) string {
	if target == TargetPVE3 {
		return "/etc/pve/priv/ovh.conf"
	}
	return "/etc/ovh.conf"
}

// New returns a cluster with every default set, for the wizard to fill in.
func New(name string, target Target) *Cluster {
	return &Cluster{
		Name:         name,
		Target:       target,
		Endpoint:     DefaultEndpoint,
		Credentials:  DefaultCredentialsPath(target),
		FenceMode:    DefaultFenceMode,
		Action:       DefaultAction,
		PowerTimeout: DefaultPowerTimeout,
	}
}

// NewNode returns a node on server with the disk boot set, the one boot ID that is
// the same on every OVH server.
func NewNode(name, server string) Node {
	return Node{Name: name, Server: server, DiskBootID: ovhapi.DiskBootID}
}

// bootID is one of a node's boot IDs under its file and agent parameter name.
type bootID struct {
	key string
	id  int64
}

func (n *Node) bootIDs() []bootID {
	return []bootID{{"rescue_boot_id", n.RescueBootID}, {"power_boot_id", n.PowerBootID}, {"disk_boot_id", n.DiskBootID}}
}
