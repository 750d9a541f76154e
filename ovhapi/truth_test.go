package ovhapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Issue 8 item 15: a redirect would carry the consumer key and a valid
// signature to another host; the 3xx is an error and the other host is never called.
func TestRedirectsAreNeverFollowed(t *testing.T) {
	var elsewhere int
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere++
		reply(w, 200, `{"name":"ns1","bootId":1,"powerState":"poweron"}`)
	}))
	defer other.Close()
	for _, status := range []int{301, 302, 307, 308} {
		f := newFakeAPI(t)
		f.handle("GET /dedicated/server/ns1", func(w http.ResponseWriter, r *http.Request, _ int) {
			http.Redirect(w, r, other.URL+"/1.0/dedicated/server/ns1", status)
		})
		_, err := f.client(fastRetries).GetServer(context.Background(), "ns1")
		if err == nil || !strings.Contains(err.Error(), "redirect") {
			t.Fatalf("%d: GetServer error = %v, want a refused redirect", status, err)
		}
	}
	if elsewhere != 0 {
		t.Fatalf("the redirect target got %d requests, want 0", elsewhere)
	}
}

// Issue 8 item 4: an answer about another object, or no object at all, is never
// taken for the one asked about.
func TestAnswersMustBeAboutWhatWasAsked(t *testing.T) {
	tests := []struct{ name, route, body string }{
		{"another server", "GET /dedicated/server/ns1", `{"name":"ns2","bootId":1,"powerState":"poweron"}`},
		{"server {}", "GET /dedicated/server/ns1", `{}`},
		{"server null", "GET /dedicated/server/ns1", `null`},
		{"server list null", "GET /dedicated/server", `null`},
		{"task list null", "GET /dedicated/server/ns1/task", `null`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI(t)
			f.handle(tt.route, replyAll(200, tt.body))
			c := f.client(fastRetries)
			var err error
			switch tt.route {
			case "GET /dedicated/server/ns1":
				_, err = c.GetServer(context.Background(), "ns1")
			case "GET /dedicated/server":
				_, err = c.ListServers(context.Background())
			default:
				_, err = c.ListTasks(context.Background(), "ns1", FunctionHardReboot, "")
			}
			if KindOf(err) != KindBadAnswer {
				t.Fatalf("error = %v, want an unexpected answer", err)
			}
		})
	}
}

// Issue 8 items 6 and 7: with MaxAttempts < 0 a transient error is retried
// until the ctx deadline, each retry a warning; /auth/time too.
func TestRetriesUntilTheDeadlineWithWarnings(t *testing.T) {
	f := newFakeAPI(t)
	f.handle("GET /auth/time", replySequence(replyAll(500, status500), replyAll(500, status500), func(w http.ResponseWriter, r *http.Request, n int) {
		reply(w, 200, strconv.FormatInt(time.Now().Unix(), 10))
	}))
	f.handle("GET /dedicated/server/ns1", replySequence(replyAll(500, status500), replyAll(404, unknownServer)))
	f.handle("GET /dedicated/server/ns1/task/7", replyAll(503, html503))
	var mu sync.Mutex
	var warnings []string
	opts := Options{RetryBase: time.Millisecond, RetryMax: 20 * time.Millisecond, MaxAttempts: -1,
		Warnf: func(format string, args ...any) {
			mu.Lock()
			defer mu.Unlock()
			warnings = append(warnings, format)
		}}
	c := f.client(opts)
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	if _, err := c.SyncTime(ctx); err != nil {
		t.Fatalf("SyncTime after two 500s: %v", err)
	}
	if _, err := c.GetServer(ctx, "ns1"); KindOf(err) != KindUnknownServer {
		t.Fatalf("GetServer = %v, want the 404 that retrying cannot change", err)
	}
	start := time.Now()
	if _, err := c.GetTask(ctx, "ns1", 7); KindOf(err) != KindServer {
		t.Fatalf("GetTask = %v, want the 503 once the deadline is near", err)
	}
	if n := f.count("GET /dedicated/server/ns1/task/7"); n < 10 {
		t.Fatalf("%d task GETs in %s, want retries until the deadline (more than MaxAttempts' default 4)", n, time.Since(start))
	}
	mu.Lock()
	defer mu.Unlock()
	if len(warnings) < 13 {
		t.Fatalf("%d retry warnings, want one per retry", len(warnings))
	}
}

// A lost reboot answer whose task is listed but still answers 404 (young) is
// followed, not failed and not sent again.
func TestRebootFollowsAListedTaskThatAnswers404(t *testing.T) {
	f := newFakeAPI(t)
	f.handle("POST /dedicated/server/ns1/reboot", replyAll(500, status500))
	f.handle("GET /dedicated/server/ns1/task", replyAll(200, `[40, 41]`))
	f.handle("GET /dedicated/server/ns1/task/41", replyAll(404, taskNotFound))
	task, followed, err := f.client(fastRetries).Reboot(context.Background(), "ns1")
	if err != nil || !followed || task.ID != 41 || f.count("POST /dedicated/server/ns1/reboot") != 1 {
		t.Fatalf("Reboot = %+v, %v, %v after %d POSTs; want task 41 followed after one POST", task, followed, err, f.count("POST /dedicated/server/ns1/reboot"))
	}
}
