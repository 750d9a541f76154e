package ovhsim

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestAnsweringFaults(t *testing.T) {
	tests := []struct {
		fault       Fault
		status      int
		contentType string
		bodyHas     string
	}{
		{Fault{Kind: FaultStatus500}, 500, "application/json; charset=utf-8", `"class":"Server::InternalServerError"`},
		{Fault{Kind: FaultHTML503}, 503, "text/html", "<h1>503 Service Unavailable</h1>"},
		{Fault{Kind: FaultStatus429}, 429, "application/json; charset=utf-8", `"message":"Too many requests"`},
	}
	for _, tc := range tests {
		t.Run(tc.fault.Kind, func(t *testing.T) {
			sim, _ := newTestSim(t, Config{})
			k := adminKeys(sim)
			sim.AddFault(Fault{Kind: tc.fault.Kind, Method: "GET", Path: "/dedicated/server/*", Count: 2})
			for i := 0; i < 2; i++ {
				rec := ovhCall(sim, k, "GET", "/1.0/dedicated/server/"+sn1, "")
				wantStatus(t, rec, tc.status)
				if rec.Header().Get("Content-Type") != tc.contentType || !strings.Contains(rec.Body.String(), tc.bodyHas) {
					t.Errorf("answer %s %q, want %s containing %s", rec.Header().Get("Content-Type"), rec.Body.String(), tc.contentType, tc.bodyHas)
				}
				if rec.Header().Get("X-Ovh-QueryID") == "" {
					t.Error("a faulted answer has no X-Ovh-QueryID")
				}
			}
			// Used up after Count firings; other methods and paths never matched.
			wantStatus(t, ovhCall(sim, k, "GET", "/1.0/dedicated/server/"+sn1, ""), http.StatusOK)
			sim.AddFault(Fault{Kind: tc.fault.Kind, Method: "GET", Path: "/dedicated/server/*"})
			wantStatus(t, ovhCall(sim, k, "PUT", "/1.0/dedicated/server/"+sn1, `{"bootId":1}`), http.StatusOK)
			wantStatus(t, ovhCall(sim, k, "GET", "/1.0/dedicated/server", ""), http.StatusOK)
			for i := 0; i < 3; i++ { // Count 0 fires until cleared
				wantStatus(t, ovhCall(sim, k, "GET", "/1.0/dedicated/server/"+sn1, ""), tc.status)
			}
			sim.ClearFaults()
			wantStatus(t, ovhCall(sim, k, "GET", "/1.0/dedicated/server/"+sn1, ""), http.StatusOK)
		})
	}
}

func TestLatencyFaults(t *testing.T) {
	const latency = 80 * time.Millisecond
	tests := []struct {
		fault   Fault
		request func(*Sim, keys) *http.Request
		slow    bool
	}{
		{Fault{Kind: FaultLatency, Latency: latency, Path: "/dedicated/*"}, func(s *Sim, k keys) *http.Request {
			return signedRequest(s, k, "GET", "/1.0/dedicated/server", "")
		}, true},
		{Fault{Kind: FaultLatency, Latency: latency, Path: "/dedicated/*"}, func(*Sim, keys) *http.Request {
			return httptest.NewRequest("GET", "/1.0/auth/time", nil)
		}, false},
		{Fault{Kind: FaultSlowTime, Latency: latency}, func(*Sim, keys) *http.Request {
			return httptest.NewRequest("GET", "/1.0/auth/time", nil)
		}, true},
		{Fault{Kind: FaultSlowTime, Latency: latency}, func(s *Sim, k keys) *http.Request {
			return signedRequest(s, k, "GET", "/1.0/dedicated/server", "")
		}, false},
	}
	for _, tc := range tests {
		sim, _ := newTestSim(t, Config{})
		k := adminKeys(sim)
		sim.AddFault(tc.fault)
		r := tc.request(sim, k)
		began := time.Now()
		wantStatus(t, serve(sim, r), http.StatusOK)
		if slow := time.Since(began) >= latency; slow != tc.slow {
			t.Errorf("%s on %s: slow = %v, want %v", tc.fault.Kind, r.URL.Path, slow, tc.slow)
		}
	}
}

func TestLatencyStopsWhenClientLeaves(t *testing.T) {
	sim, _ := newTestSim(t, Config{})
	sim.AddFault(Fault{Kind: FaultSlowTime, Latency: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	began := time.Now()
	serve(sim, httptest.NewRequest("GET", "/1.0/auth/time", nil).WithContext(ctx))
	if time.Since(began) > 5*time.Second {
		t.Error("the simulator kept sleeping after the client left")
	}
}

func TestDropFault(t *testing.T) {
	sim, _ := newTestSim(t, Config{})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	sim.AddFault(Fault{Kind: FaultDrop, Path: "/auth/time", Count: 1})
	if resp, err := http.Get(srv.URL + "/1.0/auth/time"); err == nil {
		resp.Body.Close()
		t.Fatalf("got status %d, want a dropped connection", resp.StatusCode)
	}
	resp, err := http.Get(srv.URL + "/1.0/auth/time")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("after the drop: status %d, want 200", resp.StatusCode)
	}
	if log := sim.Requests(); len(log) != 2 || log[0].Status != 0 || log[0].Auth != outcomeFaulted {
		t.Errorf("log = %+v, want the dropped call with status 0", log)
	}
}

func TestTransientTaskFaults(t *testing.T) {
	tests := []struct {
		kind   string
		status int
	}{{FaultTask404, 404}, {FaultTask500, 500}}
	for _, tc := range tests {
		t.Run(tc.kind, func(t *testing.T) {
			sim, _ := newTestSim(t, Config{})
			k := adminKeys(sim)
			task := reboot(t, sim, k, sn1, 1)
			sim.AddFault(Fault{Kind: tc.kind, Count: 2})
			taskPath := fmt.Sprintf("/1.0/dedicated/server/%s/task/%d", sn1, task.ID)
			// The fault aims at task GETs only.
			wantStatus(t, ovhCall(sim, k, "GET", "/1.0/dedicated/server/"+sn1, ""), http.StatusOK)
			for i := 0; i < 2; i++ {
				wantStatus(t, ovhCall(sim, k, "GET", taskPath, ""), tc.status)
			}
			wantStatus(t, ovhCall(sim, k, "GET", taskPath, ""), http.StatusOK)
		})
	}
}

func TestPurgeDoneFault(t *testing.T) {
	sim, clock := newTestSim(t, Config{})
	k := adminKeys(sim)
	sim.AddFault(Fault{Kind: FaultPurgeDone, PurgeAfter: time.Minute})
	task := reboot(t, sim, k, sn1, 95083)
	taskPath := fmt.Sprintf("/1.0/dedicated/server/%s/task/%d", sn1, task.ID)
	clock.Advance(5*time.Second + 59*time.Second) // done 59 s ago
	if got := getTask(t, sim, k, sn1, task.ID); got.Status != "done" {
		t.Fatalf("status %s, want done", got.Status)
	}
	clock.Advance(time.Second)
	wantStatus(t, ovhCall(sim, k, "GET", taskPath, ""), http.StatusNotFound)
	list := decode[[]int64](t, ovhCall(sim, k, "GET", "/1.0/dedicated/server/"+sn1+"/task", ""))
	if len(list) != 0 {
		t.Errorf("tasks after the purge = %v, want none", list)
	}
	if state, _ := sim.ServerState(sn1); state.PowerState != "poweroff" {
		t.Errorf("powerState %s after a purged power-off, want poweroff", state.PowerState)
	}
}

func TestTaskEndFault(t *testing.T) {
	for _, end := range []string{"ovhError", "customerError", "cancelled"} {
		t.Run(end, func(t *testing.T) {
			sim, clock := newTestSim(t, Config{})
			k := adminKeys(sim)
			sim.AddFault(Fault{Kind: FaultTaskEnd, TaskEnd: end, Count: 1})
			failed := reboot(t, sim, k, sn1, 95083)
			clock.Advance(4 * time.Second)
			if got := getTask(t, sim, k, sn1, failed.ID); got.Status != "doing" {
				t.Errorf("before the end: %s, want doing", got.Status)
			}
			clock.Advance(time.Minute)
			if got := getTask(t, sim, k, sn1, failed.ID); got.Status != end || got.DoneDate != nil {
				t.Errorf("forced end: status %s, doneDate %v; want %s, null", got.Status, got.DoneDate, end)
			}
			if state, _ := sim.ServerState(sn1); state.PowerState != "poweron" || state.BootedKernel != "hd" {
				t.Errorf("a failed task changed the server: %+v", state)
			}
			next := reboot(t, sim, k, sn1, 95083)
			clock.Advance(time.Minute)
			if got := getTask(t, sim, k, sn1, next.ID); got.Status != "done" {
				t.Errorf("the next task: %s, want done (count 1 used up)", got.Status)
			}
		})
	}
}

func TestRateLimit(t *testing.T) {
	sim, clock := newTestSim(t, Config{RateLimitPerMinute: 2})
	first, second := adminKeys(sim), adminKeys(sim)
	for i, want := range []int{200, 200, 429} {
		if rec := ovhCall(sim, first, "GET", "/1.0/dedicated/server", ""); rec.Code != want {
			t.Errorf("call %d: status %d, want %d", i+1, rec.Code, want)
		}
	}
	wantStatus(t, ovhCall(sim, second, "GET", "/1.0/dedicated/server", ""), http.StatusOK) // per consumer key
	wantStatus(t, serve(sim, httptest.NewRequest("GET", "/1.0/auth/time", nil)), http.StatusOK)
	clock.Advance(time.Minute)
	wantStatus(t, ovhCall(sim, first, "GET", "/1.0/dedicated/server", ""), http.StatusOK)
	sim.SetRateLimit(0)
	for i := 0; i < 5; i++ {
		wantStatus(t, ovhCall(sim, first, "GET", "/1.0/dedicated/server", ""), http.StatusOK)
	}
}

func TestAddFaultRejectsNonsense(t *testing.T) {
	tests := []Fault{
		{Kind: "meteor"},
		{Kind: FaultLatency},
		{Kind: FaultSlowTime, Latency: -time.Second},
		{Kind: FaultTaskEnd, TaskEnd: "done"},
		{Kind: FaultStatus500, Count: -1},
	}
	for _, f := range tests {
		t.Run(f.Kind, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("AddFault(%+v) did not panic", f)
				}
			}()
			sim, _ := newTestSim(t, Config{})
			sim.AddFault(f)
		})
	}
}

func TestFaultJSON(t *testing.T) {
	f := Fault{Kind: FaultSlowTime, Count: 3, Latency: 1500 * time.Millisecond, PurgeAfter: time.Minute}
	data, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"kind":"slowTime","count":3,"latency":"1.5s","purgeAfter":"1m0s"}`; string(data) != want {
		t.Errorf("marshal = %s, want %s", data, want)
	}
	var back Fault
	if err := json.Unmarshal(data, &back); err != nil || back != f {
		t.Errorf("round trip = %+v, %v; want %+v", back, err, f)
	}
	if err := json.Unmarshal([]byte(`{"kind":"latency","latency":5}`), &back); err == nil {
		t.Error("a numeric latency was accepted; durations are strings")
	}
}
