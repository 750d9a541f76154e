package ovhsim

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// control sends a request to the /_sim/ surface.
func control(sim *Sim, method, target, body string) *httptest.ResponseRecorder {
	return serve(sim, httptest.NewRequest(method, target, strings.NewReader(body)))
}

func TestControlToken(t *testing.T) {
	sim, _ := newTestSim(t, Config{})
	rec := control(sim, "POST", "/_sim/token", `{"rules":[{"method":"GET","path":"/dedicated/server"}]}`)
	wantStatus(t, rec, http.StatusOK)
	got := decode[tokenKeys](t, rec)
	k := keys{got.ApplicationKey, got.ApplicationSecret, got.ConsumerKey}
	wantStatus(t, ovhCall(sim, k, "GET", "/1.0/dedicated/server", ""), http.StatusOK)
	wantStatus(t, ovhCall(sim, k, "GET", "/1.0/dedicated/server/"+sn1, ""), http.StatusForbidden)
	wantStatus(t, control(sim, "POST", "/_sim/token", `{"rules":[{"method":"PATCH","path":"/"}]}`), http.StatusBadRequest)
}

func TestControlCredentials(t *testing.T) {
	tests := []struct {
		action, body string
		status       int
	}{
		{"validate", "", http.StatusOK},
		{"validate", `{"expiration":null}`, http.StatusOK},
		{"validate", `{"expiration":"2099-01-01T00:00:00Z"}`, http.StatusOK},
		{"validate", `{"expiration":"2000-01-01T00:00:00Z"}`, http.StatusForbidden}, // already past
		{"refuse", "", http.StatusForbidden},
		{"expire", "", http.StatusForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.action+" "+tc.body, func(t *testing.T) {
			sim, _ := newTestSim(t, Config{})
			ak, as := sim.CreateApp("wizard")
			k := keys{ak, as, requestCredential(t, sim, ak, `{"accessRules":[]}`)}
			wantStatus(t, control(sim, "POST", "/_sim/credentials/"+k.ck+"/"+tc.action, tc.body), http.StatusOK)
			if code, _ := currentCredential(t, sim, k); code != tc.status {
				t.Errorf("currentCredential status %d, want %d", code, tc.status)
			}
			rec := control(sim, "POST", "/_sim/credentials/unknown/"+tc.action, "")
			wantStatus(t, rec, http.StatusNotFound)
		})
	}
}

func TestControlValidateRejectsBadExpiration(t *testing.T) {
	sim, _ := newTestSim(t, Config{})
	ak, _ := sim.CreateApp("wizard")
	ck := requestCredential(t, sim, ak, `{"accessRules":[]}`)
	rec := control(sim, "POST", "/_sim/credentials/"+ck+"/validate", `{"expiration":"tomorrow"}`)
	wantStatus(t, rec, http.StatusBadRequest)
	if strings.Contains(rec.Body.String(), ck) {
		t.Error("the error echoes the consumer key")
	}
}

func TestControlServerAndDurations(t *testing.T) {
	sim, clock := newTestSim(t, Config{})
	k := adminKeys(sim)
	wantStatus(t, control(sim, "POST", "/_sim/durations", `{"init":"10s","todo":"10s","doing":"10s"}`), http.StatusOK)
	task := reboot(t, sim, k, sn1, 95083)
	clock.Advance(29 * time.Second)
	rec := control(sim, "GET", "/_sim/servers/"+sn1, "")
	wantStatus(t, rec, http.StatusOK)
	state := decode[ServerState](t, rec)
	if state.BootID != 95083 || state.PowerState != "poweron" || len(state.Tasks) != 1 || state.Tasks[0].Status != "doing" {
		t.Fatalf("state at +29s = %+v, want the task doing", state)
	}
	clock.Advance(time.Second)
	state = decode[ServerState](t, control(sim, "GET", "/_sim/servers/"+sn1, ""))
	if state.PowerState != "poweroff" || state.BootedKernel != "poweroff" || state.Tasks[0].ID != task.ID || state.Tasks[0].Status != "done" {
		t.Errorf("state at +30s = %+v, want powered off by task %d", state, task.ID)
	}
	wantStatus(t, control(sim, "GET", "/_sim/servers/ns1.example", ""), http.StatusNotFound)
	wantStatus(t, control(sim, "POST", "/_sim/durations", `{"init":"soon"}`), http.StatusBadRequest)
}

func TestControlTime(t *testing.T) {
	sim, clock := newTestSim(t, Config{})
	wantStatus(t, control(sim, "POST", "/_sim/time", `{"offset":"-90s"}`), http.StatusOK)
	rec := serve(sim, httptest.NewRequest("GET", "/1.0/auth/time", nil))
	if want := clock.Now().Add(-90 * time.Second).Unix(); rec.Body.String() != itoa(want) {
		t.Errorf("/auth/time = %s, want %d", rec.Body.String(), want)
	}
	// A client signing with its own clock is now 90 s off: refused.
	k := adminKeys(sim)
	wantStatus(t, ovhCall(sim, k, "GET", "/1.0/dedicated/server", ""), http.StatusBadRequest)
	wantStatus(t, control(sim, "POST", "/_sim/time", `{"offset":90}`), http.StatusBadRequest)
}

func TestControlFaults(t *testing.T) {
	sim, _ := newTestSim(t, Config{})
	k := adminKeys(sim)
	rec := control(sim, "POST", "/_sim/faults", `{"kind":"task500","count":1}`)
	wantStatus(t, rec, http.StatusOK)
	if got := decode[Fault](t, rec); got.Path != "/dedicated/server/*/task/*" || got.Method != "GET" {
		t.Errorf("added fault = %+v, want it aimed at task GETs", got)
	}
	wantStatus(t, control(sim, "POST", "/_sim/faults", `{"kind":"status500","path":"/dedicated/server"}`), http.StatusOK)
	wantStatus(t, ovhCall(sim, k, "GET", "/1.0/dedicated/server", ""), http.StatusInternalServerError)
	wantStatus(t, control(sim, "DELETE", "/_sim/faults", ""), http.StatusOK)
	wantStatus(t, ovhCall(sim, k, "GET", "/1.0/dedicated/server", ""), http.StatusOK)
	for _, body := range []string{`{"kind":"meteor"}`, `{"kind":"latency"}`, `{"kind":"latency","latency":"fast"}`, `not json`} {
		if rec := control(sim, "POST", "/_sim/faults", body); rec.Code != http.StatusBadRequest {
			t.Errorf("fault %s: status %d, want 400", body, rec.Code)
		}
	}
}

func TestControlRateLimit(t *testing.T) {
	sim, _ := newTestSim(t, Config{})
	k := adminKeys(sim)
	wantStatus(t, control(sim, "POST", "/_sim/ratelimit", `{"perMinute":1}`), http.StatusOK)
	wantStatus(t, ovhCall(sim, k, "GET", "/1.0/dedicated/server", ""), http.StatusOK)
	wantStatus(t, ovhCall(sim, k, "GET", "/1.0/dedicated/server", ""), http.StatusTooManyRequests)
}

func TestControlRequests(t *testing.T) {
	sim, _ := newTestSim(t, Config{})
	k := adminKeys(sim)
	for i := 0; i < 3; i++ {
		ovhCall(sim, k, "GET", "/1.0/dedicated/server", "")
	}
	all := decode[[]LoggedRequest](t, control(sim, "GET", "/_sim/requests", ""))
	if len(all) != 3 {
		t.Fatalf("%d logged requests, want 3 (control calls are not logged)", len(all))
	}
	since := decode[[]LoggedRequest](t, control(sim, "GET", "/_sim/requests?since="+itoa(int64(all[0].Seq)), ""))
	if len(since) != 2 || since[0].Seq != all[1].Seq {
		t.Errorf("since %d = %+v, want the last two", all[0].Seq, since)
	}
	wantStatus(t, control(sim, "GET", "/_sim/requests?since=x", ""), http.StatusBadRequest)
	wantStatus(t, control(sim, "DELETE", "/_sim/requests", ""), http.StatusOK)
	if got := decode[[]LoggedRequest](t, control(sim, "GET", "/_sim/requests", "")); len(got) != 0 {
		t.Errorf("%d requests after clearing, want 0", len(got))
	}
	ovhCall(sim, k, "GET", "/1.0/dedicated/server", "")
	if got := sim.Requests(); len(got) != 1 || got[0].Seq != 4 {
		t.Errorf("after clearing, log = %+v; want one entry numbered 4", got)
	}
}

func TestControlUnknownCall(t *testing.T) {
	sim, _ := newTestSim(t, Config{})
	for _, tc := range []struct{ method, target string }{{"GET", "/_sim/nothing"}, {"GET", "/_sim/faults"}} {
		rec := control(sim, tc.method, tc.target, "")
		wantStatus(t, rec, http.StatusNotFound)
		if got := decode[map[string]string](t, rec); got["error"] == "" {
			t.Errorf("%s %s: body %s, want a JSON error", tc.method, tc.target, rec.Body.String())
		}
	}
}
