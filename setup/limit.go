package setup

import (
	"time"

	"github.com/ovhfence/ovhfence/wizard"
)

// WaitLimit is how long the runner lets work take before it gives up, for a
// front end to show next to the time spent; 0 when the work has no bound of
// its own. A fence cycle is bounded per action (off, then on).
func (r *Runner) WaitLimit(work wizard.Work) time.Duration {
	switch work.(type) {
	case wizard.EffectWaitKey:
		return r.opts.KeyTimeout
	case wizard.EffectFenceCycle:
		return 2 * r.opts.FenceTimeout
	}
	return 0
}
