package ovhapi

import (
	"context"
	"net/http"
	"testing"
	"time"
)

func TestGetRetries(t *testing.T) {
	slow := func(w http.ResponseWriter, r *http.Request, _ int) {
		select { // longer than RequestTimeout: a network error for the client
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
	}
	ok := replyAll(200, `["ns1"]`)
	tests := []struct {
		name      string
		handler   handlerFunc
		wantCalls int
		wantKind  Kind // KindUnknown = success
	}{
		{"500 then ok", replySequence(replyAll(500, status500), replyAll(500, status500), ok), 3, KindUnknown},
		{"HTML 503 then ok", replySequence(replyAll(503, html503), ok), 2, KindUnknown},
		{"429 then ok", replySequence(replyAll(429, `{"message":"Too many requests"}`), ok), 2, KindUnknown},
		{"network timeout then ok", replySequence(slow, ok), 2, KindUnknown},
		{"500 until MaxAttempts", replyAll(500, status500), 4, KindServer},
		{"403 not retried", replyAll(403, notGranted), 1, KindNotGranted},
		{"404 not retried", replyAll(404, `{"class":"Client::NotFound","message":"nope"}`), 1, KindNotFound},
		{"400 not retried", replyAll(400, `{"message":"Invalid signature"}`), 1, KindBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI(t)
			f.handle("GET /dedicated/server", tt.handler)
			opts := fastRetries
			opts.RequestTimeout = 200 * time.Millisecond
			names, err := f.client(opts).ListServers(context.Background())
			if got := f.count("GET /dedicated/server"); got != tt.wantCalls {
				t.Errorf("%d requests; want %d", got, tt.wantCalls)
			}
			if tt.wantKind == KindUnknown {
				if err != nil || len(names) != 1 || names[0] != "ns1" {
					t.Fatalf("ListServers() = %v, %v; want [ns1]", names, err)
				}
				return
			}
			if KindOf(err) != tt.wantKind {
				t.Fatalf("ListServers() error = %v (kind %v); want kind %v", err, KindOf(err), tt.wantKind)
			}
		})
	}
}

func TestRetriesStopAtContextDeadline(t *testing.T) {
	f := newFakeAPI(t)
	f.handle("GET /dedicated/server", replyAll(500, status500))
	c := f.client(Options{RetryBase: time.Second, RetryMax: time.Second, MaxAttempts: 10})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.ListServers(ctx)
	if KindOf(err) != KindServer || time.Since(start) > 150*time.Millisecond {
		t.Fatalf("got %v after %s; want the 500 at once (a 1s retry cannot fit in the deadline)", err, time.Since(start))
	}
	if got := f.count("GET /dedicated/server"); got != 1 {
		t.Errorf("%d requests; want 1", got)
	}
}

// A task 404 is returned at once: only the caller knows whether the task is
// young (a transient 404) or old (purged); fencing.waitTask decides.
func TestGetTaskRetries(t *testing.T) {
	tests := []struct {
		name      string
		handler   handlerFunc
		wantCalls int
		wantKind  Kind
	}{
		{"404 returned to the caller", replySequence(replyAll(404, taskNotFound), replyAll(200, taskJSON(7, TaskDoing))), 1, KindNotFound},
		{"500 then ok", replySequence(replyAll(500, status500), replyAll(200, taskJSON(7, TaskDoing))), 2, KindUnknown},
		{"another task's body is no answer", replyAll(200, taskJSON(8, TaskDone)), 4, KindBadAnswer},
		{"null is no task", replyAll(200, `null`), 4, KindBadAnswer},
		{"{} is no task", replyAll(200, `{}`), 4, KindBadAnswer},
		{"403 not retried", replyAll(403, notGranted), 1, KindNotGranted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI(t)
			f.handle("GET /dedicated/server/ns1/task/7", tt.handler)
			task, err := f.client(fastRetries).GetTask(context.Background(), "ns1", 7)
			if got := f.count("GET /dedicated/server/ns1/task/7"); got != tt.wantCalls {
				t.Errorf("%d requests; want %d", got, tt.wantCalls)
			}
			if tt.wantKind == KindUnknown {
				if err != nil || task.ID != 7 || task.Status != TaskDoing || task.StartDate == nil {
					t.Fatalf("GetTask() = %+v, %v", task, err)
				}
				return
			}
			if KindOf(err) != tt.wantKind {
				t.Fatalf("GetTask() error = %v; want kind %v", err, tt.wantKind)
			}
		})
	}
}

func TestRetryDelay(t *testing.T) {
	c := &Client{opts: Options{RetryBase: 100 * time.Millisecond, RetryMax: time.Second}}
	tests := []struct {
		attempt    int
		retryAfter time.Duration
		min, max   time.Duration
	}{
		{1, 0, 50 * time.Millisecond, 100 * time.Millisecond},
		{2, 0, 100 * time.Millisecond, 200 * time.Millisecond},
		{4, 0, 400 * time.Millisecond, 800 * time.Millisecond},
		{5, 0, 500 * time.Millisecond, time.Second},
		{64, 0, 500 * time.Millisecond, time.Second},
		{1, 3 * time.Second, 3 * time.Second, 3 * time.Second},
		{1, time.Hour, maxRetryAfter, maxRetryAfter},
	}
	for _, tt := range tests {
		for i := 0; i < 20; i++ {
			if d := c.retryDelay(tt.attempt, tt.retryAfter); d < tt.min || d > tt.max {
				t.Fatalf("retryDelay(%d, %s) = %s; want within [%s, %s]", tt.attempt, tt.retryAfter, d, tt.min, tt.max)
			}
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	future := time.Now().Add(10 * time.Second).UTC().Format(http.TimeFormat)
	tests := []struct {
		value    string
		min, max time.Duration
	}{
		{"", 0, 0},
		{"7", 7 * time.Second, 7 * time.Second},
		{"-3", 0, 0},
		{"soon", 0, 0},
		{future, 8 * time.Second, 10 * time.Second},
		{"Mon, 01 Jan 2001 00:00:00 GMT", 0, 0},
	}
	for _, tt := range tests {
		if d := parseRetryAfter(tt.value); d < tt.min || d > tt.max {
			t.Errorf("parseRetryAfter(%q) = %s; want within [%s, %s]", tt.value, d, tt.min, tt.max)
		}
	}
}

func TestRateLimitHonoursRetryAfter(t *testing.T) {
	f := newFakeAPI(t)
	var first time.Time
	f.handle("GET /dedicated/server", func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			first = time.Now()
			w.Header().Set("Retry-After", "1")
			reply(w, 429, `{"message":"Too many requests"}`)
			return
		}
		if waited := time.Since(first); waited < 900*time.Millisecond {
			t.Errorf("retried after %s; Retry-After asked for 1s", waited)
		}
		reply(w, 200, `[]`)
	})
	if _, err := f.client(fastRetries).ListServers(context.Background()); err != nil {
		t.Fatal(err)
	}
}
