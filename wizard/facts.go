package wizard

import (
	"io/fs"
	"time"

	"github.com/ovhfence/ovhfence/cluster"
	"github.com/ovhfence/ovhfence/fencing"
)

// Facts are what the effects found out; the front ends show them.
type Facts struct {
	Preflight Preflight
	Skew      time.Duration // local clock minus OVH's
	Servers   []ServerInfo  // the servers the discovery key read
	// Matches are the servers found for the nodes, with their evidence
	// (MatchServers); a node without one is the person's to choose.
	Matches map[string]Match
	Boots   map[string]fencing.BootIDs
	Key     KeyRequest // the consumer key being requested, if any
	// DiscoveryKey is the validated read-only key (secret); it reads servers
	// and boot catalogues and is never stored.
	DiscoveryKey string
	// PolicyID is the service account's IAM policy, once created.
	PolicyID string
	Power    map[string]fencing.Power
	// Interventions are the servers OVH may send a technician to once
	// powered off; set while the fencing-key step asks about them.
	Interventions []string
	Cycle         *FenceCycle // the result of the real fence test, if one ran
	Progress      []string    // the progress lines of the running fence test
	// FenceTesting is set while the real fence test runs; Recovery, once it
	// started, is the command that brings its node back, and stays set while
	// the node may be off; Pending is the file it reads the keys from.
	FenceTesting      bool
	Recovery, Pending string
	Files             []File   // the outputs to write, previewed
	OutDir            string   // the directory they go to, as the person gave it
	Written           []string // the paths written, in order
	LogPath           string   // the redacted transcript
	Next              []string // the commands to run next

	// Backups maps a replaced file's path to where its previous content is kept.
	Backups map[string]string
}

// Preflight is what the machine found before asking anything.
type Preflight struct {
	Detected    []cluster.Target // stacks found installed
	PVE4        bool             // Proxmox VE ≥ 4: its HA stack cannot call fence agents
	ClusterName string
	Nodes       []string
	NodesSource string // the file the nodes were read from, "" when none
	ClusterConf string // the cman cluster.conf read, which pve3's output merges into; "" when none
	Hostname    string // this machine's host name, to know the node the wizard runs on
	// NodeAddrs are the nodes' addresses read with them (corosync's ring0_addr).
	NodeAddrs   map[string][]NodeAddr
	Sandbox     bool   // the endpoint is the embedded simulator
	SandboxNote string // what the sandbox does on the person's behalf
	SeedServers int    // the sandbox's --seed-servers, 0 when it holds its default four
}

// ServerInfo is one discovered server as listed to the person.
type ServerInfo struct {
	Name, Reverse, Datacenter, State string
	IP                               string // OVH's "ip": the server's main public IPv4 address
	// Read says the details above were read; on a large account only the
	// nodes' candidates are, the others are names from the list.
	Read bool
}

// Key purposes: the short-lived read-only discovery key and the fencing key.
const (
	PurposeDiscovery = "discovery"
	PurposeFencing   = "fencing"
	// PurposeSetup is the short-lived key that creates the service account.
	PurposeSetup = "service-account setup"
)

// KeyRequest is a consumer key waiting for the person to validate it.
type KeyRequest struct {
	Purpose       string
	ConsumerKey   string // secret
	ValidationURL string
}

// FenceCycle is a real off → on cycle of one node.
type FenceCycle struct {
	Node, Server string
	Off, On      time.Duration
}

// File is one output: where it goes, what it holds, and for files that exist
// already, the diff a person should read first.
type File struct {
	Path    string
	Content []byte
	Diff    string
	Mode    fs.FileMode
	Secret  bool // holds keys: never previewed
	Purpose string
}
