package setup

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ovhfence/ovhfence/fencing"
	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/render"
	"github.com/ovhfence/ovhfence/wizard"
)

// A live fence test that fails or is interrupted may leave its node off or in
// rescue, and ovh.conf is not written before step 8. So before the test the
// keys go to <ovh.conf>.pending (mode 0600, the convention of `keys request`;
// an existing ovh.conf is never replaced), and the one command that brings the
// node back, reading them, is reported before the first call.

// prepareRecovery saves the keys and builds the recovery command.
func (r *Runner) prepareRecovery(w wizard.EffectFenceCycle) (wizard.FenceStarted, error) {
	pending := r.pendingPath(w)
	if err := os.MkdirAll(filepath.Dir(pending), 0o755); err != nil {
		return wizard.FenceStarted{}, err
	}
	if _, err := ovhapi.WriteConfigFile(pending, w.Config); err != nil {
		return wizard.FenceStarted{}, fmt.Errorf("saving the keys a recovery needs in %s: %w", pending, err)
	}
	r.logf("fence test of %s: keys saved in %s for a recovery", w.Node, pending)
	return wizard.FenceStarted{Pending: pending, Recovery: recoveryCommand(w.Target, pending)}, nil
}

// pendingPath is where the fence test keeps the keys: beside ovh.conf.
func (r *Runner) pendingPath(w wizard.EffectFenceCycle) string {
	return r.credentialsPath(w.ClusterTarget) + ".pending"
}

// recoveryCommand is the agent's "on" for t, as pasted into a shell: the
// running binary's absolute path, so it works wherever the wizard did.
func recoveryCommand(t fencing.Target, pending string) string {
	self, err := os.Executable()
	if err != nil {
		self = "ovhfence"
	}
	words := []string{self, "agent", "--action", "on", "--plug", t.Server, "--ovh-config", pending,
		"--fence-mode", string(t.Mode)}
	if t.Boots.Disk != 0 {
		words = append(words, "--disk-boot-id", strconv.FormatInt(t.Boots.Disk, 10))
	}
	for i, word := range words {
		words[i] = render.ShellQuote(word)
	}
	return strings.Join(words, " ")
}

// bringBack runs the agent's "on" after a failed or cancelled cycle, on a
// context of its own (the cycle's may be cancelled), and says how it went.
func (r *Runner) bringBack(f *fencing.Fencer, w wizard.EffectFenceCycle, reporter *cycleReporter, failed wizard.FenceCycled) wizard.Result {
	ctx, cancel := context.WithTimeout(context.Background(), r.opts.FenceTimeout)
	defer cancel()
	reporter.phase = "back"
	if _, err := f.On(ctx, w.Target); err != nil {
		r.logf("fence test of %s: bringing %s back failed: %v", w.Node, w.Target.Server, err)
		failed.Err = errors.Join(failed.Err, fmt.Errorf("bringing it back failed: %w", err))
		return failed
	}
	r.logf("fence test of %s: %s brought back on its disk after: %v", w.Node, w.Target.Server, failed.Err)
	failed.Recovered = true
	r.dropRecovery(r.pendingPath(w))
	return failed
}

// dropRecovery removes the pending keys once the node is back: ovh.conf is
// written at step 8.
func (r *Runner) dropRecovery(pending string) {
	if err := os.Remove(pending); err != nil {
		r.logf("removing %s: %v", pending, err)
	}
}
