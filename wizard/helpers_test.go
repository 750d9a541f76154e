package wizard

import (
	"reflect"
	"testing"

	"github.com/ovhfence/ovhfence/cluster"
	"github.com/ovhfence/ovhfence/fencing"
	"github.com/ovhfence/ovhfence/ovhapi"
)

const (
	sn1 = "ns567890.ip-123-22-44.eu"
	sn2 = "ns567891.ip-123-22-45.eu"
	sn3 = "ns567892.ip-123-22-46.eu"
)

var (
	testNodes     = []string{"node1", "node2", "node3"}
	testPreflight = Preflight{Detected: []cluster.Target{cluster.TargetPcs}, ClusterName: "demo", Nodes: testNodes, NodesSource: "/etc/corosync/corosync.conf"}
	testServers   = []ServerInfo{
		{Name: sn1, Reverse: "node1.example.net", Datacenter: "gra1", State: "ok"},
		{Name: sn2, Reverse: "node2.example.net", Datacenter: "rbx8", State: "ok"},
		{Name: sn3, Reverse: "node3.example.net", Datacenter: "sbg3", State: "ok"},
	}
	testMapping = map[string]string{"node1": sn1, "node2": sn2, "node3": sn3}
	testBoots   = map[string]fencing.BootIDs{
		sn1: {Rescue: 46371, Power: 95083, Disk: 1},
		sn2: {Rescue: 46412, Power: 95117, Disk: 1},
		sn3: {Rescue: 46458, Power: 95160, Disk: 1},
	}
	testPower = map[string]fencing.Power{sn1: fencing.PowerOn, sn2: fencing.PowerOn, sn3: fencing.PowerOn}
)

// step is one event of a scripted run; a Result is delivered as the Reply to
// the effect in flight.
type step struct {
	event     any
	wantStep  Step
	wantWork  Work // the type of the one effect expected, nil for none
	stillBusy bool // a progress report: the effect in flight goes on
}

// happyPath walks the wizard from Start to Done.
var happyPath = []step{
	{Start{}, StepPreflight, EffectPreflight{}, false},
	{PreflightFound{Preflight: testPreflight}, StepPreflight, nil, false},
	{SubmitPreflight{Targets: []cluster.Target{cluster.TargetPcs, cluster.TargetPVE3}, Endpoint: "ovh-eu", ClusterName: "demo", Nodes: testNodes}, StepPreflight, EffectSyncTime{}, false},
	{TimeSynced{}, StepAppKeys, nil, false},
	{SubmitAppKeys{AppKey: " abcDEF123 \n", AppSecret: "secretSECRET42\n"}, StepAppKeys, EffectProveAppKey{}, false},
	{AppKeyProven{}, StepServers, nil, false},
	{SubmitServers{}, StepServers, EffectRequestKey{}, false},
	{KeyRequested{Request: ovhapi.ConsumerKeyRequest{ConsumerKey: "discoveryCK", ValidationURL: "https://eu.api.ovh.com/auth/?credentialToken=d"}}, StepServers, EffectWaitKey{}, false},
	{KeyValidated{}, StepServers, EffectDiscoverServers{}, false},
	{ServersFound{Servers: testServers}, StepMap, nil, false},
	{SubmitMapping{Mapping: testMapping}, StepMode, EffectDiscoverBoots{}, false},
	{BootsFound{Boots: testBoots}, StepMode, nil, false},
	{SubmitMode{Mode: cluster.FencePoweroff}, StepFencingKey, nil, false},
	{SubmitFencingKey{}, StepFencingKey, EffectRequestKey{}, false},
	{KeyRequested{Request: ovhapi.ConsumerKeyRequest{ConsumerKey: "fencingCK", ValidationURL: "https://eu.api.ovh.com/auth/?credentialToken=f"}}, StepFencingKey, EffectWaitKey{}, false},
	{KeyValidated{}, StepFencingKey, EffectCheckKey{}, false},
	{KeyChecked{}, StepLiveTest, EffectStatusAll{}, false},
	{StatusRead{Power: testPower}, StepLiveTest, nil, false},
	{SubmitLiveTest{Node: "node2", Confirm: sn2}, StepLiveTest, EffectFenceCycle{}, false},
	{event: FenceProgress{Line: "off: task done"}, wantStep: StepLiveTest, stillBusy: true},
	{FenceCycled{Off: 5e9, On: 6e9}, StepLiveTest, nil, false},
	{SubmitLiveTest{}, StepOutput, EffectPreview{}, false},
	{Previewed{Files: []File{{Path: "out/pcs.sh", Content: []byte("pcs …")}}}, StepOutput, nil, false},
	{SubmitOutput{}, StepOutput, EffectWrite{}, false},
	{Wrote{Paths: []string{"out/pcs.sh"}, LogPath: "out/ovhfence-setup.log"}, StepSummary, nil, false},
	{Finish{}, StepDone, nil, false},
}

// apply delivers one scripted event and checks the step and effect.
func apply(t *testing.T, s State, st step) (State, []Effect) {
	t.Helper()
	var ev Event
	switch e := st.event.(type) {
	case Result:
		ev = Reply{Seq: s.Seq, Result: e}
	case Event:
		ev = e
	default:
		t.Fatalf("%T is neither an Event nor a Result", st.event)
	}
	next, effects := Next(s, ev)
	if next.Step != st.wantStep {
		t.Fatalf("after %T: step %v, want %v (problem %q)", st.event, next.Step, st.wantStep, next.Problem)
	}
	if st.wantWork == nil {
		if len(effects) != 0 {
			t.Fatalf("after %T: effects %#v, want none", st.event, effects)
		}
		if next.Busy() != st.stillBusy {
			t.Fatalf("after %T: waiting on %q", st.event, next.Waiting)
		}
		return next, effects
	}
	if len(effects) != 1 || reflect.TypeOf(effects[0].Work) != reflect.TypeOf(st.wantWork) {
		t.Fatalf("after %T: effects %#v, want one %T", st.event, effects, st.wantWork)
	}
	if effects[0].Seq != next.Seq || !next.Busy() {
		t.Fatalf("after %T: effect seq %d, state seq %d, waiting %q", st.event, effects[0].Seq, next.Seq, next.Waiting)
	}
	return next, effects
}

// reach plays the happy path until the first time the wizard is idle at step.
func reach(t *testing.T, target Step) State {
	t.Helper()
	s := New(Answers{})
	for _, st := range happyPath {
		if s.Step == target && !s.Busy() && s.Seq > 0 && s.Problem == "" && ready(s) {
			return s
		}
		s, _ = apply(t, s, st)
	}
	if s.Step != target {
		t.Fatalf("the happy path never reaches %v", target)
	}
	return s
}

// ready reports whether the step's data has arrived, so the step is waiting on the person.
func ready(s State) bool {
	switch s.Step {
	case StepMode:
		return s.Facts.Boots != nil
	case StepLiveTest:
		return s.Facts.Power != nil
	case StepOutput:
		return s.Facts.Files != nil
	}
	return s.Step != StepPreflight || len(s.Answers.Nodes) > 0
}
