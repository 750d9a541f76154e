package ovhsim

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"
)

// reboot sets the server's boot and asks for a reboot, returning the task.
func reboot(t *testing.T, sim *Sim, k keys, sn string, bootID int64) Task {
	t.Helper()
	wantStatus(t, ovhCall(sim, k, "PUT", "/1.0/dedicated/server/"+sn, fmt.Sprintf(`{"bootId":%d}`, bootID)), http.StatusOK)
	rec := ovhCall(sim, k, "POST", "/1.0/dedicated/server/"+sn+"/reboot", "")
	wantStatus(t, rec, http.StatusOK)
	return decode[Task](t, rec)
}

func getTask(t *testing.T, sim *Sim, k keys, sn string, id int64) Task {
	t.Helper()
	rec := ovhCall(sim, k, "GET", "/1.0/dedicated/server/"+sn+"/task/"+strconv.FormatInt(id, 10), "")
	wantStatus(t, rec, http.StatusOK)
	return decode[Task](t, rec)
}

func TestRebootTaskBody(t *testing.T) {
	sim, clock := newTestSim(t, Config{})
	k := adminKeys(sim)
	wantStatus(t, ovhCall(sim, k, "PUT", "/1.0/dedicated/server/"+sn1, `{"bootId":230242}`), http.StatusOK)
	rec := ovhCall(sim, k, "POST", "/1.0/dedicated/server/"+sn1+"/reboot", "")
	wantStatus(t, rec, http.StatusOK)
	got := decode[map[string]any](t, rec)
	start := clock.Now().In(ovhZone).Format(time.RFC3339)
	want := map[string]any{
		"function": "hardReboot", "status": "init", "comment": "Reboot asked",
		"startDate": start, "lastUpdate": start, "doneDate": nil, "needSchedule": false,
		"note": nil, "plannedInterventionId": nil, "tags": nil, "ticketReference": nil,
	}
	for key, value := range want {
		if v, present := got[key]; !present || v != value {
			t.Errorf("%s = %#v (present %v), want %#v", key, v, present, value)
		}
	}
	if _, ok := got["taskId"].(float64); !ok || len(got) != len(want)+1 {
		t.Errorf("task = %v, want exactly taskId plus %d fields", got, len(want))
	}
}

func TestTaskStateMachine(t *testing.T) {
	tests := []struct {
		name                 string
		bootID               int64
		wantPower, wantBoots string
	}{
		{"power netboot", 95083, "poweroff", "poweroff"},
		{"rescue netboot", 230242, "poweron", "rescue12-customer"},
		{"disk", 1, "poweron", "hd"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sim, clock := newTestSim(t, Config{Durations: Durations{Init: 2 * time.Second, Todo: 3 * time.Second, Doing: 5 * time.Second}})
			k := adminKeys(sim)
			task := reboot(t, sim, k, sn1, tc.bootID)
			start := clock.Now()
			// Changing the boot after the reboot was asked does not change
			// what the server boots.
			wantStatus(t, ovhCall(sim, k, "PUT", "/1.0/dedicated/server/"+sn1, `{"bootId":203323}`), http.StatusOK)
			steps := []struct {
				after      time.Duration
				status     string
				lastUpdate time.Duration
			}{
				{time.Second, "init", 0},
				{2 * time.Second, "todo", 2 * time.Second},
				{5 * time.Second, "doing", 5 * time.Second},
				{9 * time.Second, "doing", 5 * time.Second},
				{10 * time.Second, "done", 10 * time.Second},
			}
			for _, step := range steps {
				clock.Advance(start.Add(step.after).Sub(clock.Now()))
				got := getTask(t, sim, k, sn1, task.ID)
				if got.Status != step.status || !got.LastUpdate.Equal(start.Add(step.lastUpdate)) {
					t.Fatalf("at +%v: status %s, lastUpdate %v; want %s, %v", step.after, got.Status, got.LastUpdate, step.status, start.Add(step.lastUpdate))
				}
				if (got.DoneDate != nil) != (step.status == "done") {
					t.Fatalf("at +%v: doneDate %v with status %s", step.after, got.DoneDate, got.Status)
				}
				state, _ := sim.ServerState(sn1)
				if step.status != "done" && state.PowerState != "poweron" {
					t.Fatalf("at +%v: powerState %s before the task is done", step.after, state.PowerState)
				}
			}
			state, _ := sim.ServerState(sn1)
			if state.PowerState != tc.wantPower || state.BootedKernel != tc.wantBoots {
				t.Errorf("after done: powerState %s, booted %s; want %s, %s", state.PowerState, state.BootedKernel, tc.wantPower, tc.wantBoots)
			}
			server := decode[map[string]any](t, ovhCall(sim, k, "GET", "/1.0/dedicated/server/"+sn1, ""))
			if server["powerState"] != tc.wantPower {
				t.Errorf("GET server powerState = %v, want %s", server["powerState"], tc.wantPower)
			}
		})
	}
}

func TestRebootWhileOffPowersOn(t *testing.T) {
	sim, clock := newTestSim(t, Config{})
	k := adminKeys(sim)
	reboot(t, sim, k, sn1, 95083)
	clock.Advance(time.Minute)
	reboot(t, sim, k, sn1, 1)
	if state, _ := sim.ServerState(sn1); state.PowerState != "poweroff" {
		t.Fatalf("powerState %s while the power-on reboot is pending, want poweroff", state.PowerState)
	}
	clock.Advance(time.Minute)
	if state, _ := sim.ServerState(sn1); state.PowerState != "poweron" || state.BootedKernel != "hd" || len(state.Tasks) != 2 {
		t.Errorf("state = %+v, want poweron from hd with two tasks", state)
	}
}

func TestTaskAlreadyExists(t *testing.T) {
	sim, clock := newTestSim(t, Config{})
	k := adminKeys(sim)
	first := reboot(t, sim, k, sn1, 230242)
	clock.Advance(1500 * time.Millisecond) // todo
	wantError(t, ovhCall(sim, k, "POST", "/1.0/dedicated/server/"+sn1+"/reboot", ""), http.StatusBadRequest,
		"Client::BadRequest::TaskAlreadyExists",
		fmt.Sprintf("Task %d of type hardReboot with status todo is already running on server %s", first.ID, sn1))
	// Other servers are independent.
	wantStatus(t, ovhCall(sim, k, "POST", "/1.0/dedicated/server/ns567891.ip-123-22-45.eu/reboot", ""), http.StatusOK)
	clock.Advance(time.Minute)
	wantStatus(t, ovhCall(sim, k, "POST", "/1.0/dedicated/server/"+sn1+"/reboot", ""), http.StatusOK)
}

func TestConcurrentRebootsAllowed(t *testing.T) {
	sim, _ := newTestSim(t, Config{AllowConcurrentReboots: true})
	k := adminKeys(sim)
	first := reboot(t, sim, k, sn1, 230242)
	second := reboot(t, sim, k, sn1, 230242)
	if second.ID == first.ID {
		t.Errorf("both reboots got task %d", first.ID)
	}
}

func TestTaskFilters(t *testing.T) {
	sim, clock := newTestSim(t, Config{})
	k := adminKeys(sim)
	done := reboot(t, sim, k, sn1, 1)
	clock.Advance(time.Minute)
	pending := reboot(t, sim, k, sn1, 1)
	tests := []struct {
		query string
		want  []int64
	}{
		{"", []int64{done.ID, pending.ID}},
		{"?function=hardReboot", []int64{done.ID, pending.ID}},
		{"?function=reinstallServer", []int64{}},
		{"?status=done", []int64{done.ID}},
		{"?status=init", []int64{pending.ID}},
		{"?function=hardReboot&status=init", []int64{pending.ID}},
		{"?status=doing", []int64{}},
	}
	for _, tc := range tests {
		rec := ovhCall(sim, k, "GET", "/1.0/dedicated/server/"+sn1+"/task"+tc.query, "")
		wantStatus(t, rec, http.StatusOK)
		if got := decode[[]int64](t, rec); !slices.Equal(got, tc.want) {
			t.Errorf("task%s = %v, want %v", tc.query, got, tc.want)
		}
	}
	wantError(t, ovhCall(sim, k, "GET", "/1.0/dedicated/server/"+sn1+"/task/12", ""), http.StatusNotFound,
		"Client::NotFound", "The requested object (taskId = 12) does not exist")
}

func TestCancelTask(t *testing.T) {
	tests := []struct {
		name       string
		after      time.Duration
		wantCode   int
		wantStatus string
		wantPower  string
	}{
		{"init", 0, 200, "cancelled", "poweron"},
		{"todo", 1500 * time.Millisecond, 200, "cancelled", "poweron"},
		{"doing", 3 * time.Second, 400, "done", "poweroff"},
		{"done", time.Minute, 400, "done", "poweroff"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sim, clock := newTestSim(t, Config{})
			k := adminKeys(sim)
			task := reboot(t, sim, k, sn1, 95083)
			clock.Advance(tc.after)
			rec := ovhCall(sim, k, "POST", fmt.Sprintf("/1.0/dedicated/server/%s/task/%d/cancel", sn1, task.ID), "")
			wantStatus(t, rec, tc.wantCode)
			clock.Advance(time.Minute)
			if got := getTask(t, sim, k, sn1, task.ID); got.Status != tc.wantStatus {
				t.Errorf("status %s, want %s", got.Status, tc.wantStatus)
			}
			if state, _ := sim.ServerState(sn1); state.PowerState != tc.wantPower {
				t.Errorf("powerState %s, want %s", state.PowerState, tc.wantPower)
			}
		})
	}
}

func TestSetDurationsAppliesToNewTasks(t *testing.T) {
	sim, clock := newTestSim(t, Config{})
	k := adminKeys(sim)
	sim.SetDurations(Durations{})
	task := reboot(t, sim, k, sn1, 95083)
	if task.Status != "init" {
		t.Errorf("POST reboot answered %s, want init", task.Status)
	}
	if got := getTask(t, sim, k, sn1, task.ID); got.Status != "done" {
		t.Errorf("with zero durations the task is %s, want done at once", got.Status)
	}
	sim.SetDurations(Durations{Init: time.Hour})
	clock.Advance(time.Second)
	slow := reboot(t, sim, k, sn1, 1)
	clock.Advance(59 * time.Minute)
	if got := getTask(t, sim, k, sn1, slow.ID); got.Status != "init" {
		t.Errorf("after 59 of 60 minutes the task is %s, want init", got.Status)
	}
}

func TestServerState(t *testing.T) {
	sim, _ := newTestSim(t, Config{})
	if _, ok := sim.ServerState("ns1.example"); ok {
		t.Error("state of an unknown server")
	}
	state, ok := sim.ServerState(sn1)
	if !ok || state.BootID != 1 || state.PowerState != "poweron" || state.BootedKernel != "hd" || len(state.Tasks) != 0 {
		t.Errorf("initial state = %+v", state)
	}
	off, _ := newTestSim(t, Config{Servers: []ServerSeed{{Name: "ns1.example", PowerBootID: 7, PowerState: "poweroff"}}})
	if state, _ := off.ServerState("ns1.example"); state.PowerState != "poweroff" || state.BootedKernel != "poweroff" {
		t.Errorf("seeded off server = %+v", state)
	}
}
