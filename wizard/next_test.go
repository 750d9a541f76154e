package wizard

import (
	"errors"
	"maps"
	"reflect"
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/cluster"
	"github.com/ovhfence/ovhfence/keys"
	"github.com/ovhfence/ovhfence/ovhapi"
)

func TestHappyPathVisitsEveryStep(t *testing.T) {
	s := New(Answers{})
	visited := map[Step]bool{}
	var works []Work
	for _, st := range happyPath {
		var effects []Effect
		s, effects = apply(t, s, st)
		visited[s.Step] = true
		for _, e := range effects {
			works = append(works, e.Work)
		}
	}
	for step := StepPreflight; step <= StepDone; step++ {
		if !visited[step] {
			t.Errorf("step %v never visited", step)
		}
	}
	if len(s.Log) != StepCount {
		t.Errorf("step log has %d lines, want one per step (%d): %q", len(s.Log), StepCount, s.Log)
	}
	if s.Answers.AppKey != "abcDEF123" || s.Answers.AppSecret != "secretSECRET42" {
		t.Errorf("keys not trimmed: %q %q", s.Answers.AppKey, s.Answers.AppSecret)
	}
	// The discovery key is ended by the write (EffectWrite.EndKey) and forgotten.
	if s.Answers.ConsumerKey != "fencingCK" || s.Facts.DiscoveryKey != "" {
		t.Errorf("consumer keys: fencing %q discovery %q", s.Answers.ConsumerKey, s.Facts.DiscoveryKey)
	}
	if c := s.Facts.Cycle; c == nil || c.Node != "node2" || c.Server != sn2 || c.Off != 5e9 {
		t.Errorf("fence cycle = %+v", c)
	}
}

// TestEffectsCarryTheAnswers checks the data each effect is given.
func TestEffectsCarryTheAnswers(t *testing.T) {
	s := New(Answers{})
	effects := map[reflect.Type][]Work{}
	for _, st := range happyPath {
		var out []Effect
		s, out = apply(t, s, st)
		for _, e := range out {
			effects[reflect.TypeOf(e.Work)] = append(effects[reflect.TypeOf(e.Work)], e.Work)
		}
	}
	if w := effects[reflect.TypeOf(EffectWrite{})][0].(EffectWrite); w.EndKey.ConsumerKey != "discoveryCK" {
		t.Errorf("the write does not end the discovery key: %+v", w.EndKey)
	}
	requests := effects[reflect.TypeOf(EffectRequestKey{})]
	if got := requests[0].(EffectRequestKey); got.Purpose != PurposeDiscovery || !reflect.DeepEqual(got.Rules, keys.DiscoveryRules()) {
		t.Errorf("discovery request = %+v", got)
	}
	if got := requests[1].(EffectRequestKey); got.Purpose != PurposeFencing || !reflect.DeepEqual(got.Rules, keys.FencingRules([]string{sn1, sn2, sn3})) {
		t.Errorf("fencing request = %+v", got)
	}
	if got := requests[1].(EffectRequestKey).Config; got.ConsumerKey != "" || got.ApplicationKey != "abcDEF123" {
		t.Errorf("a key request is signed by the application only, got %s", got.Redacted())
	}
	if got := effects[reflect.TypeOf(EffectDiscoverBoots{})][0].(EffectDiscoverBoots); got.Config.ConsumerKey != "discoveryCK" || len(got.Servers) != 3 {
		t.Errorf("boots discovered with %s on %v, want the discovery key", got.Config.Redacted(), got.Servers)
	}
	check := effects[reflect.TypeOf(EffectCheckKey{})][0].(EffectCheckKey)
	if check.Config.ConsumerKey != "fencingCK" || !reflect.DeepEqual(check.Servers, []string{sn1, sn2, sn3}) {
		t.Errorf("check = %s %v", check.Config.Redacted(), check.Servers)
	}
	cycle := effects[reflect.TypeOf(EffectFenceCycle{})][0].(EffectFenceCycle)
	if cycle.Target.Server != sn2 || cycle.Target.Mode != "poweroff" || cycle.Target.Boots.Power != 95117 {
		t.Errorf("fence cycle target = %+v", cycle.Target)
	}
	preview := effects[reflect.TypeOf(EffectPreview{})][0].(EffectPreview)
	c := preview.Cluster
	if c.Name != "demo" || c.Target != cluster.TargetPcs || c.FenceMode != cluster.FencePoweroff || len(c.Nodes) != 3 ||
		c.Nodes[1].Server != sn2 || c.Nodes[1].PowerBootID != 95117 || c.Nodes[1].RescueBootID != 46412 || c.Nodes[1].DiskBootID != 1 {
		t.Errorf("previewed cluster = %+v", c)
	}
	if !reflect.DeepEqual(preview.Targets, []cluster.Target{cluster.TargetPcs, cluster.TargetPVE3}) || preview.Config.ConsumerKey != "fencingCK" {
		t.Errorf("preview targets %v, config %s", preview.Targets, preview.Config.Redacted())
	}
}

func TestDiscoveryKeyIsScopedToTheNamedServers(t *testing.T) {
	tests := []struct {
		names []string
		want  []ovhapi.Rule
	}{
		{nil, keys.DiscoveryRules()},
		{[]string{sn1, sn2, sn3}, []ovhapi.Rule{
			{Method: "GET", Path: "/dedicated/server/" + sn1}, {Method: "GET", Path: "/dedicated/server/" + sn1 + "/*"},
			{Method: "GET", Path: "/dedicated/server/" + sn2}, {Method: "GET", Path: "/dedicated/server/" + sn2 + "/*"},
			{Method: "GET", Path: "/dedicated/server/" + sn3}, {Method: "GET", Path: "/dedicated/server/" + sn3 + "/*"},
		}},
	}
	for _, tt := range tests {
		s, effects := Next(reach(t, StepServers), SubmitServers{Names: tt.names})
		if len(effects) != 1 {
			t.Fatalf("%v: effects %#v, problem %q", tt.names, effects, s.Problem)
		}
		req, ok := effects[0].Work.(EffectRequestKey)
		if !ok || req.Purpose != PurposeDiscovery || !reflect.DeepEqual(req.Rules, tt.want) {
			t.Errorf("%v: request %+v, want rules %v", tt.names, effects[0].Work, tt.want)
		}
	}
}

func TestBackFromEveryStep(t *testing.T) {
	for step := StepPreflight; step < StepDone; step++ {
		t.Run(step.String(), func(t *testing.T) {
			s := reach(t, step)
			back, effects := Next(s, Back{})
			if want := step.previous(); back.Step != want {
				t.Errorf("Back from %v went to %v, want %v", step, back.Step, want)
			}
			if len(effects) != 0 || back.Busy() || back.Seq <= s.Seq {
				t.Errorf("Back: effects %v, waiting %q, seq %d → %d", effects, back.Waiting, s.Seq, back.Seq)
			}
			for _, line := range back.Log {
				if line.Step >= back.Step {
					t.Errorf("log keeps %v's line after going back to %v", line.Step, back.Step)
				}
			}
		})
	}
}

func TestBackWhileBusyMakesTheReplyStale(t *testing.T) {
	s := reach(t, StepServers)
	busy, _ := Next(s, SubmitServers{})
	back, _ := Next(busy, Back{})
	after, effects := Next(back, Reply{Seq: busy.Seq, Result: KeyRequested{}})
	if !reflect.DeepEqual(after, back) || effects != nil {
		t.Errorf("a stale reply changed the state: %+v", after)
	}
}

func TestCancelAbandonsTheWait(t *testing.T) {
	s := reach(t, StepFencingKey)
	busy, _ := Next(s, SubmitFencingKey{})
	busy, _ = Next(busy, Reply{Seq: busy.Seq, Result: KeyRequested{}})
	cancelled, _ := Next(busy, Cancel{})
	if cancelled.Step != StepFencingKey || cancelled.Busy() || cancelled.Facts.Key.Purpose != "" || cancelled.Problem != "Cancelled." {
		t.Errorf("after Cancel: step %v waiting %q key %+v problem %q", cancelled.Step, cancelled.Waiting, cancelled.Facts.Key, cancelled.Problem)
	}
	if again, effects := Next(cancelled, Reply{Seq: busy.Seq, Result: KeyValidated{}}); again.Busy() || effects != nil {
		t.Errorf("the cancelled wait's reply was used")
	}
	if same, _ := Next(s, Cancel{}); !reflect.DeepEqual(same, s) {
		t.Errorf("Cancel with nothing in flight changed the state")
	}
}

func TestAnswersWaitWhileBusy(t *testing.T) {
	s := reach(t, StepAppKeys)
	busy, _ := Next(s, SubmitAppKeys{AppKey: "a1", AppSecret: "b2"})
	again, effects := Next(busy, SubmitAppKeys{AppKey: "c3", AppSecret: "d4"})
	if effects != nil || again.Answers.AppKey != "a1" {
		t.Errorf("an answer was taken while busy: %v %q", effects, again.Answers.AppKey)
	}
}

func TestAnswerForAnotherStepIsIgnored(t *testing.T) {
	s := reach(t, StepMap)
	after, effects := Next(s, SubmitMode{Mode: cluster.FenceRescue})
	if effects != nil || after.Step != StepMap || after.Answers.Mode != "" {
		t.Errorf("SubmitMode at the map step: step %v mode %q effects %v", after.Step, after.Answers.Mode, effects)
	}
}

func TestValidationErrors(t *testing.T) {
	okPreflight := SubmitPreflight{Targets: []cluster.Target{cluster.TargetPcs}, Endpoint: "ovh-eu", ClusterName: "demo", Nodes: testNodes}
	with := func(change func(*SubmitPreflight)) SubmitPreflight {
		ev := okPreflight
		change(&ev)
		return ev
	}
	tests := []struct {
		name    string
		at      Step
		event   Event
		problem string
	}{
		{"no target", StepPreflight, with(func(e *SubmitPreflight) { e.Targets = nil }), "at least one target"},
		{"unknown target", StepPreflight, with(func(e *SubmitPreflight) { e.Targets = []cluster.Target{"pve4"} }), `unknown target "pve4"`},
		{"bad endpoint", StepPreflight, with(func(e *SubmitPreflight) { e.Endpoint = "ovh-mars" }), "unknown OVH endpoint"},
		{"no nodes", StepPreflight, with(func(e *SubmitPreflight) { e.Nodes = nil }), "at least one cluster node"},
		{"twice the same node", StepPreflight, with(func(e *SubmitPreflight) { e.Nodes = []string{"a", "a"} }), `node "a" is named twice`},
		{"cluster name with a quote", StepPreflight, with(func(e *SubmitPreflight) { e.ClusterName = `x"y` }), "cluster name"},
		{"empty application key", StepAppKeys, SubmitAppKeys{AppKey: "  ", AppSecret: "x"}, "application key is empty"},
		{"paste with junk", StepAppKeys, SubmitAppKeys{AppKey: "abc", AppSecret: "Secret: xyz"}, "paste only the key"},
		{"bad service name", StepServers, SubmitServers{Names: []string{"ns1", "ns 2"}}, "service name"},
		{"twice the same server", StepServers, SubmitServers{Names: []string{"ns1", "ns1"}}, "named twice"},
		{"unmapped node", StepMap, SubmitMapping{Mapping: map[string]string{"node1": sn1, "node2": sn2}}, "node3 has no server"},
		{"unknown server", StepMap, SubmitMapping{Mapping: map[string]string{"node1": sn1, "node2": sn2, "node3": "ns9"}}, "ns9 is not one of the servers"},
		{"shared server", StepMap, SubmitMapping{Mapping: map[string]string{"node1": sn1, "node2": sn1, "node3": sn3}}, "both map to"},
		{"unknown mode", StepMode, SubmitMode{Mode: "halt"}, `fence mode "halt": want rescue or poweroff`},
		{"consumer key with junk", StepFencingKey, SubmitFencingKey{ConsumerKey: "ck-1"}, "consumer key"},
		{"fence test of a stranger", StepLiveTest, SubmitLiveTest{Node: "node9", Confirm: sn1}, "node9 is not a cluster node"},
		{"fence test unconfirmed", StepLiveTest, SubmitLiveTest{Node: "node1", Confirm: "node1"}, "type node1's service name, " + sn1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := reach(t, tt.at)
			after, effects := Next(s, tt.event)
			if effects != nil || after.Step != tt.at || after.Busy() {
				t.Fatalf("invalid answer moved on: step %v effects %v", after.Step, effects)
			}
			if !strings.Contains(after.Problem, tt.problem) {
				t.Errorf("problem %q, want it to contain %q", after.Problem, tt.problem)
			}
		})
	}
}

func TestPoweroffNeedsEveryPowerNetboot(t *testing.T) {
	s := reach(t, StepMode)
	s.Facts.Boots = maps.Clone(s.Facts.Boots)
	s.Facts.Boots[sn3] = fencingBoots(46458, 0)
	after, _ := Next(s, SubmitMode{Mode: cluster.FencePoweroff})
	if after.Step != StepMode || !strings.Contains(after.Problem, sn3+" lacks") {
		t.Errorf("poweroff without a power netboot: step %v problem %q", after.Step, after.Problem)
	}
	if after, _ = Next(s, SubmitMode{Mode: cluster.FenceRescue}); after.Step != StepFencingKey {
		t.Errorf("rescue refused: %q", after.Problem)
	}
}

func TestEffectFailuresStayOnTheStep(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		at      Step
		submit  Event
		result  Result
		problem string
	}{
		{StepPreflight, SubmitPreflight{Targets: []cluster.Target{cluster.TargetPcs}, Endpoint: "ovh-eu", ClusterName: "demo", Nodes: testNodes}, TimeSynced{Err: boom}, "Cannot reach ovh-eu: boom"},
		{StepAppKeys, SubmitAppKeys{AppKey: "ak", AppSecret: "as"}, AppKeyProven{Err: boom}, "does not accept this application key"},
		{StepServers, SubmitServers{}, KeyRequested{Err: boom}, "Requesting the discovery key failed"},
		{StepFencingKey, SubmitFencingKey{ConsumerKey: "ck1"}, KeyChecked{Problems: []string{"missing rule PUT x"}}, "- missing rule PUT x"},
		{StepFencingKey, SubmitFencingKey{ConsumerKey: "ck1"}, KeyChecked{Err: boom}, "Checking the fencing key failed"},
		{StepLiveTest, SubmitLiveTest{Node: "node1", Confirm: sn1}, FenceCycled{Err: boom}, "The fence test of node1 failed: boom"},
		{StepOutput, SubmitOutput{}, Wrote{Err: boom}, "nothing was left half-written"},
	}
	for _, tt := range tests {
		t.Run(tt.problem, func(t *testing.T) {
			s, effects := Next(reach(t, tt.at), tt.submit)
			if len(effects) != 1 {
				t.Fatalf("submit emitted %v (problem %q)", effects, s.Problem)
			}
			after, more := Next(s, Reply{Seq: s.Seq, Result: tt.result})
			if more != nil || after.Step != tt.at || after.Busy() || !strings.Contains(after.Problem, tt.problem) {
				t.Errorf("step %v waiting %q problem %q, want %q", after.Step, after.Waiting, after.Problem, tt.problem)
			}
		})
	}
}

func TestWaitFailuresForgetTheKey(t *testing.T) {
	s := reach(t, StepServers)
	s, _ = Next(s, SubmitServers{})
	s, _ = Next(s, Reply{Seq: s.Seq, Result: KeyRequested{}})
	s, _ = Next(s, Reply{Seq: s.Seq, Result: KeyValidated{Err: errors.New("refused")}})
	if s.Step != StepServers || s.Busy() || s.Facts.Key.Purpose != "" || !strings.Contains(s.Problem, "discovery key was not validated: refused") {
		t.Errorf("after a refusal: %+v", s)
	}
}

func TestTooFewServers(t *testing.T) {
	s := reach(t, StepServers)
	for _, r := range []Result{KeyRequested{}, KeyValidated{}} {
		s, _ = Next(s, SubmitServers{})
		s, _ = Next(s, Reply{Seq: s.Seq, Result: r})
	}
	s, _ = Next(s, Reply{Seq: s.Seq, Result: ServersFound{Servers: testServers[:2]}})
	if s.Step != StepServers || !strings.Contains(s.Problem, "2 servers found for 3 nodes") {
		t.Errorf("step %v problem %q", s.Step, s.Problem)
	}
}

func TestPreflightDefaults(t *testing.T) {
	tests := []struct {
		name    string
		given   Answers
		found   PreflightFound
		want    Answers
		notice  string
		problem string
	}{
		{"detected", Answers{}, PreflightFound{Preflight: testPreflight},
			Answers{Targets: []cluster.Target{cluster.TargetPcs}, ClusterName: "demo", Nodes: testNodes, Endpoint: "ovh-eu"}, "", ""},
		{"flags win", Answers{Targets: []cluster.Target{cluster.TargetCrm}, ClusterName: "prod", Nodes: []string{"a"}, Endpoint: "ovh-ca"}, PreflightFound{Preflight: testPreflight},
			Answers{Targets: []cluster.Target{cluster.TargetCrm}, ClusterName: "prod", Nodes: []string{"a"}, Endpoint: "ovh-ca"}, "", ""},
		{"proxmox 4", Answers{}, PreflightFound{Preflight: Preflight{PVE4: true, Nodes: testNodes}},
			Answers{Targets: []cluster.Target{cluster.TargetPcs}, Nodes: testNodes, Endpoint: "ovh-eu"}, "cannot call fence agents", ""},
		{"unreadable", Answers{}, PreflightFound{Err: errors.New("corosync.conf line 3: junk")},
			Answers{Targets: []cluster.Target{cluster.TargetPcs}, Endpoint: "ovh-eu"}, "corosync.conf line 3: junk", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := Next(New(tt.given), Start{})
			s, _ = Next(s, Reply{Seq: s.Seq, Result: tt.found})
			if !reflect.DeepEqual(s.Answers, tt.want) {
				t.Errorf("answers %+v, want %+v", s.Answers, tt.want)
			}
			if !strings.Contains(s.Notice, tt.notice) || !strings.Contains(s.Problem, tt.problem) || s.Busy() {
				t.Errorf("notice %q problem %q waiting %q", s.Notice, s.Problem, s.Waiting)
			}
		})
	}
}

func TestClockSkewNotice(t *testing.T) {
	for _, tt := range []struct {
		skew   float64
		notice bool
	}{{0, false}, {29, false}, {-31, true}, {90, true}} {
		s := reach(t, StepPreflight)
		s, _ = Next(s, SubmitPreflight{Targets: []cluster.Target{cluster.TargetPcs}, Endpoint: "ovh-eu", ClusterName: "demo", Nodes: testNodes})
		s, _ = Next(s, Reply{Seq: s.Seq, Result: TimeSynced{Skew: secs(tt.skew)}})
		if s.Step != StepAppKeys || (s.Notice != "") != tt.notice {
			t.Errorf("skew %vs: step %v notice %q", tt.skew, s.Step, s.Notice)
		}
	}
}

func TestLiveTestRetriesTheStatus(t *testing.T) {
	s := reach(t, StepFencingKey)
	s, _ = Next(s, SubmitFencingKey{ConsumerKey: "ck1"})
	s, _ = Next(s, Reply{Seq: s.Seq, Result: KeyChecked{}})
	s, _ = Next(s, Reply{Seq: s.Seq, Result: StatusRead{Err: errors.New("403")}})
	if s.Step != StepLiveTest || !strings.Contains(s.Problem, "status test failed") {
		t.Fatalf("step %v problem %q", s.Step, s.Problem)
	}
	retry, effects := Next(s, SubmitLiveTest{})
	if retry.Step != StepLiveTest || len(effects) != 1 || reflect.TypeOf(effects[0].Work) != reflect.TypeOf(EffectStatusAll{}) {
		t.Errorf("Enter after a failed status: step %v effects %#v", retry.Step, effects)
	}
}

func TestTwoNodesGetAFenceDelay(t *testing.T) {
	s := reach(t, StepOutput)
	s.Answers.Nodes = []string{"node1", "node2"}
	c := s.Cluster()
	if len(c.Nodes) != 2 || c.Nodes[0].Delay != TwoNodeDelay || c.Nodes[1].Delay != 0 {
		t.Errorf("two-node delays: %+v", c.Nodes)
	}
	s.Answers.Nodes = testNodes
	for _, n := range s.Cluster().Nodes {
		if n.Delay != 0 {
			t.Errorf("three nodes need no delay, %s has %d", n.Name, n.Delay)
		}
	}
}

func TestValidatedKeyURLIsForgotten(t *testing.T) {
	for _, at := range []Step{StepServers, StepFencingKey} {
		s := reach(t, at)
		var submit Event = SubmitServers{}
		if at == StepFencingKey {
			submit = SubmitFencingKey{}
		}
		s, _ = Next(s, submit)
		s, _ = Next(s, Reply{Seq: s.Seq, Result: KeyRequested{Request: ovhapi.ConsumerKeyRequest{ConsumerKey: "ck", ValidationURL: "https://x/auth"}}})
		if s.Facts.Key.ValidationURL == "" {
			t.Fatalf("%v: the URL is not shown while waiting", at)
		}
		s, _ = Next(s, Reply{Seq: s.Seq, Result: KeyValidated{}})
		if !s.Busy() || s.Facts.Key != (KeyRequest{}) {
			t.Errorf("%v: after validation, waiting %q with key %+v still shown", at, s.Waiting, s.Facts.Key)
		}
	}
}

func TestFenceProgressAccumulatesPerCycle(t *testing.T) {
	s := reach(t, StepLiveTest)
	for cycle := 0; cycle < 2; cycle++ {
		s, _ = Next(s, SubmitLiveTest{Node: "node1", Confirm: sn1})
		for _, line := range []string{"off next boot set", "off OVH task 1 done", "on  OVH task 2 done"} {
			s, _ = Next(s, Reply{Seq: s.Seq, Result: FenceProgress{Line: line}})
		}
		if len(s.Facts.Progress) != 3 || s.Facts.Progress[0] != "off next boot set" {
			t.Errorf("cycle %d: progress %q, want the three lines of this cycle", cycle, s.Facts.Progress)
		}
		s, _ = Next(s, Reply{Seq: s.Seq, Result: FenceCycled{Off: 2e9, On: 3e9}})
	}
}

// TestBackAfterWriteNeedsANewDiscoveryKey: the write ended the discovery key, so
// reading boot IDs again asks for a new key instead of calling with a dead one.
func TestBackAfterWriteNeedsANewDiscoveryKey(t *testing.T) {
	s := New(Answers{})
	for _, st := range happyPath[:len(happyPath)-1] { // up to the summary
		s, _ = apply(t, s, st)
	}
	for s.Step != StepMap {
		s, _ = Next(s, Back{})
	}
	s, effects := Next(s, SubmitMapping{Mapping: testMapping})
	if len(effects) != 0 || s.Problem != errDiscoveryEnded {
		t.Fatalf("re-mapping after the write: effects %v, problem %q", effects, s.Problem)
	}
}

// TestOVHErrorsCarryTheirRemedy: an OVH error reaches the screen with what to do.
func TestOVHErrorsCarryTheirRemedy(t *testing.T) {
	s := New(Answers{})
	for _, st := range happyPath {
		s, _ = apply(t, s, st)
		if _, ok := st.event.(KeyChecked); ok {
			break
		}
	}
	denied := &ovhapi.Error{Kind: ovhapi.KindNotGranted, Status: 403, Method: "GET", Path: "/dedicated/server/" + sn2}
	s, _ = Next(s, Reply{Seq: s.Seq, Result: StatusRead{Err: denied}})
	if !strings.Contains(s.Problem, "run `ovhfence check`") {
		t.Fatalf("problem %q lacks the remedy", s.Problem)
	}
}
