package ovhsim

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// requestCredential asks for a consumer key through the API and returns it
// pending.
func requestCredential(t *testing.T, sim *Sim, ak, body string) string {
	t.Helper()
	r := httptest.NewRequest("POST", "/1.0/auth/credential", strings.NewReader(body))
	r.Header.Set("X-Ovh-Application", ak)
	rec := serve(sim, r)
	wantStatus(t, rec, http.StatusOK)
	return decode[credentialValidation](t, rec).ConsumerKey
}

// TestAuthChecksInOrder runs OVH's checks (reference §7 item 5). Cases that
// break two checks at once prove which one runs first.
func TestAuthChecksInOrder(t *testing.T) {
	sim, clock := newTestSim(t, Config{})
	granted := Rule{"GET", "/dedicated/server"}
	good := token(sim, granted)
	other := token(sim, granted)
	ak, as := sim.CreateApp("pending")
	pending := keys{ak, as, requestCredential(t, sim, ak, `{"accessRules":[{"method":"GET","path":"/dedicated/server"}]}`)}
	refused := keys{ak, as, requestCredential(t, sim, ak, `{"accessRules":[{"method":"GET","path":"/dedicated/server"}]}`)}
	mustSucceed(t, sim.RefuseCredential(refused.ck))
	expiring := keys{ak, as, requestCredential(t, sim, ak, `{"accessRules":[{"method":"GET","path":"/dedicated/server"}]}`)}
	soon := clock.Now().Add(time.Minute)
	mustSucceed(t, sim.ValidateCredential(expiring.ck, &soon))
	walled := keys{ak, as, requestCredential(t, sim, ak, `{"accessRules":[],"allowedIPs":["198.51.100.0/24"]}`)}
	mustSucceed(t, sim.ValidateCredential(walled.ck, nil))
	clock.Advance(2 * time.Minute) // expiring is now past its expiry

	const target = "/1.0/dedicated/server"
	signed := func(k keys) func() *http.Request {
		return func() *http.Request { return signedRequest(sim, k, "GET", target, "") }
	}
	withHeader := func(k keys, name, value string) func() *http.Request {
		return func() *http.Request {
			r := signedRequest(sim, k, "GET", target, "")
			r.Header.Set(name, value)
			return r
		}
	}
	skewed := func(k keys, skew time.Duration) func() *http.Request {
		return func() *http.Request {
			ts := clock.Now().Add(skew).Unix()
			r := signedRequest(sim, k, "GET", target, "")
			r.Header.Set("X-Ovh-Timestamp", strconv.FormatInt(ts, 10))
			r.Header.Set("X-Ovh-Signature", signature(k.as, k.ck, "GET", "http://"+testHost+target, nil, ts))
			return r
		}
	}
	credentialRequest := func(ak string) func() *http.Request {
		return func() *http.Request {
			r := httptest.NewRequest("POST", "/1.0/auth/credential", strings.NewReader(`{"accessRules":[]}`))
			if ak != "" {
				r.Header.Set("X-Ovh-Application", ak)
			}
			return r
		}
	}
	badSignature := "$1$" + strings.Repeat("0", 40)

	tests := []struct {
		name      string
		request   func() *http.Request
		status    int
		errorCode string
		message   string
	}{
		{"credential request without application key", credentialRequest(""), 401, "", "You must send your application key to request new credentials"},
		{"credential request with unknown application key", credentialRequest("nope"), 403, "INVALID_KEY", "Invalid application key"},
		{"unknown application key beats a bad timestamp", func() *http.Request {
			r := skewed(good, time.Hour)()
			r.Header.Set("X-Ovh-Application", "nope")
			return r
		}, 403, "INVALID_KEY", "Invalid application key"},
		{"timestamp 61s ahead beats a bad signature", func() *http.Request {
			r := skewed(good, 61*time.Second)()
			r.Header.Set("X-Ovh-Signature", badSignature)
			return r
		}, 400, "INVALID_TIMESTAMP", "Query out of time"},
		{"timestamp 61s behind", skewed(good, -61*time.Second), 400, "INVALID_TIMESTAMP", "Query out of time"},
		{"timestamp not a number", withHeader(good, "X-Ovh-Timestamp", "soon"), 400, "INVALID_TIMESTAMP", "Query out of time"},
		{"timestamp 59s ahead is inside the window", skewed(good, 59*time.Second), 200, "", ""},
		{"bad signature beats an unknown consumer key", func() *http.Request {
			r := withHeader(good, "X-Ovh-Consumer", "unknown")()
			r.Header.Set("X-Ovh-Signature", badSignature)
			return r
		}, 400, "INVALID_SIGNATURE", "Invalid signature"},
		{"signature over another body", func() *http.Request {
			r := signedRequest(sim, good, "GET", target, "")
			r.Body = httptestBody(`{"x":1}`)
			return r
		}, 400, "INVALID_SIGNATURE", "Invalid signature"},
		{"unknown consumer key", signed(keys{good.ak, good.as, "unknown"}), 403, "NOT_CREDENTIAL", "This credential does not exist"},
		{"consumer key of another application", signed(keys{good.ak, good.as, other.ck}), 403, "NOT_CREDENTIAL", "This credential does not exist"},
		{"pending consumer key", signed(pending), 403, "INVALID_CREDENTIAL", "This credential is not valid"},
		{"refused consumer key", signed(refused), 403, "INVALID_CREDENTIAL", "This credential is not valid"},
		{"consumer key past its expiration", signed(expiring), 403, "INVALID_CREDENTIAL", "This credential is not valid"},
		{"address outside allowedIPs beats missing rules", signed(walled), 403, "NOT_ALLOWED_IP", "This IP is not allowed to use this credential"},
		{"no matching rule", func() *http.Request {
			return signedRequest(sim, good, "GET", "/1.0/dedicated/server/ns567890.ip-123-22-44.eu", "")
		}, 403, "NOT_GRANTED_CALL", "This call has not been granted"},
		{"no authentication headers", func() *http.Request { return httptest.NewRequest("GET", target, nil) }, 401, "", "You must login first"},
		{"application key but no signature", func() *http.Request {
			r := httptest.NewRequest("GET", target, nil)
			r.Header.Set("X-Ovh-Application", good.ak)
			return r
		}, 401, "", "You must login first"},
		{"granted call", signed(good), 200, "", ""},
		{"/auth routes need no rule", func() *http.Request {
			return signedRequest(sim, good, "GET", "/1.0/auth/currentCredential", "")
		}, 200, "", ""},
		{"/auth/time needs no authentication", func() *http.Request { return httptest.NewRequest("GET", "/1.0/auth/time", nil) }, 200, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := serve(sim, tc.request())
			wantStatus(t, rec, tc.status)
			if tc.status == 200 {
				return
			}
			got := decode[apiError](t, rec)
			if got.ErrorCode != tc.errorCode || got.Message != tc.message {
				t.Errorf("error = {%q, %q}, want {%q, %q}", got.ErrorCode, got.Message, tc.errorCode, tc.message)
			}
			if want := strconv.Itoa(tc.status) + " " + http.StatusText(tc.status); got.HTTPCode != want {
				t.Errorf("httpCode = %q, want %q", got.HTTPCode, want)
			}
		})
	}
}

func TestTimestampWindowConfigurable(t *testing.T) {
	sim, clock := newTestSim(t, Config{TimestampWindow: 5 * time.Minute})
	k := token(sim, Rule{"GET", "/dedicated/server"})
	for _, tc := range []struct {
		skew   time.Duration
		status int
	}{{4 * time.Minute, 200}, {-4 * time.Minute, 200}, {6 * time.Minute, 400}} {
		r := signedRequest(sim, k, "GET", "/1.0/dedicated/server", "")
		ts := clock.Now().Add(tc.skew).Unix()
		r.Header.Set("X-Ovh-Timestamp", strconv.FormatInt(ts, 10))
		r.Header.Set("X-Ovh-Signature", signature(k.as, k.ck, "GET", "http://"+testHost+"/1.0/dedicated/server", nil, ts))
		if rec := serve(sim, r); rec.Code != tc.status {
			t.Errorf("skew %v: status %d, want %d", tc.skew, rec.Code, tc.status)
		}
	}
}

func TestExternalBaseIsSigned(t *testing.T) {
	sim, _ := newTestSim(t, Config{ExternalBase: "https://eu.api.ovh.com/"})
	k := token(sim, Rule{"GET", "/dedicated/server"})
	// Signed for http://example.com, the Host: refused, the client must sign
	// the public URL.
	wantStatus(t, ovhCall(sim, k, "GET", "/1.0/dedicated/server", ""), http.StatusBadRequest)
	r := signedRequest(sim, k, "GET", "/1.0/dedicated/server", "")
	ts, _ := strconv.ParseInt(r.Header.Get("X-Ovh-Timestamp"), 10, 64)
	r.Header.Set("X-Ovh-Signature", signature(k.as, k.ck, "GET", "https://eu.api.ovh.com/1.0/dedicated/server", nil, ts))
	wantStatus(t, serve(sim, r), http.StatusOK)
}

func TestIPAllowed(t *testing.T) {
	tests := []struct {
		allowed []string
		remote  string
		want    bool
	}{
		{nil, "192.0.2.1:1234", true},
		{[]string{"192.0.2.0/24"}, "192.0.2.1:1234", true},
		{[]string{"192.0.2.1"}, "192.0.2.1:1234", true},
		{[]string{"192.0.2.1/32"}, "[::ffff:192.0.2.1]:1234", true},
		{[]string{"198.51.100.0/24"}, "192.0.2.1:1234", false},
		{[]string{"2001:db8::/32"}, "[2001:db8::5]:80", true},
		{[]string{"192.0.2.0/24"}, "not-an-address", false},
	}
	for _, tc := range tests {
		if got := ipAllowed(tc.allowed, tc.remote); got != tc.want {
			t.Errorf("ipAllowed(%v, %q) = %v, want %v", tc.allowed, tc.remote, got, tc.want)
		}
	}
}

func mustSucceed(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
