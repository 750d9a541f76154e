package ovhsim

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// requestKey asks for a consumer key and returns it with its validation URL's path and query.
func requestKey(t *testing.T, sim *Sim) (ck, validation string) {
	t.Helper()
	ak, _ := sim.CreateApp("ovhfence")
	r := httptest.NewRequest("POST", "/1.0/auth/credential",
		strings.NewReader(`{"accessRules":[{"method":"GET","path":"/dedicated/server/ns1"}]}`))
	r.Header.Set("X-Ovh-Application", ak)
	got := decode[credentialValidation](t, serve(sim, r))
	u, err := url.Parse(got.ValidationURL)
	if err != nil {
		t.Fatal(err)
	}
	return got.ConsumerKey, u.RequestURI()
}

func TestValidationPage(t *testing.T) {
	tests := []struct {
		answer, validity string
		wantState        string
		wantExpiry       time.Duration // 0 = unlimited
	}{
		{"accept", "0", statusValidated, 0},
		{"accept", "2", statusValidated, 24 * time.Hour},
		{"refuse", "0", statusRefused, 0},
	}
	for _, tt := range tests {
		sim, clock := newTestSim(t, Config{})
		ck, page := requestKey(t, sim)
		rec := serve(sim, httptest.NewRequest("GET", page, nil))
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "GET /dedicated/server/ns1") || !strings.Contains(rec.Body.String(), "Authorize ovhfence") {
			t.Fatalf("validation page: %d %s", rec.Code, rec.Body.String())
		}
		form := url.Values{"answer": {tt.answer}, "validity": {tt.validity}}
		r := httptest.NewRequest("POST", page, strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if rec := serve(sim, r); rec.Code != http.StatusOK {
			t.Fatalf("%s: %d", tt.answer, rec.Code)
		}
		cred := sim.creds[ck]
		if cred.state != tt.wantState {
			t.Errorf("%s: state %q, want %q", tt.answer, cred.state, tt.wantState)
		}
		switch {
		case tt.wantExpiry == 0 && cred.expiration != nil:
			t.Errorf("%s: expires %v, want unlimited", tt.answer, cred.expiration)
		case tt.wantExpiry != 0 && (cred.expiration == nil || !cred.expiration.Equal(clock.Now().Add(tt.wantExpiry))):
			t.Errorf("%s: expires %v, want in %v", tt.answer, cred.expiration, tt.wantExpiry)
		}
		// Answered once: the page now says so and a second answer changes nothing.
		again := httptest.NewRequest("POST", page, strings.NewReader(url.Values{"answer": {"refuse"}}.Encode()))
		again.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if body := serve(sim, again).Body.String(); !strings.Contains(body, "nothing to authorize") || cred.state != tt.wantState {
			t.Errorf("%s: a second answer: state %q, page %q", tt.answer, cred.state, body)
		}
	}
	sim, _ := newTestSim(t, Config{})
	if rec := serve(sim, httptest.NewRequest("GET", "/auth/?credentialToken=nope", nil)); rec.Code != http.StatusNotFound {
		t.Errorf("unknown token: %d, want 404", rec.Code)
	}
}
