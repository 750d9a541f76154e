package setup

import (
	"context"
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/wizard"
)

func TestFenceCycleReportsEachChangeOnce(t *testing.T) {
	r, cfg, target, _ := fenceTestRunner(t, 0, t.TempDir())
	var lines []string
	var started []wizard.FenceStarted
	result := r.Run(context.Background(), wizard.EffectFenceCycle{Config: cfg, Node: "node1",
		Target: target},
		func(res wizard.Result) {
			if s, ok := res.(wizard.FenceStarted); ok {
				started = append(started, s)
				return
			}
			lines = append(lines, res.(wizard.FenceProgress).Line)
		})
	if len(started) != 1 || len(lines) > 0 && started == nil {
		t.Errorf("FenceStarted reported %d times, want once before the first step", len(started))
	}

	cycled, ok := result.(wizard.FenceCycled)
	if !ok || cycled.Err != nil || cycled.Off <= 0 || cycled.On <= 0 {
		t.Fatalf("result %#v", result)
	}
	seen := map[string]bool{}
	for _, l := range lines {
		what := l[:strings.LastIndex(l, " (")] // without the time
		if seen[what] {
			t.Errorf("%q reported twice in %q", what, lines)
		}
		seen[what] = true
	}
	for _, want := range []string{"off next boot set", "off hard reboot, OVH task", "done", "off reading the server back", "on  next boot set", "on  reading the server back"} {
		if !strings.Contains(strings.Join(lines, "\n"), want) {
			t.Errorf("no %q among the progress lines:\n%s", want, strings.Join(lines, "\n"))
		}
	}
	if len(lines) > 14 { // six changes per phase; polled every 50ms unfolded, it would be dozens
		t.Errorf("%d progress lines for one cycle polled every 50ms: the polls are not folded:\n%s", len(lines), strings.Join(lines, "\n"))
	}
}
