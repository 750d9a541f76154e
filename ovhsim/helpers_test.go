package ovhsim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock for Config.Now.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Unix(1735722000, 0)} } // 2025-01-01 10:00 CET

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// newTestSim builds a simulator on a fake clock.
func newTestSim(t *testing.T, cfg Config) (*Sim, *fakeClock) {
	t.Helper()
	clock := newFakeClock()
	cfg.Now = clock.Now
	return New(cfg), clock
}

// keys is one application's key set; ck may be empty.
type keys struct{ ak, as, ck string }

// testHost is the Host httptest.NewRequest uses, so the default external base
// is "http://" + testHost.
const testHost = "example.com"

// signedRequest builds a request signed the way go-ovh signs it.
func signedRequest(sim *Sim, k keys, method, target, body string) *http.Request {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	ts := sim.cfg.Now().Unix()
	r.Header.Set("X-Ovh-Application", k.ak)
	r.Header.Set("X-Ovh-Consumer", k.ck)
	r.Header.Set("X-Ovh-Timestamp", strconv.FormatInt(ts, 10))
	r.Header.Set("X-Ovh-Signature", signature(k.as, k.ck, method, "http://"+testHost+target, []byte(body), ts))
	return r
}

// serve runs one request through the simulator.
func serve(sim *Sim, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	sim.ServeHTTP(rec, r)
	return rec
}

// ovhCall sends a signed OVH call.
func ovhCall(sim *Sim, k keys, method, target, body string) *httptest.ResponseRecorder {
	return serve(sim, signedRequest(sim, k, method, target, body))
}

// token mints validated keys with the given rules.
func token(sim *Sim, rules ...Rule) keys {
	ak, as, ck := sim.CreateToken(rules)
	return keys{ak, as, ck}
}

// adminKeys may call anything.
func adminKeys(sim *Sim) keys {
	return token(sim, Rule{"GET", "/*"}, Rule{"POST", "/*"}, Rule{"PUT", "/*"}, Rule{"DELETE", "/*"})
}

// decode decodes the recorded JSON body into a T, failing the test otherwise.
func decode[T any](t *testing.T, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decoding %q: %v", rec.Body.String(), err)
	}
	return v
}

// wantStatus fails the test unless rec has the status.
func wantStatus(t *testing.T, rec *httptest.ResponseRecorder, status int) {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status = %d, want %d; body %s", rec.Code, status, rec.Body.String())
	}
}

// wantError checks an OVH error body.
func wantError(t *testing.T, rec *httptest.ResponseRecorder, status int, class, message string) {
	t.Helper()
	wantStatus(t, rec, status)
	got := decode[apiError](t, rec)
	if got.Class != class || got.Message != message {
		t.Fatalf("error = {class %q, message %q}, want {%q, %q}", got.Class, got.Message, class, message)
	}
}

func httptestBody(s string) io.ReadCloser { return io.NopCloser(strings.NewReader(s)) }
