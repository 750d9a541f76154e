package campaign

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
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
	sim := ovhsim.New(ovhsim.Config{NetbootReadAt: model,
		Durations: ovhsim.Durations{Init: 20 * time.Millisecond, Todo: 20 * time.Millisecond, Doing: 60 * time.Millisecond}})
	var seed ovhsim.ServerSeed
	for _, seed = range ovhsim.DefaultServers() {
		if seed.PowerBootID != 0 {
			break
		}
	}
	offBoot := seed.RescueBootID
	if mode == "poweroff" {
		offBoot = seed.PowerBootID
	}
	rules := ovhsim.FencingRules(seed.Name)
	xAK, xAS, xCK := sim.CreateToken(rules)
	stage := &abaStage{sim: sim, x: xCK, sn: seed.Name, offBoot: offBoot, late: late}
	server := httptest.NewServer(stage)
	t.Cleanup(server.Close)
	endpoint := server.URL + "/1.0"
	for _, other := range []**ovhapi.Client{&stage.y, &stage.z} {
		ak, as, ck := sim.CreateToken(rules)
		client, err := ovhapi.New(ovhapi.Config{Endpoint: endpoint, ApplicationKey: ak, ApplicationSecret: as, ConsumerKey: ck}, ovhapi.Options{})
		if err != nil {
			t.Fatal(err)
		}
		*other = client
	}

	conf := filepath.Join(t.TempDir(), "ovh.conf")
	data := ovhapi.FormatConfigFile(ovhapi.Config{Endpoint: endpoint, ApplicationKey: xAK, ApplicationSecret: xAS, ConsumerKey: xCK})
	if err := os.WriteFile(conf, data, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(agent)
	cmd.Env = []string{"PATH=/usr/bin:/bin"}
	cmd.Stdin = strings.NewReader(strings.Join([]string{
		"action=off", "plug=" + seed.Name, "ovh_config=" + conf, "endpoint=" + endpoint, "fence_mode=" + mode,
		fmt.Sprintf("rescue_boot_id=%d", seed.RescueBootID), fmt.Sprintf("power_boot_id=%d", seed.PowerBootID), "disk_boot_id=1",
		"power_timeout=3", "stonith_status_sleep=0.02", "reboot_time=0.1", "login_timeout=2", "verbose=1",
	}, "\n") + "\n")
	start := sim.Now()
	out, err := cmd.Output()
	printed := sim.Now()
	if !stage.done() {
		t.Fatalf("the reboot request was never staged (%v); stdout: %s\nstderr: %s", err, out, stderrOf(err))
	}
	if err != nil {
		if len(out) != 0 {
			t.Fatalf("fence_ovh off failed (%v) yet printed %q", err, out)
		}
		failed := failedReason(stderrOf(err))
		t.Logf("fence_ovh off failed: %s", failed)
		return failed, false, abaRace{}, false
	}
	claim = strings.TrimSpace(string(out))
	events := sim.TruthEvents(seed.Name, 0)
	// The window opens at the agent's last request, as in the campaign.
	from := lastIndex(events, func(e ovhsim.TruthEvent) bool { return e.Actor == "key ****"+xCK[len(xCK)-4:] })
	if from < 0 {
		t.Fatalf("no event of the agent in ground truth")
	}
	falseClaim = falseThroughout(events, claim, mode, start, events[from].At, printed)
	race, isABA = unobservableABA(events, "key ****"+xCK[len(xCK)-4:], seed.PowerBootID, start, printed)
	if falseClaim {
		for _, e := range events {
			t.Logf("  %s", e)
		}
	}
	return claim, falseClaim, race, isABA
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

func stderrOf(err error) string {
	if exit, ok := err.(*exec.ExitError); ok {
		return string(exit.Stderr)
	}
	return ""
}

// abaStage serves the simulator and wraps agent X's first reboot request: Y
// sets the disk netboot just before the simulator handles it, Z sets the off
// netboot back just after, and only then does X get its answer. With late
// (a near miss), Z sets it back only after X's first read of the server that
// follows the request, so that read shows the disk.
type abaStage struct {
	sim     *ovhsim.Sim
	x       string // X's consumer key
	sn      string
	offBoot int64
	late    bool
	y, z    *ovhapi.Client
	mu      sync.Mutex
	step    int // 0: before X's reboot request, 1: before X's read (late), 2: staged
}

func (s *abaStage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	byX := r.Header.Get("X-Ovh-Consumer") == s.x
	isReboot := byX && r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/reboot")
	isRead := byX && r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/dedicated/server/"+s.sn)
	s.mu.Lock()
	step := s.step
	s.mu.Unlock()
	ctx := context.Background()
	switch {
	case step == 0 && isReboot:
		if err := s.y.SetBoot(ctx, s.sn, 1, ""); err != nil {
			http.Error(w, "staging B: "+err.Error(), http.StatusInternalServerError)
			return
		}
		step = 2
		if s.late {
			step = 1
		}
	case step == 1 && isRead:
		step = 2
	default:
		s.sim.ServeHTTP(w, r)
		return
	}
	answer := httptest.NewRecorder()
	s.sim.ServeHTTP(answer, r)
	if step == 2 {
		if err := s.z.SetBoot(ctx, s.sn, s.offBoot, ""); err != nil {
			http.Error(w, "staging A: "+err.Error(), http.StatusInternalServerError)
			return
		}
	}
	s.mu.Lock()
	s.step = step
	s.mu.Unlock()
	for k, v := range answer.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(answer.Code)
	w.Write(answer.Body.Bytes())
}

func (s *abaStage) done() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.step == 2
}
