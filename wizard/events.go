package wizard

import (
	"time"

	"github.com/ovhfence/ovhfence/cluster"
	"github.com/ovhfence/ovhfence/fencing"
	"github.com/ovhfence/ovhfence/ovhapi"
)

// Event is what moves the wizard: a person's answer, Back, Cancel, or the
// Reply to an effect.
type Event interface{ event() }

// Start begins the wizard at the preflight.
type Start struct{}

// Back returns to the previous step, abandoning any effect in flight.
type Back struct{}

// Cancel abandons the effect in flight (a key wait, a fence test) and stays.
type Cancel struct{}

// SubmitPreflight confirms the target, endpoint and cluster nodes.
type SubmitPreflight struct {
	Targets  []cluster.Target
	Endpoint string
	// CredentialKind is KindConsumerKey or KindServiceAccount; "" keeps the answer given.
	CredentialKind string
	ClusterName    string
	Nodes          []string
}

// SubmitAppKeys gives the application key and secret.
// CredentialKind chooses what fences: KindConsumerKey or KindServiceAccount
// ("" keeps the answer given).
type SubmitAppKeys struct{ AppKey, AppSecret, CredentialKind string }

// SubmitServers names the servers to fence; none means discover them all.
type SubmitServers struct{ Names []string }

// SubmitMapping gives which server each node runs on. Confirmed says a
// person saw and answered the map; without it (the flags mode, --yes) every
// entry must be a Match with evidence or given by the person up front.
type SubmitMapping struct {
	Mapping   map[string]string
	Confirmed bool
}

// SubmitMode chooses the fence mode.
type SubmitMode struct{ Mode cluster.FenceMode }

// SubmitFencingKey requests a new fencing key, or uses ConsumerKey if set.
type SubmitFencingKey struct{ ConsumerKey string }

// SubmitIntervention answers, in poweroff mode, whether to turn OVH's
// datacentre interventions off on the servers that have them (Set).
type SubmitIntervention struct{ Set bool }

// SubmitLiveTest fences Node for real (Confirm = its service name), or with
// Node "" moves on to the output.
// ConfirmLocal is Node typed again, needed when Node is the machine the
// wizard runs on.
type SubmitLiveTest struct{ Node, Confirm, ConfirmLocal string }

// SubmitOutput confirms writing the previewed files.
type SubmitOutput struct{}

// Finish leaves the summary.
type Finish struct{}

// Reply carries an effect's Result back with the effect's Seq.
type Reply struct {
	Seq    int
	Result Result
}

// Result is the outcome of one effect; every type below is one.
type Result interface{ result() }

// PreflightFound answers EffectPreflight.
type PreflightFound struct {
	Preflight Preflight
	Err       error
}

// TimeSynced answers EffectSyncTime.
type TimeSynced struct {
	Skew time.Duration
	Err  error
}

// AppKeyProven answers EffectProveAppKey.
type AppKeyProven struct{ Err error }

// KeyRequested answers EffectRequestKey.
type KeyRequested struct {
	Request ovhapi.ConsumerKeyRequest
	Err     error
}

// KeyValidated answers EffectWaitKey; Err says refused, expired or failed.
type KeyValidated struct{ Err error }

// ServersFound answers EffectDiscoverServers.
type ServersFound struct {
	Servers []ServerInfo
	// NodeAddrs are the nodes' addresses as this machine resolves them
	// (getent ahostsv4 NODE).
	NodeAddrs map[string][]NodeAddr
	Err       error
}

// BootsFound answers EffectDiscoverBoots.
type BootsFound struct {
	Boots map[string]fencing.BootIDs
	Err   error
}

// KeyChecked answers EffectCheckKey; Problems are one line each.
// Interventions are the servers OVH may send a technician to once powered
// off (monitoring on, noIntervention off).
type KeyChecked struct {
	Problems      []string
	Interventions []string
	Err           error
}

// AccountCreated answers EffectCreateAccount. ClientSecret is secret.
type AccountCreated struct {
	ClientID, ClientSecret, PolicyID string
	// EndErr says the setup key could not be ended (it expires by itself).
	EndErr error
	Err    error
}

// NoInterventionSet answers EffectSetNoIntervention.
type NoInterventionSet struct{ Err error }

// StatusRead answers EffectStatusAll.
type StatusRead struct {
	Power map[string]fencing.Power
	Err   error
}

// DiscoveryProgress reports the server discovery's progress, one line per read.
type DiscoveryProgress struct{ Line string }

// FenceProgress reports a step of a running fence cycle, one line per change;
// the effect goes on.
type FenceProgress struct{ Line string }

// FenceCycled answers EffectFenceCycle. Off and On are each timed from the
// reboot request to the verified read-back (the cluster file's reboot_time).
type FenceCycled struct {
	Off, On time.Duration
	Err     error
	// Recovered says that after Err (or a cancellation) the server was
	// brought back on its disk, verified.
	Recovered bool
}

// FenceStarted is the fence test's first progress report: the keys are saved
// in Pending and Recovery is the command that brings the node back.
type FenceStarted struct{ Pending, Recovery string }

// Previewed answers EffectPreview.
type Previewed struct {
	Files  []File
	Next   []string
	OutDir string // the directory the outputs go to, as the person gave it
	Err    error
}

// Wrote answers EffectWrite.
type Wrote struct {
	Paths   []string
	Backups map[string]string // a replaced file's path → where its previous content is kept
	LogPath string
	Err     error
}

func (Start) event()              {}
func (Back) event()               {}
func (Cancel) event()             {}
func (SubmitPreflight) event()    {}
func (SubmitAppKeys) event()      {}
func (SubmitServers) event()      {}
func (SubmitMapping) event()      {}
func (SubmitMode) event()         {}
func (SubmitFencingKey) event()   {}
func (SubmitLiveTest) event()     {}
func (SubmitIntervention) event() {}
func (SubmitOutput) event()       {}
func (Finish) event()             {}
func (Reply) event()              {}

func (PreflightFound) result()    {}
func (TimeSynced) result()        {}
func (AppKeyProven) result()      {}
func (KeyRequested) result()      {}
func (KeyValidated) result()      {}
func (ServersFound) result()      {}
func (BootsFound) result()        {}
func (KeyChecked) result()        {}
func (NoInterventionSet) result() {}
func (AccountCreated) result()    {}
func (StatusRead) result()        {}
func (FenceProgress) result()     {}
func (FenceStarted) result()      {}
func (DiscoveryProgress) result() {}
func (FenceCycled) result()       {}
func (Previewed) result()         {}
func (Wrote) result()             {}
