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

// TestStagedABA documents the API limit with the real fence_ovh, not by
// anecdote. An off of agent X is staged, deterministically, so that another
// key Y writes the disk netboot and a third key Z writes X's off netboot back
// around the moment X's reboot reads the netboot, with no read of X between:
//   - around the request: Y just before the simulator handles X's reboot
//     request, Z just after, both before X gets the answer;
//   - around the boot: Y right after X's read that follows its request, Z once
//     the reboot task has gone down, before X's next request is answered.
//
// When the staged moment is the one the netboot read model reads at, X prints
// Success: Powered OFF while its server boots the disk, and the oracle
// classifies that false claim as an unobservable A-B-A. At the other moment
// the staging is harmless and the claim true. In poweroff mode the read-back's
// powerState shows the disk running, and the off fails instead of claiming.
// Each near miss (late: Z writes back only after X's next read of the server,
// which shows the disk) must make X fail: an agent that claimed there would
// make a false claim the class does not excuse (the "still ours" guard or the
// check at the poll that sees the reboot begin, removed, shows it).
func TestStagedABA(t *testing.T) {
	agent := buildAgent(t, t.TempDir())
	for _, tc := range []struct {
		around, mode, model string
		late                bool
	}{
		{"request", "rescue", ovhsim.NetbootAtRequest, false},
		{"request", "rescue", ovhsim.NetbootAtBoot, false},
		{"request", "poweroff", ovhsim.NetbootAtRequest, false},
		{"request", "rescue", ovhsim.NetbootAtRequest, true},
		{"boot", "rescue", ovhsim.NetbootAtBoot, false},
		{"boot", "rescue", ovhsim.NetbootAtRequest, false},
		{"boot", "rescue", ovhsim.NetbootAtBoot, true},
	} {
		t.Run(fmt.Sprintf("around %s/%s/read at %s/late=%v", tc.around, tc.mode, tc.model, tc.late), func(t *testing.T) {
			run, race, isABA := stageABA(t, agent, tc.around, tc.mode, tc.model, tc.late)
			switch {
			case tc.late:
				if claims[run.claim] || !strings.Contains(run.claim, "was set to netboot") {
					t.Fatalf("near miss: the agent printed %q (false %v, classified %v); want it to fail on the disk netboot its read shows", run.claim, run.falseClaim, isABA)
				}
			case tc.mode == "poweroff":
				if !strings.Contains(run.claim, "powerState") {
					t.Fatalf("poweroff mode: the agent printed %q (false %v, classified %v), want a failure on powerState, which shows the disk", run.claim, run.falseClaim, isABA)
				}
			case run.claim != claimPoweredOff:
				t.Fatalf("the agent printed %q, want %q", run.claim, claimPoweredOff)
			case tc.around == tc.model:
				if !run.falseClaim || !isABA {
					t.Fatalf("false claim %v, classified unobservable A-B-A %v; want both", run.falseClaim, isABA)
				}
				t.Logf("the agent claimed %q while its server booted the disk: %s", run.claim, race)
			default:
				if run.falseClaim || isABA {
					t.Fatalf("false claim %v, classified %v; want neither (the reboot read the netboot at the other moment)", run.falseClaim, isABA)
				}
			}
		})
	}
}

// stageABA runs one off of agent X in mode with the race staged around the
// request or the boot, and judges what it printed with the campaign's oracle
// (when it failed: its Failed: line, with no race).
func stageABA(t *testing.T, agent, around, mode, model string, late bool) (stagedRun, abaRace, bool) {
	s := newStaged(t, ovhsim.Config{NetbootReadAt: model,
		Durations: ovhsim.Durations{Init: 20 * time.Millisecond, Todo: 20 * time.Millisecond, Doing: 60 * time.Millisecond}})
	offBoot := s.seed.RescueBootID
	if mode == "poweroff" {
		offBoot = s.seed.PowerBootID
	}
	stage := &abaStage{sim: s.sim, sn: s.seed.Name, offBoot: offBoot, atBoot: around == "boot", late: late, y: s.otherKey(), z: s.otherKey()}
	s.around = stage.around
	run := s.run(agent, "off", mode, nil)
	if !stage.done() {
		t.Fatalf("the race was never staged; fence_ovh printed %q", run.claim)
	}
	if !claims[run.claim] {
		return run, abaRace{}, false
	}
	race, isABA := unobservableABA(run.events, s.actor(), s.seed.PowerBootID, run.start, run.printed)
	return run, race, isABA
}

// abaStage stages the A-B-A around X's reboot request or, with atBoot, around
// the moment its task goes down; with late (a near miss), Z writes back only
// after X's next read of the server is answered.
type abaStage struct {
	sim     *ovhsim.Sim
	sn      string
	offBoot int64
	atBoot  bool
	late    bool
	y, z    *ovhapi.Client
	mu      sync.Mutex
	task    int64 // X's reboot task (atBoot), once requested
	step    int   // see around
}

// Steps: 0 before X's reboot request; 1 (atBoot) before X's read after it;
// 2 (atBoot) Y has written, before X's next request; 3 (late) before X's
// next read; 4 staged.
func (s *abaStage) around(r *http.Request, answer func()) error {
	isReboot := r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/reboot")
	isRead := r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/dedicated/server/"+s.sn)
	s.mu.Lock()
	step := s.step
	s.mu.Unlock()
	ctx := context.Background()
	writeB := func() error {
		if err := s.y.SetBoot(ctx, s.sn, 1, ""); err != nil {
			return fmt.Errorf("staging B: %w", err)
		}
		return nil
	}
	writeBack := func() error {
		if err := s.z.SetBoot(ctx, s.sn, s.offBoot, ""); err != nil {
			return fmt.Errorf("staging A: %w", err)
		}
		return nil
	}
	var err error
	switch {
	case step == 0 && isReboot && !s.atBoot:
		if err = writeB(); err == nil {
			answer()
			step = 3
		}
	case step == 0 && isReboot:
		answer()
		if s.task = s.newestReboot(); s.task == 0 {
			return fmt.Errorf("no reboot in ground truth after X's request")
		}
		step = 1
	case step == 1 && isRead:
		answer()
		err, step = writeB(), 2
	case step == 2:
		err, step = s.awaitDown(), 3
	case step == 3 && isRead && s.late:
		answer()
		err, step = writeBack(), 4
	}
	if err != nil {
		return err
	}
	if step == 3 && !s.late {
		err, step = writeBack(), 4
	}
	s.mu.Lock()
	s.step = step
	s.mu.Unlock()
	return err
}

// newestReboot is the task of the last reboot request in ground truth.
func (s *abaStage) newestReboot() int64 {
	events := s.sim.TruthEvents(s.sn, 0)
	if i := lastIndex(events, func(e ovhsim.TruthEvent) bool { return e.Kind == ovhsim.EventReboot }); i >= 0 {
		return events[i].Task
	}
	return 0
}

// awaitDown waits until X's reboot task has gone down (reached doing).
func (s *abaStage) awaitDown() error {
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		if s.wentDown() {
			return nil
		}
	}
	return fmt.Errorf("reboot task %d never went down", s.task)
}

// wentDown reports whether X's reboot task has gone down.
func (s *abaStage) wentDown() bool {
	return firstIndex(s.sim.TruthEvents(s.sn, 0), func(e ovhsim.TruthEvent) bool { return e.Kind == ovhsim.EventDown && e.Task == s.task }) >= 0
}

func (s *abaStage) done() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.step == 4
}
