package wizard

import (
	"fmt"
	"strings"
	"time"

	"github.com/ovhfence/ovhfence/cluster"
	"github.com/ovhfence/ovhfence/fencing"
	"github.com/ovhfence/ovhfence/keys"
	"github.com/ovhfence/ovhfence/ovhapi"
)

// SkewWarning is the clock difference worth a warning: OVH rejects signed calls
// about a minute off (reference/ovh-api.md §1.6); go-ovh corrects for it, but
// only once per process.
const SkewWarning = 30 * time.Second

// Next is the transition function: the state after ev, and the effects to run.
// It never does I/O.
func Next(s State, ev Event) (State, []Effect) {
	switch ev := ev.(type) {
	case Start:
		return New(s.Answers).call("Looking at this machine's cluster configuration…", EffectPreflight{})
	case Back, Cancel:
		if _, back := ev.(Back); back && !s.Facts.FenceTesting {
			return s.back(), nil
		}
		if !s.Busy() {
			return s, nil
		}
		if s.Facts.FenceTesting {
			// The test's answer is still awaited: the runner stops and brings
			// the node back to its disk, and only then is the test over.
			s.Stopping = true
			s.Waiting = fmt.Sprintf("Stopping the fence test: bringing %s back on its disk…", s.Answers.Mapping[s.Answers.FenceTest])
			return s, nil
		}
		s = s.abandon()
		s.Problem = "Cancelled."
		return s, nil
	case Reply:
		if ev.Seq != s.Seq || !s.Busy() {
			return s, nil // the person moved on; this answer is stale
		}
		return onResult(s, ev.Result)
	}
	if s.Busy() {
		return s, nil // answers wait until the effect in flight is done or cancelled
	}
	s.Problem = ""
	return onAnswer(s, ev)
}

func onAnswer(s State, ev Event) (State, []Effect) {
	switch ev := ev.(type) {
	case SubmitPreflight:
		if s.Step == StepPreflight {
			return submitPreflight(s, ev)
		}
	case SubmitAppKeys:
		if s.Step == StepAppKeys {
			return submitAppKeys(s, ev)
		}
	case SubmitServers:
		if s.Step == StepServers {
			return submitServers(s, ev)
		}
	case SubmitMapping:
		if s.Step == StepMap {
			return submitMapping(s, ev)
		}
	case SubmitMode:
		if s.Step == StepMode {
			return submitMode(s, ev)
		}
	case SubmitFencingKey:
		if s.Step == StepFencingKey {
			return submitFencingKey(s, ev)
		}
	case SubmitIntervention:
		if s.Step == StepFencingKey && len(s.Facts.Interventions) > 0 {
			return submitIntervention(s, ev)
		}
	case SubmitLiveTest:
		if s.Step == StepLiveTest {
			return submitLiveTest(s, ev)
		}
	case SubmitOutput:
		if s.Step == StepOutput {
			return submitOutput(s)
		}
	case Finish:
		if s.Step == StepSummary {
			return s.advance(StepDone, "Done"), nil
		}
	}
	return s, nil // an answer for another step changes nothing
}

func submitPreflight(s State, ev SubmitPreflight) (State, []Effect) {
	endpoint := strings.TrimSpace(ev.Endpoint)
	for _, err := range []error{
		ValidateTargets(ev.Targets), ValidateEndpoint(endpoint),
		ValidateName("cluster name", ev.ClusterName), ValidateNodes(ev.Nodes),
	} {
		if err != nil {
			return s.fail(err.Error())
		}
	}
	if err := checkGiven(s.Answers, ev.Nodes); err != nil {
		return s.fail(err.Error())
	}
	if err := ValidateGivenMapping(s.Answers.Mapping, ev.Nodes, knownServers(s.Answers.Servers)); err != nil {
		return s.refuseGivenMapping(err)
	}
	s.Answers.Targets, s.Answers.Endpoint = ev.Targets, endpoint
	s.Answers.ClusterName, s.Answers.Nodes = ev.ClusterName, ev.Nodes
	return s.call("Comparing this machine's clock with "+endpoint+"…", EffectSyncTime{Endpoint: endpoint})
}

func submitAppKeys(s State, ev SubmitAppKeys) (State, []Effect) {
	ak, as := TrimSecret(ev.AppKey), TrimSecret(ev.AppSecret)
	if err := ValidateKey("application key", ak); err != nil {
		return s.fail(err.Error())
	}
	if err := ValidateKey("application secret", as); err != nil {
		return s.fail(err.Error())
	}
	kind := s.Answers.CredentialKind
	if ev.CredentialKind != "" {
		kind = ev.CredentialKind
	}
	if err := ValidateCredentialKind(kind, s.Answers.Endpoint); err != nil {
		return s.fail(err.Error()) // before any key is requested
	}
	s.Answers.AppKey, s.Answers.AppSecret, s.Answers.CredentialKind = ak, as, kind
	return s.call("Asking "+s.Answers.Endpoint+" whether it knows this application key…",
		EffectProveAppKey{Config: s.Answers.Config("")})
}

func submitServers(s State, ev SubmitServers) (State, []Effect) {
	if err := ValidateServers(ev.Names); err != nil {
		return s.fail(err.Error())
	}
	if err := checkServerCount(ev.Names, s.Answers.Nodes); err != nil {
		return s.fail(err.Error())
	}
	if err := ValidateGivenMapping(s.Answers.Mapping, s.Answers.Nodes, knownServers(ev.Names)); err != nil {
		return s.fail(err.Error())
	}
	s.Answers.Servers = ev.Names
	return requestKey(s, PurposeDiscovery)
}

func requestKey(s State, purpose string) (State, []Effect) {
	rules := keys.DiscoveryRules(s.Answers.Servers...)
	switch purpose {
	case PurposeFencing:
		rules = keys.FencingRules(s.Answers.MappedServers())
	case PurposeSetup:
		rules = SetupRules()
	}
	s.Facts.Key = KeyRequest{Purpose: purpose}
	return s.call("Requesting the "+purpose+" key…",
		EffectRequestKey{Config: s.Answers.Config(""), Purpose: purpose, Rules: rules})
}

// errDiscoveryEnded: once the files are written the discovery key is ended, so
// reading the servers again needs a new one.
const errDiscoveryEnded = "The read-only discovery key was ended when the files were written: go back to Servers to request a new one."

func submitMapping(s State, ev SubmitMapping) (State, []Effect) {
	if err := ValidateMapping(s.Answers.Nodes, ev.Mapping, serverNames(s.Facts.Servers)); err != nil {
		return s.fail(err.Error())
	}
	if !ev.Confirmed {
		for _, node := range s.Answers.Nodes {
			if m := s.Facts.Matches[node]; m.Server != ev.Mapping[node] || m.Evidence == "" {
				return s.fail(fmt.Sprintf("nothing shows that node %s runs on %s, and nobody confirmed it: "+
					"--%s never accepts a guess; pass --%s %s=SERVICE-NAME", node, ev.Mapping[node], FieldConfirm.Flag, FieldMap.Flag, node))
			}
		}
	}
	if s.Facts.DiscoveryKey == "" {
		return s.fail(errDiscoveryEnded)
	}
	s.Answers.Mapping = ev.Mapping
	s = s.advance(StepMode, fmt.Sprintf("%d nodes mapped to their servers", len(s.Answers.Nodes)))
	return s.call("Reading the boot catalogue of every server…", EffectDiscoverBoots{
		Config: s.Answers.Config(s.Facts.DiscoveryKey), Servers: s.Answers.MappedServers(),
	})
}

func submitMode(s State, ev SubmitMode) (State, []Effect) {
	if s.Facts.Boots == nil {
		if s.Facts.DiscoveryKey == "" {
			return s.fail(errDiscoveryEnded)
		}
		return s.call("Reading the boot catalogue of every server…", EffectDiscoverBoots{
			Config: s.Answers.Config(s.Facts.DiscoveryKey), Servers: s.Answers.MappedServers(),
		})
	}
	if err := ValidateMode(ev.Mode, s.Facts.WithoutPower(s.Answers.MappedServers())); err != nil {
		return s.fail(err.Error())
	}
	s.Answers.Mode = ev.Mode
	return s.advance(StepFencingKey, "Fence mode: "+string(ev.Mode)), nil
}

func submitFencingKey(s State, ev SubmitFencingKey) (State, []Effect) {
	if s.Answers.ServiceAccount() {
		if s.Answers.ClientID != "" {
			return checkAccount(s) // created already: prove it again (after its policy was fixed)
		}
		return requestKey(s, PurposeSetup)
	}
	ck := TrimSecret(ev.ConsumerKey)
	if ck == "" {
		return requestKey(s, PurposeFencing)
	}
	if err := ValidateKey("consumer key", ck); err != nil {
		return s.fail(err.Error())
	}
	s.Answers.ConsumerKey = ck
	return checkKey(s)
}

// submitIntervention sets noIntervention with the fencing key, or records
// that the person keeps OVH's interventions.
func submitIntervention(s State, ev SubmitIntervention) (State, []Effect) {
	if !ev.Set {
		s.Answers.NoIntervention = cluster.NoInterventionUnchanged
		return keyDone(s)
	}
	return s.call("Setting noIntervention on "+strings.Join(s.Facts.Interventions, ", ")+"…", EffectSetNoIntervention{
		Config: s.Answers.FencingConfig(), Servers: s.Facts.Interventions,
	})
}

func checkKey(s State) (State, []Effect) {
	return s.call("Checking the fencing key against every server…", EffectCheckKey{
		Config: s.Answers.Config(s.Answers.ConsumerKey), Servers: s.Answers.MappedServers(),
	})
}

// createAccount creates the service account with the validated setup key.
func createAccount(s State, setupKey string) (State, []Effect) {
	return s.call("Creating the service account and its IAM policy, then ending the setup key…", EffectCreateAccount{
		Config: s.Answers.Config(setupKey), Name: "ovhfence " + s.Answers.ClusterName, Servers: s.Answers.MappedServers(),
	})
}

// checkAccount proves the service account's grant before anything is fenced.
func checkAccount(s State) (State, []Effect) {
	return s.call("Proving the service account's grant with OVH's authorization check…", EffectCheckAccount{
		Config: s.Answers.FencingConfig(), Servers: s.Answers.MappedServers(),
	})
}

// SetupRules are the setup key's access rules (keys.SetupRules).
func SetupRules() []ovhapi.Rule {
	var rules []ovhapi.Rule
	for _, r := range keys.SetupRules() {
		rules = append(rules, r.Rule)
	}
	return rules
}

func submitLiveTest(s State, ev SubmitLiveTest) (State, []Effect) {
	if s.Facts.Power == nil {
		return statusAll(s) // the harmless test has not passed yet: run it again
	}
	if ev.Node == "" {
		s.Answers.FenceTest, s.Answers.FenceConfirm = "", ""
		return preview(s.advance(StepOutput, s.liveTestSummary()))
	}
	if err := ValidateFenceTest(ev.Node, ev.Confirm, s.Answers.Mapping); err != nil {
		return s.fail(err.Error())
	}
	if s.IsLocalNode(ev.Node) && ev.ConfirmLocal != ev.Node {
		return s.fail(fmt.Sprintf("%s is the machine this wizard runs on: fencing it cuts the wizard off, so its name "+
			"must be typed a second time at the prompt (not possible with --%s alone); or run the test from another node", ev.Node, FieldFenceTest.Flag))
	}
	s.Answers.FenceTest, s.Answers.FenceConfirm = ev.Node, ev.Confirm
	s.Facts.Cycle, s.Facts.Progress = nil, nil
	s.Facts.FenceTesting = true
	sn := s.Answers.Mapping[ev.Node]
	return s.call(fmt.Sprintf("Fencing %s (%s) for real: off, verified, then on, verified…", ev.Node, sn),
		EffectFenceCycle{Config: s.Answers.FencingConfig(), Node: ev.Node, Target: s.fencingTarget(sn),
			ClusterTarget: s.Answers.Targets[0]})
}

func statusAll(s State) (State, []Effect) {
	servers := s.Answers.MappedServers()
	targets := make([]fencing.Target, 0, len(servers))
	for _, sn := range servers {
		targets = append(targets, s.fencingTarget(sn))
	}
	return s.call("Reading the power state of every server, as the agent's status action does…",
		EffectStatusAll{Config: s.Answers.FencingConfig(), Targets: targets})
}

func preview(s State) (State, []Effect) {
	return s.call("Rendering the configuration…", EffectPreview{
		Cluster: s.Cluster(), Config: s.Answers.FencingConfig(), Targets: s.Answers.Targets,
	})
}

func submitOutput(s State) (State, []Effect) {
	if s.Facts.Files == nil {
		return preview(s)
	}
	write := EffectWrite{Files: s.Facts.Files}
	if s.Facts.DiscoveryKey != "" {
		write.EndKey = s.Answers.Config(s.Facts.DiscoveryKey)
	}
	return s.call("Writing the files…", write)
}

// Cluster is the cluster model the answers describe, as the output step renders it.
func (s State) Cluster() *cluster.Cluster {
	a := s.Answers
	c := cluster.New(a.ClusterName, a.Targets[0])
	c.Endpoint = a.Endpoint
	c.FenceMode = a.Mode
	if a.Mode == cluster.FencePoweroff {
		c.NoIntervention = a.NoIntervention
	}
	if cycle := s.Facts.Cycle; cycle != nil {
		c.RecordRebootTime(cycle.Off, cycle.On) // the fire drill sizes the timeouts
	}
	for _, name := range a.Nodes {
		node := cluster.NewNode(name, a.Mapping[name])
		boots := s.Facts.Boots[node.Server]
		node.RescueBootID, node.PowerBootID = boots.Rescue, boots.Power
		if boots.Disk != 0 {
			node.DiskBootID = boots.Disk
		}
		c.Nodes = append(c.Nodes, node)
	}
	if len(c.Nodes) == 2 {
		// Two nodes that lose each other fence each other at once; a delay on
		// one lets it survive the race (reference/peers-proxmox.md §5).
		c.Nodes[0].Delay = TwoNodeDelay
	}
	return c
}

// TwoNodeDelay is the fence delay, in seconds, given to the first of two nodes.
const TwoNodeDelay = 15

// fencingTarget is how the agent will fence sn with these answers.
func (s State) fencingTarget(sn string) fencing.Target {
	return fencing.Target{Server: sn, Mode: fencing.Mode(s.Answers.Mode), Boots: s.Facts.Boots[sn]}
}
