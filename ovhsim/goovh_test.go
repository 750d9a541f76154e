package ovhsim

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/ovh/go-ovh/ovh"
)

// TestGoOVHClient drives the simulator with the real go-ovh client through
// the fencing sequence (DESIGN.md D1), proving go-ovh accepts its answers.
func TestGoOVHClient(t *testing.T) {
	t.Setenv("OVH_CLIENT_ID", "") // go-ovh refuses to mix AK/AS with OAuth2 settings
	t.Setenv("OVH_CLIENT_SECRET", "")
	t.Setenv("HOME", t.TempDir()) // and no ~/.ovh.conf
	sim := New(Config{Durations: Durations{Init: 20 * time.Millisecond, Todo: 20 * time.Millisecond, Doing: 50 * time.Millisecond}})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	ak, as, ck := sim.CreateToken(FencingRules(sn1))
	client, err := ovh.NewClient(srv.URL+"/1.0", ak, as, ck)
	if err != nil {
		t.Fatal(err)
	}
	client.Timeout = 5 * time.Second
	base := "/dedicated/server/" + sn1

	var server struct {
		Name       string `json:"name"`
		BootID     int64  `json:"bootId"`
		PowerState string `json:"powerState"`
	}
	if err := client.Get(base, &server); err != nil || server.Name != sn1 || server.BootID != 1 {
		t.Fatalf("GET server = %+v, %v", server, err)
	}
	if err := client.Put(base, map[string]int64{"bootId": 95083}, nil); err != nil {
		t.Fatalf("PUT bootId: %v", err)
	}
	var task struct {
		ID     int64  `json:"taskId"`
		Status string `json:"status"`
	}
	if err := client.Post(base+"/reboot", nil, &task); err != nil || task.Status != "init" {
		t.Fatalf("POST reboot = %+v, %v", task, err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for task.Status != "done" && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		if err := client.Get(base+"/task/"+strconv.FormatInt(task.ID, 10), &task); err != nil {
			t.Fatalf("GET task: %v", err)
		}
	}
	if task.Status != "done" {
		t.Fatalf("task still %s", task.Status)
	}
	if err := client.Get(base, &server); err != nil || server.PowerState != "poweroff" {
		t.Fatalf("GET server after the task = %+v, %v", server, err)
	}

	// An OVH error reaches go-ovh as an *ovh.APIError with class, message and
	// query ID.
	var apiErr *ovh.APIError
	err = client.Get("/dedicated/server/ns567891.ip-123-22-45.eu", nil)
	if !errors.As(err, &apiErr) || apiErr.Code != http.StatusForbidden ||
		apiErr.Message != "This call has not been granted" || apiErr.QueryID == "" {
		t.Errorf("ungranted call: %v", err)
	}
	err = client.Post(base+"/reboot", nil, nil)
	if err != nil {
		t.Fatalf("second reboot after done: %v", err)
	}
	err = client.Post(base+"/reboot", nil, nil)
	if !errors.As(err, &apiErr) || apiErr.Class != "Client::BadRequest::TaskAlreadyExists" {
		t.Errorf("reboot while one is pending: %v", err)
	}

	for _, entry := range sim.Requests() {
		if entry.Path == "/1.0/auth/time" {
			continue
		}
		for _, h := range []string{"X-Ovh-Application", "X-Ovh-Consumer", "X-Ovh-Timestamp", "X-Ovh-Signature"} {
			if !entry.HasHeader(h) {
				t.Errorf("%s %s was sent without %s", entry.Method, entry.Path, h)
			}
		}
	}
}
