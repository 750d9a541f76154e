package wizard

import (
	"testing"
)

// The fire drill (issue 12): the live test's longer measurement (on, 6 s,
// here) becomes the previewed cluster's reboot_time; skipping the live test
// leaves it unmeasured (0: the 150 s assumption).
func TestLiveTestMeasurementReachesTheCluster(t *testing.T) {
	for _, skip := range []bool{false, true} {
		s := New(Answers{})
		var preview *EffectPreview
		for _, st := range happyPath {
			switch e := st.event.(type) {
			case SubmitLiveTest:
				if skip && e.Node != "" {
					continue
				}
			case FenceProgress, FenceCycled:
				if skip {
					continue
				}
			}
			var effects []Effect
			s, effects = apply(t, s, st)
			for _, e := range effects {
				if p, ok := e.Work.(EffectPreview); ok {
					preview = &p
				}
			}
		}
		want := 6
		if skip {
			want = 0
		}
		if preview == nil || preview.Cluster.RebootTime != want {
			t.Fatalf("skip %v: previewed %+v, want reboot_time %d", skip, preview, want)
		}
		if err := preview.Cluster.Validate(); err != nil {
			t.Errorf("skip %v: %v", skip, err)
		}
	}
}
