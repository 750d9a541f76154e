package wizard

import (
	"reflect"
	"testing"

	"github.com/ovhfence/ovhfence/cluster"
)

// upToKeyCheck plays the happy path (poweroff mode) until the fencing key's
// check is in flight.
func upToKeyCheck(t *testing.T, mode cluster.FenceMode) State {
	t.Helper()
	s := New(Answers{})
	for _, st := range happyPath {
		if _, ok := st.event.(KeyChecked); ok {
			return s
		}
		if _, ok := st.event.(SubmitMode); ok {
			st.event = SubmitMode{Mode: mode}
		}
		s, _ = apply(t, s, st)
	}
	t.Fatal("the happy path has no key check")
	return s
}

// In poweroff mode, servers OVH may send a technician to are named once the
// fencing key is validated; the person sets noIntervention with the fencing
// key, or keeps OVH's interventions; the cluster file records which.
func TestInterventionQuestion(t *testing.T) {
	for _, set := range []bool{true, false} {
		s := upToKeyCheck(t, cluster.FencePoweroff)
		s, _ = apply(t, s, step{KeyChecked{Interventions: []string{sn1, sn3}}, StepFencingKey, nil, false})
		if !reflect.DeepEqual(s.Facts.Interventions, []string{sn1, sn3}) {
			t.Fatalf("interventions %v", s.Facts.Interventions)
		}
		want := cluster.NoInterventionUnchanged
		if set {
			var effects []Effect
			s, effects = apply(t, s, step{SubmitIntervention{Set: true}, StepFencingKey, EffectSetNoIntervention{}, false})
			if w := effects[0].Work.(EffectSetNoIntervention); !reflect.DeepEqual(w.Servers, []string{sn1, sn3}) || w.Config.ConsumerKey != "fencingCK" {
				t.Fatalf("effect %+v: want sn1 and sn3 with the fencing key", w)
			}
			s, _ = apply(t, s, step{NoInterventionSet{}, StepLiveTest, EffectStatusAll{}, false})
			want = cluster.NoInterventionSet
		} else {
			s, _ = apply(t, s, step{SubmitIntervention{Set: false}, StepLiveTest, EffectStatusAll{}, false})
		}
		if got := s.Cluster().NoIntervention; got != want || s.Facts.Interventions != nil {
			t.Errorf("set=%v: cluster no_intervention %q, want %q; facts %v", set, got, want, s.Facts.Interventions)
		}
	}
}

// Rescue mode keeps the server answering ping: no question, nothing recorded.
func TestNoInterventionQuestionInRescueMode(t *testing.T) {
	s := upToKeyCheck(t, cluster.FenceRescue)
	s, _ = apply(t, s, step{KeyChecked{Interventions: []string{sn1}}, StepLiveTest, EffectStatusAll{}, false})
	if s.Cluster().NoIntervention != "" {
		t.Errorf("rescue mode records no_intervention %q", s.Cluster().NoIntervention)
	}
}

// Going back from the question forgets it: the next key check asks again.
func TestBackFromInterventionQuestion(t *testing.T) {
	s := upToKeyCheck(t, cluster.FencePoweroff)
	s, _ = apply(t, s, step{KeyChecked{Interventions: []string{sn2}}, StepFencingKey, nil, false})
	s, _ = Next(s, Back{})
	if s.Facts.Interventions != nil {
		t.Fatalf("interventions kept after going back: %v", s.Facts.Interventions)
	}
	if next, effects := Next(s, SubmitIntervention{Set: true}); len(effects) != 0 || next.Answers.NoIntervention != "" {
		t.Fatalf("a stale answer acted: %+v", effects)
	}
}
