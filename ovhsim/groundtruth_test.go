package ovhsim

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"net/http"
	"testing"
	"time"
)

// TestGroundTruthFollowsTheNetbootReadModel drives random boot writes (by API
// key and by hand), reboots (by API key and by the manager) and clock moves, in
// both netboot read models, and checks ground truth against its definition:
// events in time order, each reboot's OS read at request (from the latest boot
// write before the reboot) or at boot (the latest before it went down), the
// server running what its last finished reboot booted, and the right actors.
func TestGroundTruthFollowsTheNetbootReadModel(t *testing.T) {
	taskReads := 0
	for _, model := range []string{NetbootAtRequest, NetbootAtBoot} {
		for seed := int64(1); seed <= 20; seed++ {
			t.Run(fmt.Sprintf("%s/%d", model, seed), func(t *testing.T) {
				taskReads += checkRandomHistory(t, model, rand.New(rand.NewSource(seed)))
			})
		}
	}
	if taskReads == 0 {
		t.Fatalf("no read of a task was recorded in any history")
	}
}

// checkRandomHistory returns how many task reads it checked.
func checkRandomHistory(t *testing.T, model string, rng *rand.Rand) int {
	sim, clock := newTestSim(t, Config{NetbootReadAt: model, Durations: Durations{Init: 100 * time.Millisecond, Todo: 100 * time.Millisecond, Doing: 300 * time.Millisecond}})
	k := adminKeys(sim)
	keyActor := "key " + maskKey(k.ck)
	boots := []int64{1, 230242, 203323, 95083}
	var lastTask Task
	for step := 0; step < 60; step++ {
		switch rng.Intn(7) {
		case 0:
			ovhCall(sim, k, "PUT", "/1.0/dedicated/server/"+sn1, fmt.Sprintf(`{"bootId":%d}`, boots[rng.Intn(len(boots))]))
		case 1:
			if err := sim.SetBootByHand(sn1, boots[rng.Intn(len(boots))]); err != nil {
				t.Fatal(err)
			}
		case 2:
			if rec := ovhCall(sim, k, "POST", "/1.0/dedicated/server/"+sn1+"/reboot", ""); rec.Code == http.StatusOK {
				if err := json.Unmarshal(rec.Body.Bytes(), &lastTask); err != nil {
					t.Fatal(err)
				}
			}
		case 3:
			sim.RebootByManager(sn1) // refused while a reboot is pending, like the API
		case 4:
			clock.Advance(time.Duration(rng.Intn(400)) * time.Millisecond)
		case 5:
			ovhCall(sim, k, "GET", "/1.0/dedicated/server/"+sn1, "")
		case 6:
			if lastTask.ID != 0 {
				ovhCall(sim, k, "GET", fmt.Sprintf("/1.0/dedicated/server/%s/task/%d", sn1, lastTask.ID), "")
			}
		}
	}
	clock.Advance(time.Second) // let every reboot finish
	truth, _ := sim.GroundTruth(sn1)
	state, _ := sim.ServerState(sn1)

	byBoot := map[int64]string{1: OSDisk, 230242: OSRescue, 203323: OSIpxe, 95083: OSPoweroff}
	setting := int64(1)
	running := OSDisk
	readAtRequest := map[int64]string{}
	reads, taskReads := 0, 0
	phase := map[int64]string{} // a reboot's status by ground truth, once it went down or ended
	for i, e := range truth.Events {
		if i > 0 && e.At.Before(truth.Events[i-1].At) {
			t.Fatalf("event %d (%s) is before event %d (%s)", i, e, i-1, truth.Events[i-1])
		}
		if e.Actor != keyActor && e.Actor != ActorManual && e.Actor != ActorManager && (i > 0 || e.Actor != ActorSeed) {
			t.Fatalf("event %s has actor %q", e, e.Actor)
		}
		switch e.Kind {
		case EventBoot:
			setting = e.BootID
		case EventRead:
			if e.BootID != setting || e.Actor != keyActor {
				t.Fatalf("%s: shown bootId %d to %s, the setting is %d (read by %s)", e, e.BootID, e.Actor, setting, keyActor)
			}
			reads++
		case EventTaskRead:
			want := phase[e.Task]
			if want == "" && (e.Status == "init" || e.Status == "todo") || e.Status == want {
				taskReads++
				break
			}
			t.Fatalf("%s: shown status %s, ground truth has it %q", e, e.Status, want)
		case EventEnded:
			phase[e.Task] = e.Status
		case EventReboot:
			readAtRequest[e.Task] = byBoot[setting]
			if want := map[string]string{NetbootAtRequest: byBoot[setting], NetbootAtBoot: ""}[model]; e.Into != want {
				t.Fatalf("%s: into %q, want %q", e, e.Into, want)
			}
		case EventDown:
			want := byBoot[setting]
			if model == NetbootAtRequest {
				want = readAtRequest[e.Task]
			}
			if e.Into != want {
				t.Fatalf("%s: into %q, want %q (model %s)", e, e.Into, want, model)
			}
			running = OSBooting
			phase[e.Task] = "doing"
		case EventUp:
			running = e.OS
			phase[e.Task] = "done"
		}
	}
	if reads == 0 {
		t.Fatalf("no read of the server was recorded")
	}
	if truth.OS != running {
		t.Fatalf("ground truth says %s, its events say %s", truth.OS, running)
	}
	wantKernel := map[string]string{OSDisk: kernelDisk, OSRescue: kernelRescue12Customer, OSIpxe: kernelIpxeShell, OSPoweroff: kernelPoweroff}[running]
	if state.BootedKernel != wantKernel {
		t.Fatalf("the API's server booted %s, ground truth runs %s", state.BootedKernel, running)
	}
	return taskReads
}

func TestGroundTruthControlSurface(t *testing.T) {
	sim, clock := newTestSim(t, Config{Durations: Durations{Init: time.Second, Todo: time.Second, Doing: time.Second}})
	wantStatus(t, control(sim, "POST", "/_sim/netboot", `{"readAt":"boot"}`), http.StatusOK)
	wantStatus(t, control(sim, "POST", "/_sim/netboot", `{"readAt":"later"}`), http.StatusBadRequest)
	wantStatus(t, control(sim, "PUT", "/_sim/servers/"+sn1+"/boot", `{"bootId":230242}`), http.StatusOK)
	wantStatus(t, control(sim, "PUT", "/_sim/servers/"+sn1+"/boot", `{"bootId":7}`), http.StatusBadRequest)
	wantStatus(t, control(sim, "POST", "/_sim/servers/"+sn1+"/reboot", ``), http.StatusOK)
	wantStatus(t, control(sim, "POST", "/_sim/servers/"+sn1+"/reboot", ``), http.StatusConflict) // one at a time
	clock.Advance(1500 * time.Millisecond)
	// Read at boot: a change before doing counts.
	wantStatus(t, control(sim, "PUT", "/_sim/servers/"+sn1+"/boot", `{"bootId":95083}`), http.StatusOK)
	clock.Advance(time.Second)
	rec := control(sim, "GET", "/_sim/servers/"+sn1+"/truth", "")
	wantStatus(t, rec, http.StatusOK)
	truth := decode[GroundTruth](t, rec)
	if truth.OS != OSBooting {
		t.Fatalf("during doing the server runs %q, want booting", truth.OS)
	}
	clock.Advance(time.Second)
	truth, _ = sim.GroundTruth(sn1)
	if truth.OS != OSPoweroff || !truth.Since.Equal(clock.Now()) && truth.Since.After(clock.Now()) {
		t.Fatalf("after the manager's reboot the server runs %s since %s, want poweroff", truth.OS, truth.Since)
	}
	var kinds, actors []string
	for _, e := range truth.Events {
		kinds, actors = append(kinds, e.Kind), append(actors, e.Actor)
	}
	if fmt.Sprint(kinds) != "[up boot reboot boot down up]" || fmt.Sprint(actors) != "[seed manual manager manual manager manager]" {
		t.Fatalf("events %v by %v", kinds, actors)
	}
	wantStatus(t, control(sim, "GET", "/_sim/servers/nope/truth", ""), http.StatusNotFound)
}

func TestBodyFaults(t *testing.T) {
	sim, _ := newTestSim(t, Config{})
	k := adminKeys(sim)
	task := reboot(t, sim, k, sn1, 230242)
	sim.AddFault(Fault{Kind: FaultForeignTask, Count: 1})
	got := getTask(t, sim, k, sn1, task.ID)
	if got.ID == task.ID || got.Function == functionHardReboot || got.Status != taskDone {
		t.Fatalf("foreignTask answered %+v", got)
	}
	for kind, want := range map[string]string{FaultEmptyBody: "{}", FaultNullBody: "null"} {
		sim.AddFault(Fault{Kind: kind, Count: 1, Path: "/dedicated/server/*"})
		rec := ovhCall(sim, k, "GET", "/1.0/dedicated/server/"+sn1, "")
		wantStatus(t, rec, http.StatusOK)
		if rec.Body.String() != want {
			t.Fatalf("%s answered %q, want %q", kind, rec.Body.String(), want)
		}
	}
}

// TestOneFieldBodyFaults: each of these bodies is wrong in one field only.
func TestOneFieldBodyFaults(t *testing.T) {
	sim, _ := newTestSim(t, Config{})
	k := adminKeys(sim)
	task := reboot(t, sim, k, sn1, 230242)
	sim.AddFault(Fault{Kind: FaultOtherReboot, Count: 1})
	if got := getTask(t, sim, k, sn1, task.ID); got.ID != task.ID-1 || got.Function != functionHardReboot || got.Status != taskDone {
		t.Fatalf("otherReboot answered %+v", got)
	}
	sim.AddFault(Fault{Kind: FaultOtherFunction, Count: 1})
	if got := getTask(t, sim, k, sn1, task.ID); got.ID != task.ID || got.Function == functionHardReboot || got.Status != taskDone {
		t.Fatalf("otherFunction answered %+v", got)
	}
	sim.AddFault(Fault{Kind: FaultForeignServer, Count: 1})
	// A task GET does not spend it: only the server's own GET answers another server.
	if got := getTask(t, sim, k, sn1, task.ID); got.ID != task.ID || got.Function != functionHardReboot {
		t.Fatalf("a task GET answered %+v under foreignServer", got)
	}
	rec := ovhCall(sim, k, "GET", "/1.0/dedicated/server/"+sn1, "")
	wantStatus(t, rec, http.StatusOK)
	got := decode[map[string]any](t, rec)
	if got["name"] == sn1 || got["name"] != DefaultServers()[1].Name {
		t.Fatalf("foreignServer answered server %v, want the next one, %s", got["name"], DefaultServers()[1].Name)
	}
	rec = ovhCall(sim, k, "GET", "/1.0/dedicated/server/"+sn1, "")
	if got := decode[map[string]any](t, rec); got["name"] != sn1 {
		t.Fatalf("after its one firing, foreignServer still answered server %v", got["name"])
	}
}
