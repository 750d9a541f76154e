package campaign

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/ovhsim"
)

// TestStagedABAAtBoot stages the at-boot form of the A-B-A around the real
// fence_ovh: after the agent's read that follows its reboot request (which
// shows its rescue netboot), Y sets the disk; the agent's next request is held
// until the reboot task has begun (and, at boot, read the disk); Z then sets
// rescue back before that request is answered. Every read the agent makes
// shows rescue, so it prints Success: Powered OFF while the server boots its
// disk, and the oracle classifies the claim as an unobservable A-B-A. In the
// at-request model the same staging is harmless (the reboot read rescue at the
// request). The near miss (late): Z sets rescue back only after the agent's
// first read of the server after the task began, which shows the disk: the
// agent must fail.
func TestStagedABAAtBoot(t *testing.T) {
	agent := buildAgent(t, t.TempDir())
	for _, tc := range []struct {
		model string
		late  bool
	}{{ovhsim.NetbootAtBoot, false}, {ovhsim.NetbootAtRequest, false}, {ovhsim.NetbootAtBoot, true}} {
		t.Run(fmt.Sprintf("%s/late=%v", tc.model, tc.late), func(t *testing.T) {
			s := newStaged(t, ovhsim.Config{NetbootReadAt: tc.model,
				Durations: ovhsim.Durations{Init: 20 * time.Millisecond, Todo: 20 * time.Millisecond, Doing: 60 * time.Millisecond}})
			stage := &bootABAStage{sim: s.sim, sn: s.seed.Name, offBoot: s.seed.RescueBootID, late: tc.late, y: s.otherKey(), z: s.otherKey()}
			s.around = stage.around
			run := s.run(agent, "off", "rescue", nil)
			if !stage.done() {
				t.Fatalf("the race was never staged; fence_ovh printed %q", run.claim)
			}
			race, isABA := unobservableABA(run.events, s.actor(), s.seed.PowerBootID, run.start, run.printed)
			switch {
			case tc.late:
				if claims[run.claim] || !strings.Contains(run.claim, "was set to netboot") {
					t.Fatalf("near miss: the agent printed %q (false %v, classified %v); want it to fail on the disk netboot its read shows", run.claim, run.falseClaim, isABA)
				}
			case run.claim != claimPoweredOff:
				t.Fatalf("the agent printed %q, want %q", run.claim, claimPoweredOff)
			case tc.model == ovhsim.NetbootAtBoot:
				if !run.falseClaim || !isABA {
					t.Fatalf("at boot: false claim %v, classified unobservable A-B-A %v; want both", run.falseClaim, isABA)
				}
				t.Logf("the agent claimed %q while its server booted the disk: %s", run.claim, race)
			default:
				if run.falseClaim || isABA {
					t.Fatalf("at request: false claim %v, classified %v; want neither (the reboot read rescue at the request)", run.falseClaim, isABA)
				}
			}
		})
	}
}

// bootABAStage stages the at-boot A-B-A around agent X's reboot task: Y sets
// the disk after X's first read that follows its reboot request; X's next
// request waits until the task has gone down; Z then sets the off netboot back
// before that request is answered (with late, after X's next read of the
// server is answered).
type bootABAStage struct {
	sim     *ovhsim.Sim
	sn      string
	offBoot int64
	late    bool
	y, z    *ovhapi.Client
	mu      sync.Mutex
	task    int64 // X's reboot task, once requested
	step    int   // 0: before X's request, 1: before X's read, 2: B set, 3: before X's read (late), 4: staged
}

func (s *bootABAStage) around(r *http.Request, answer func()) error {
	isReboot := r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/reboot")
	isRead := r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/dedicated/server/"+s.sn)
	s.mu.Lock()
	step := s.step
	s.mu.Unlock()
	ctx := context.Background()
	setBack := func() error {
		if err := s.z.SetBoot(ctx, s.sn, s.offBoot, ""); err != nil {
			return fmt.Errorf("staging A: %w", err)
		}
		return nil
	}
	switch {
	case step == 0 && isReboot:
		answer()
		if s.task = s.newestReboot(); s.task == 0 {
			return fmt.Errorf("no reboot in ground truth after X's request")
		}
		step = 1
	case step == 1 && isRead:
		answer()
		if err := s.y.SetBoot(ctx, s.sn, 1, ""); err != nil {
			return fmt.Errorf("staging B: %w", err)
		}
		step = 2
	case step == 2:
		if err := s.awaitDown(); err != nil {
			return err
		}
		if !s.late {
			if err := setBack(); err != nil {
				return err
			}
			step = 4
			break
		}
		step = 3
	case step == 3 && isRead:
		answer()
		if err := setBack(); err != nil {
			return err
		}
		step = 4
	}
	s.mu.Lock()
	s.step = step
	s.mu.Unlock()
	return nil
}

// newestReboot is the task of the last reboot request in ground truth.
func (s *bootABAStage) newestReboot() int64 {
	events := s.sim.TruthEvents(s.sn, 0)
	if i := lastIndex(events, func(e ovhsim.TruthEvent) bool { return e.Kind == ovhsim.EventReboot }); i >= 0 {
		return events[i].Task
	}
	return 0
}

// awaitDown waits until X's reboot task has gone down (reached doing).
func (s *bootABAStage) awaitDown() error {
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		if firstIndex(s.sim.TruthEvents(s.sn, 0), func(e ovhsim.TruthEvent) bool { return e.Kind == ovhsim.EventDown && e.Task == s.task }) >= 0 {
			return nil
		}
	}
	return fmt.Errorf("reboot task %d never went down", s.task)
}

func (s *bootABAStage) done() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.step == 4
}
