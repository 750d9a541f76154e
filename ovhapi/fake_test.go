package ovhapi

import (
	"bytes"
	"crypto/sha1"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Secrets the tests look for in logs and errors.
const (
	testAK = "test-application-key"
	testAS = "AS-secret-9ufkBmLaTQ9nz5yMUlg79"
	testCK = "CK-secret-5mBuy6SUQcRw2ZUxg0cG6"
)

// handlerFunc answers the n-th (1-based) request to one route.
type handlerFunc func(w http.ResponseWriter, r *http.Request, n int)

// fakeAPI is a minimal OVH API for unit tests: routes keyed "METHOD /path"
// (relative to /1.0, without the query), request counts, a signature check
// and a clock offset. ovhsim is the faithful one.
type fakeAPI struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	routes map[string]handlerFunc
	counts map[string]int
	skew   time.Duration // how far the fake's clock is behind the local one
}

func newFakeAPI(t *testing.T) *fakeAPI {
	f := &fakeAPI{t: t, routes: map[string]handlerFunc{}, counts: map[string]int{}}
	f.handle("GET /auth/time", func(w http.ResponseWriter, _ *http.Request, _ int) {
		reply(w, http.StatusOK, strconv.FormatInt(time.Now().Add(-f.skew).Unix(), 10))
	})
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAPI) handle(route string, h handlerFunc) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.routes[route] = h
}

func (f *fakeAPI) count(route string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.counts[route]
}

func (f *fakeAPI) endpoint() string { return f.srv.URL + "/1.0" }

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	route := r.Method + " " + strings.TrimPrefix(r.URL.Path, "/1.0")
	f.mu.Lock()
	f.counts[route]++
	n := f.counts[route]
	h := f.routes[route]
	f.mu.Unlock()
	if h == nil {
		f.t.Errorf("fake OVH API: unexpected request %s", route)
		reply(w, http.StatusNotImplemented, `{"message":"no such route in the fake"}`)
		return
	}
	if r.Header.Get("X-Ovh-Signature") != "" && !f.signatureOK(r) {
		reply(w, http.StatusBadRequest, `{"errorCode":"INVALID_SIGNATURE","httpCode":"400 Bad Request","message":"Invalid signature"}`)
		return
	}
	h(w, r, n)
}

// signatureOK checks the $1$ signature (reference/ovh-api.md §1.5) and that
// the timestamp is the fake's time, i.e. that the client applied the skew.
func (f *fakeAPI) signatureOK(r *http.Request) bool {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	ts := r.Header.Get("X-Ovh-Timestamp")
	target := "http://" + r.Host + r.RequestURI
	sum := sha1.Sum([]byte(strings.Join([]string{testAS, r.Header.Get("X-Ovh-Consumer"), r.Method, target, string(body), ts}, "+")))
	sent, _ := strconv.ParseInt(ts, 10, 64)
	drift := time.Since(time.Unix(sent, 0)) - f.skew
	return r.Header.Get("X-Ovh-Signature") == fmt.Sprintf("$1$%x", sum) && drift.Abs() <= 2*time.Second
}

func reply(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Ovh-QueryID", "EU.ext-1.test."+strconv.Itoa(status))
	w.WriteHeader(status)
	io.WriteString(w, body)
}

// replyAll answers every request with the same status and body.
func replyAll(status int, body string) handlerFunc {
	return func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, status, body) }
}

// replySequence answers request n with steps[n-1], repeating the last step.
func replySequence(steps ...handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, n int) {
		steps[min(n, len(steps))-1](w, r, n)
	}
}

// fastRetries keeps retry tests quick.
var fastRetries = Options{RetryBase: time.Millisecond, RetryMax: 5 * time.Millisecond, MaxAttempts: 4}

func (f *fakeAPI) client(opts Options) *Client {
	f.t.Helper()
	c, err := New(Config{Endpoint: f.endpoint(), ApplicationKey: testAK, ApplicationSecret: testAS, ConsumerKey: testCK}, opts)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

const (
	status500     = `{"class":"Server::InternalServerError","message":"Internal server error"}`
	html503       = "<html><head><title>503 Service Unavailable</title></head><body>down</body></html>"
	notGranted    = `{"errorCode":"NOT_GRANTED_CALL","httpCode":"403 Forbidden","message":"This call has not been granted"}`
	unknownServer = `{"class":"Client::NotFound","message":"The requested object (serviceName = ns9) does not exist"}`
	taskNotFound  = `{"class":"Client::NotFound","message":"The requested object (taskId = 7) does not exist"}`
)

func taskJSON(id int64, status string) string {
	return fmt.Sprintf(`{"taskId":%d,"function":"hardReboot","status":%q,"comment":"Reboot asked","startDate":"2025-01-01T10:00:00+01:00","lastUpdate":"2025-01-01T10:00:00+01:00","doneDate":null}`, id, status)
}
