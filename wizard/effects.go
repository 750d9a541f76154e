package wizard

import (
	"github.com/ovhfence/ovhfence/cluster"
	"github.com/ovhfence/ovhfence/fencing"
	"github.com/ovhfence/ovhfence/ovhapi"
)

// Effect is work for a Runner. Its result must come back as Reply{Seq, …} so
// that the answer to a call the person has since gone back from is ignored.
type Effect struct {
	Seq  int
	Work Work
}

// Work is the payload of an Effect; every type below is one.
type Work interface{ work() }

// EffectPreflight detects the target and reads the cluster's node names.
type EffectPreflight struct{}

// EffectSyncTime compares the local clock with the endpoint's /auth/time.
type EffectSyncTime struct{ Endpoint string }

// EffectProveAppKey checks that the endpoint knows the application key.
type EffectProveAppKey struct{ Config ovhapi.Config }

// EffectRequestKey asks OVH for a consumer key with rules for Purpose.
type EffectRequestKey struct {
	Config  ovhapi.Config
	Purpose string
	Rules   []ovhapi.Rule
}

// EffectWaitKey waits until the person validates, refuses or lets the key expire.
type EffectWaitKey struct {
	Config  ovhapi.Config // with the consumer key to wait for
	Purpose string
}

// EffectDiscoverServers reads the named servers, or lists the account's
// servers and reads only the Candidates of Nodes.
type EffectDiscoverServers struct {
	Config ovhapi.Config // with the discovery key
	Names  []string
	Nodes  []string // the cluster nodes: their addresses pick the servers read and match them
	// NodeAddrs are the nodes' addresses known already (corosync's ring0_addr).
	NodeAddrs map[string][]NodeAddr
}

// EffectDiscoverBoots finds each server's rescue, power and disk boot IDs.
type EffectDiscoverBoots struct {
	Config  ovhapi.Config // with the discovery key
	Servers []string
}

// EffectCheckKey verifies the fencing key: validated, unlimited, exact rules,
// every server readable.
type EffectCheckKey struct {
	Config  ovhapi.Config
	Servers []string
}

// EffectCreateAccount creates, with the validated setup key, the fencing
// service account and its one IAM policy on Servers, then ends the setup key.
type EffectCreateAccount struct {
	Config  ovhapi.Config // with the setup key
	Name    string
	Servers []string
}

// EffectCheckAccount proves the service account's grant with OVH's
// authorization check: every fencing action on every server, nothing
// dangerous. Its answer is a KeyChecked.
type EffectCheckAccount struct {
	Config  ovhapi.Config // the service account
	Servers []string
}

// EffectSetNoIntervention turns OVH's datacentre interventions off on
// Servers, with the fencing key's PUT.
type EffectSetNoIntervention struct {
	Config  ovhapi.Config
	Servers []string
}

// EffectStatusAll reads the power state of every server the way the agent does.
type EffectStatusAll struct {
	Config  ovhapi.Config
	Targets []fencing.Target
}

// EffectFenceCycle fences one node for real: off, verified, on, verified.
type EffectFenceCycle struct {
	Config ovhapi.Config
	Node   string
	Target fencing.Target
	// ClusterTarget decides where ovh.conf goes; the keys a recovery needs
	// are saved beside it, in <ovh.conf>.pending, before anything is fenced.
	ClusterTarget cluster.Target
}

// EffectPreview renders the outputs for Targets without writing them.
type EffectPreview struct {
	Cluster *cluster.Cluster
	Config  ovhapi.Config // what ovh.conf will hold
	Targets []cluster.Target
}

// EffectWrite writes the previewed files atomically and the transcript, then ends
// the read-only discovery key (EndKey, when it has a consumer key): fencing never
// needs it, so it should not outlive the setup (DESIGN.md D3).
type EffectWrite struct {
	Files  []File
	EndKey ovhapi.Config
}

func (EffectPreflight) work()         {}
func (EffectSyncTime) work()          {}
func (EffectProveAppKey) work()       {}
func (EffectRequestKey) work()        {}
func (EffectWaitKey) work()           {}
func (EffectDiscoverServers) work()   {}
func (EffectDiscoverBoots) work()     {}
func (EffectCheckKey) work()          {}
func (EffectCreateAccount) work()     {}
func (EffectCheckAccount) work()      {}
func (EffectStatusAll) work()         {}
func (EffectSetNoIntervention) work() {}
func (EffectFenceCycle) work()        {}
func (EffectPreview) work()           {}
func (EffectWrite) work()             {}
