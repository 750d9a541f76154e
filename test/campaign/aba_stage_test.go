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
// anecdote: an off whose reboot request is wrapped, deterministically, by two
// other keys' netboot writes — the disk just before the simulator handles it,
// the off netboot back just after, both before the agent gets the answer.
// Every read the agent makes shows its off netboot. In rescue mode and the
// at-request model it prints Success: Powered OFF while the server boots its
// disk, and the oracle classifies that false claim as an unobservable A-B-A;
// in the at-boot model the same staging is harmless and the claim is true; in
// poweroff mode the read-back's powerState shows the disk running and the off
// fails instead of claiming.
func TestStagedABA(t *testing.T) {
	agent := buildAgent(t, t.TempDir())
	for _, tc := range []struct{ mode, model string }{
		{"rescue", ovhsim.NetbootAtRequest}, {"rescue", ovhsim.NetbootAtBoot}, {"poweroff", ovhsim.NetbootAtRequest},
	} {
		t.Run(tc.mode+"/"+tc.model, func(t *testing.T) {
			claim, falseClaim, race, isABA := stageABA(t, agent, tc.mode, tc.model, false)
			switch {
			case tc.mode == "poweroff":
				if !strings.Contains(claim, "powerState") {
					t.Fatalf("poweroff mode: the agent printed %q (false %v, classified %v), want a failure on powerState, which shows the disk", claim, falseClaim, isABA)
				}
			case claim != claimPoweredOff:
				t.Fatalf("the agent printed %q, want %q", claim, claimPoweredOff)
			case tc.model == ovhsim.NetbootAtRequest:
				if !falseClaim || !isABA {
					t.Fatalf("at request: false claim %v, classified unobservable A-B-A %v; want both", falseClaim, isABA)
				}
				t.Logf("the agent claimed %q while its server booted the disk: %s", claim, race)
			default:
				if falseClaim || isABA {
					t.Fatalf("at boot: false claim %v, classified %v; want neither (the reboot reads the netboot when it begins)", falseClaim, isABA)
				}
			}
		})
	}
}

// stageABA runs one off of agent X on a server fenced in mode whose reboot
// request is wrapped by Y's disk write and Z's write of the off netboot back,
// and judges what it printed with the campaign's oracle (when it failed: its
// Failed: line, with no race).
func stageABA(t *testing.T, agent, mode, model string, late bool) (claim string, falseClaim bool, race abaRace, isABA bool) {
	s := newStaged(t, ovhsim.Config{NetbootReadAt: model,
		Durations: ovhsim.Durations{Init: 20 * time.Millisecond, Todo: 20 * time.Millisecond, Doing: 60 * time.Millisecond}})
	offBoot := s.seed.RescueBootID
	if mode == "poweroff" {
		offBoot = s.seed.PowerBootID
	}
	stage := &abaStage{sn: s.seed.Name, offBoot: offBoot, late: late, y: s.otherKey(), z: s.otherKey()}
	s.around = stage.around
	run := s.run(agent, "off", mode, nil)
	if !stage.done() {
		t.Fatalf("the reboot request was never staged; fence_ovh printed %q", run.claim)
	}
	if !claims[run.claim] {
		return run.claim, false, abaRace{}, false
	}
	race, isABA = unobservableABA(run.events, s.actor(), s.seed.PowerBootID, run.start, run.printed)
	return run.claim, run.falseClaim, race, isABA
}

// TestStagedNearMiss stages the near miss the A-B-A class must not excuse: the
// disk netboot is still set at the agent's first read after its request. The
// agent must see it and fail; an agent that claimed would make a false claim
// the oracle does not classify as the A-B-A (the "still ours" guard removed
// shows it).
func TestStagedNearMiss(t *testing.T) {
	agent := buildAgent(t, t.TempDir())
	claim, falseClaim, _, isABA := stageABA(t, agent, "rescue", ovhsim.NetbootAtRequest, true)
	if claims[claim] || !strings.Contains(claim, "was set to netboot") {
		t.Fatalf("the agent printed %q (false %v, classified unobservable A-B-A %v); want it to fail on the disk netboot its read shows", claim, falseClaim, isABA)
	}
}

// abaStage wraps agent X's first reboot request: Y sets the disk netboot just
// before the simulator handles it, Z sets the off netboot back just after, and
// only then does X get its answer. With late (a near miss), Z sets it back only
// after X's first read of the server that follows the request, so that read
// shows the disk.
type abaStage struct {
	sn      string
	offBoot int64
	late    bool
	y, z    *ovhapi.Client
	mu      sync.Mutex
	step    int // 0: before X's reboot request, 1: before X's read (late), 2: staged
}

func (s *abaStage) around(r *http.Request, answer func()) error {
	isReboot := r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/reboot")
	isRead := r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/dedicated/server/"+s.sn)
	s.mu.Lock()
	step := s.step
	s.mu.Unlock()
	ctx := context.Background()
	switch {
	case step == 0 && isReboot:
		if err := s.y.SetBoot(ctx, s.sn, 1, ""); err != nil {
			return fmt.Errorf("staging B: %w", err)
		}
		step = 2
		if s.late {
			step = 1
		}
	case step == 1 && isRead:
		step = 2
	default:
		return nil
	}
	answer()
	if step == 2 {
		if err := s.z.SetBoot(ctx, s.sn, s.offBoot, ""); err != nil {
			return fmt.Errorf("staging A: %w", err)
		}
	}
	s.mu.Lock()
	s.step = step
	s.mu.Unlock()
	return nil
}

func (s *abaStage) done() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.step == 2
}
