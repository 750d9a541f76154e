package ovhsim

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

const sn1 = "ns567890.ip-123-22-44.eu"

func TestDefaultServers(t *testing.T) {
	seeds := DefaultServers()
	names := []string{"ns567890.ip-123-22-44.eu", "ns567891.ip-123-22-45.eu", "ns567892.ip-123-22-46.eu", "ns567893.ip-123-22-47.eu"}
	if len(seeds) != len(names) {
		t.Fatalf("%d servers, want %d", len(seeds), len(names))
	}
	ids := map[int64]bool{}
	for i, seed := range seeds {
		if seed.Name != names[i] || seed.RescueBootID == 0 {
			t.Errorf("server %d = %+v, want %s with a rescue netboot", i, seed, names[i])
		}
		for _, id := range []int64{seed.RescueBootID, seed.IpxeBootID, seed.PowerBootID} {
			if id != 0 && ids[id] {
				t.Errorf("boot ID %d appears twice; OVH's differ per server", id)
			}
			ids[id] = true
		}
	}
	// Today's catalogues (reference §3.3): rescue12-customer beside ipxe-shell
	// with the EU IDs, a legacy rescue64-pro, a range without a power netboot.
	if s := seeds[0]; s.RescueBootID != 230242 || s.rescueKernel() != "rescue12-customer" || s.IpxeBootID != 203323 || s.PowerBootID != 95083 {
		t.Errorf("first server = %+v, want rescue12-customer 230242, ipxe-shell 203323, power 95083", s)
	}
	if s := seeds[2]; s.rescueKernel() != "rescue64-pro" || s.PowerBootID == 0 {
		t.Errorf("third server = %+v, want the legacy rescue64-pro and a power netboot", s)
	}
	if s := seeds[3]; s.PowerBootID != 0 {
		t.Errorf("fourth server = %+v, want no power netboot", s)
	}
	// The sandbox maps its nodes to the first three servers on evidence.
	for i, node := range []string{"node1", "node2", "node3"} {
		if !strings.HasPrefix(seeds[i].Reverse, node+".") {
			t.Errorf("server %d reverse %q does not name %s", i, seeds[i].Reverse, node)
		}
	}
}

func TestListServers(t *testing.T) {
	sim, _ := newTestSim(t, Config{})
	rec := ovhCall(sim, adminKeys(sim), "GET", "/1.0/dedicated/server", "")
	wantStatus(t, rec, http.StatusOK)
	want := []string{"ns567890.ip-123-22-44.eu", "ns567891.ip-123-22-45.eu", "ns567892.ip-123-22-46.eu", "ns567893.ip-123-22-47.eu"}
	if got := decode[[]string](t, rec); !slices.Equal(got, want) {
		t.Errorf("servers = %v, want %v", got, want)
	}
}

func TestGetServer(t *testing.T) {
	sim, _ := newTestSim(t, Config{})
	rec := ovhCall(sim, adminKeys(sim), "GET", "/1.0/dedicated/server/"+sn1, "")
	wantStatus(t, rec, http.StatusOK)
	got := decode[map[string]any](t, rec)
	want := map[string]any{
		"name": sn1, "ip": "123.22.44.201", "reverse": "node1.sandbox.example", "datacenter": "gra1", "region": "eu-west-gra",
		"commercialRange": "advance-1", "state": "ok", "powerState": "poweron", "bootId": float64(1),
		"rescueMail": nil, "rescueSshKey": nil, "monitoring": true,
	}
	for key, value := range want {
		if got[key] != value {
			t.Errorf("%s = %#v, want %#v", key, got[key], value)
		}
	}
	iam, _ := got["iam"].(map[string]any)
	if iam["urn"] != "urn:v1:eu:resource:dedicatedServer:"+sn1 {
		t.Errorf("iam = %v, want the server's URN", got["iam"])
	}
	if _, ok := got["serverId"].(float64); !ok {
		t.Errorf("serverId = %#v, want a number", got["serverId"])
	}
}

func TestUnknownServer(t *testing.T) {
	sim, _ := newTestSim(t, Config{})
	admin := adminKeys(sim)
	for _, target := range []string{"/1.0/dedicated/server/ns1.example", "/1.0/dedicated/server/ns1.example/boot", "/1.0/dedicated/server/ns1.example/task/1"} {
		wantError(t, ovhCall(sim, admin, "GET", target, ""), http.StatusNotFound,
			"Client::NotFound", "The requested object (serviceName = ns1.example) does not exist")
	}
	wantError(t, ovhCall(sim, admin, "POST", "/1.0/dedicated/server/ns1.example/reboot", ""), http.StatusNotFound,
		"Client::NotFound", "The requested object (serviceName = ns1.example) does not exist")
}

func TestPutServer(t *testing.T) {
	tests := []struct {
		name       string
		body       string
		status     int
		wantBootID int64
	}{
		{"rescue boot", `{"bootId":230242}`, 200, 230242},
		{"power boot", `{"bootId":95083}`, 200, 95083},
		{"another server's boot", `{"bootId":230287}`, 400, 1},
		{"null boot", `{"bootId":null}`, 400, 1},
		{"boot as a string", `{"bootId":"230242"}`, 400, 1},
		{"read-only powerState", `{"powerState":"poweroff"}`, 400, 1},
		{"unknown property", `{"colour":"blue"}`, 400, 1},
		{"invalid state", `{"state":"sleeping"}`, 400, 1},
		{"all or nothing", `{"bootId":230242,"state":"sleeping"}`, 400, 1},
		{"other writable fields", `{"monitoring":false,"rescueMail":"ops@example.org","state":"error"}`, 200, 1},
		{"not JSON", `bootId=1`, 400, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sim, _ := newTestSim(t, Config{})
			admin := adminKeys(sim)
			rec := ovhCall(sim, admin, "PUT", "/1.0/dedicated/server/"+sn1, tc.body)
			wantStatus(t, rec, tc.status)
			if tc.status == 200 && rec.Body.String() != "null" {
				t.Errorf("body = %q, want null", rec.Body.String())
			}
			state, _ := sim.ServerState(sn1)
			if state.BootID != tc.wantBootID || state.PowerState != "poweron" {
				t.Errorf("bootId %d, powerState %s; want %d, poweron", state.BootID, state.PowerState, tc.wantBootID)
			}
		})
	}
}

func TestPutServerWritableFields(t *testing.T) {
	sim, _ := newTestSim(t, Config{})
	admin := adminKeys(sim)
	wantStatus(t, ovhCall(sim, admin, "PUT", "/1.0/dedicated/server/"+sn1, `{"rescueMail":"ops@example.org","monitoring":false}`), 200)
	got := decode[map[string]any](t, ovhCall(sim, admin, "GET", "/1.0/dedicated/server/"+sn1, ""))
	if got["rescueMail"] != "ops@example.org" || got["monitoring"] != false {
		t.Errorf("rescueMail %v, monitoring %v; want the PUT values", got["rescueMail"], got["monitoring"])
	}
}

func TestBootCatalogue(t *testing.T) {
	sim, _ := newTestSim(t, Config{Servers: []ServerSeed{
		{Name: "ns1.example", Datacenter: "bhs1", RescueBootID: 22, IpxeBootID: 33},
	}})
	admin := adminKeys(sim)
	base := "/1.0/dedicated/server/ns1.example/boot"
	tests := []struct {
		query string
		want  []int64
	}{
		{"", []int64{1, 22, 33}},
		{"?bootType=rescue", []int64{22, 33}},
		{"?bootType=harddisk", []int64{1}},
		{"?bootType=power", []int64{}}, // this server has no power netboot
	}
	for _, tc := range tests {
		rec := ovhCall(sim, admin, "GET", base+tc.query, "")
		wantStatus(t, rec, http.StatusOK)
		if got := decode[[]int64](t, rec); !slices.Equal(got, tc.want) {
			t.Errorf("boot%s = %v, want %v", tc.query, got, tc.want)
		}
	}
	for id, want := range map[string]boot{
		"1":  {1, "harddisk", "Boot to disk", "hd"},
		"22": {22, "rescue", "Customer rescue system (Debian-12-based)", "rescue12-customer"}, // today's rescue by default
		"33": {33, "rescue", "iPXE shell", "ipxe-shell"},
	} {
		rec := ovhCall(sim, admin, "GET", base+"/"+id, "")
		wantStatus(t, rec, http.StatusOK)
		if got := decode[boot](t, rec); got != want {
			t.Errorf("boot %s = %+v, want %+v", id, got, want)
		}
	}
	wantError(t, ovhCall(sim, admin, "GET", base+"/95083", ""), http.StatusNotFound,
		"Client::NotFound", "The requested object (bootId = 95083) does not exist")
}

func TestPowerBootOfDefaultServer(t *testing.T) {
	sim, _ := newTestSim(t, Config{})
	rec := ovhCall(sim, adminKeys(sim), "GET", "/1.0/dedicated/server/"+sn1+"/boot/95083", "")
	wantStatus(t, rec, http.StatusOK)
	if got := decode[boot](t, rec); got.Type != "power" || got.Kernel != "poweroff" {
		t.Errorf("boot 95083 = %+v, want power/poweroff", got)
	}
}

func TestAPIBasesAndQueryID(t *testing.T) {
	sim, _ := newTestSim(t, Config{})
	admin := adminKeys(sim)
	queryID := regexp.MustCompile(`^EU\.ext-1\.[0-9a-f]+\.[0-9]+$`)
	tests := []struct {
		name    string
		request *http.Request
		status  int
	}{
		{"/1.0", signedRequest(sim, admin, "GET", "/1.0/dedicated/server", ""), 200},
		{"/v1 alias", signedRequest(sim, admin, "GET", "/v1/dedicated/server", ""), 200},
		{"time", httptest.NewRequest("GET", "/1.0/auth/time", nil), 200},
		{"auth error", httptest.NewRequest("GET", "/1.0/dedicated/server", nil), 401},
		{"unknown route", signedRequest(sim, admin, "GET", "/1.0/dedicated/nothing", ""), 404},
		{"wrong method", signedRequest(sim, admin, "DELETE", "/1.0/dedicated/server/"+sn1, ""), 404},
		{"outside the API", httptest.NewRequest("GET", "/2.0/dedicated/server", nil), 404},
	}
	seen := map[string]bool{}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := serve(sim, tc.request)
			wantStatus(t, rec, tc.status)
			id := rec.Header().Get("X-Ovh-QueryID")
			if !queryID.MatchString(id) || seen[id] {
				t.Errorf("X-Ovh-QueryID = %q, want a fresh EU.ext-1.<hex>.<n>", id)
			}
			seen[id] = true
			if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type = %q, want JSON", ct)
			}
		})
	}
}

func TestAuthTime(t *testing.T) {
	sim, clock := newTestSim(t, Config{})
	sim.SetTimeOffset(90 * time.Second)
	rec := serve(sim, httptest.NewRequest("GET", "/1.0/auth/time", nil))
	wantStatus(t, rec, http.StatusOK)
	if got, want := rec.Body.String(), "1735722090"; got != want || clock.Now().Unix() != 1735722000 {
		t.Errorf("/auth/time = %s, want the bare integer %s (clock + 90s)", got, want)
	}
}
