package ovhsim

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestCredentialRequest(t *testing.T) {
	sim, _ := newTestSim(t, Config{})
	ak, _ := sim.CreateApp("wizard")
	r := httptest.NewRequest("POST", "/1.0/auth/credential",
		strings.NewReader(`{"accessRules":[{"method":"GET","path":"/me"}],"redirection":"https://example.org/"}`))
	r.Header.Set("X-Ovh-Application", ak)
	rec := serve(sim, r)
	wantStatus(t, rec, http.StatusOK)
	got := decode[credentialValidation](t, rec)
	if got.State != "pendingValidation" || len(got.ConsumerKey) != 32 {
		t.Errorf("state %q, consumer key of %d chars; want pendingValidation and 32", got.State, len(got.ConsumerKey))
	}
	if prefix := "http://example.com/auth/?credentialToken="; !strings.HasPrefix(got.ValidationURL, prefix) || len(got.ValidationURL) == len(prefix) {
		t.Errorf("validationUrl = %q, want %s<token>", got.ValidationURL, prefix)
	}
}

func TestCredentialRequestRejectsBadRules(t *testing.T) {
	sim, _ := newTestSim(t, Config{})
	ak, _ := sim.CreateApp("wizard")
	for _, body := range []string{``, `{}`, `{"accessRules":[{"method":"PATCH","path":"/me"}]}`, `not json`} {
		r := httptest.NewRequest("POST", "/1.0/auth/credential", strings.NewReader(body))
		r.Header.Set("X-Ovh-Application", ak)
		if rec := serve(sim, r); rec.Code != http.StatusBadRequest {
			t.Errorf("body %q: status %d, want 400", body, rec.Code)
		}
	}
}

// currentCredential fetches GET /auth/currentCredential.
func currentCredential(t *testing.T, sim *Sim, k keys) (int, credentialView) {
	t.Helper()
	rec := ovhCall(sim, k, "GET", "/1.0/auth/currentCredential", "")
	if rec.Code != http.StatusOK {
		return rec.Code, credentialView{}
	}
	return rec.Code, decode[credentialView](t, rec)
}

func TestCredentialLifecycle(t *testing.T) {
	sim, clock := newTestSim(t, Config{})
	ak, as := sim.CreateApp("wizard")
	k := keys{ak, as, requestCredential(t, sim, ak, `{"accessRules":[{"method":"GET","path":"/*"}]}`)}

	if code, _ := currentCredential(t, sim, k); code != http.StatusForbidden {
		t.Fatalf("pending key: status %d, want 403", code)
	}
	expiration := clock.Now().Add(time.Hour)
	mustSucceed(t, sim.ValidateCredential(k.ck, &expiration))
	code, view := currentCredential(t, sim, k)
	if code != http.StatusOK || view.Status != "validated" || view.Expiration == nil || !view.Expiration.Equal(expiration) {
		t.Fatalf("validated key: status %d, view %+v", code, view)
	}
	if len(view.Rules) != 1 || view.Rules[0] != (Rule{"GET", "/*"}) {
		t.Errorf("rules = %v, want the requested GET /*", view.Rules)
	}
	if view.LastUse == nil || view.Creation.IsZero() {
		t.Errorf("creation %v, lastUse %v; want both set", view.Creation, view.LastUse)
	}

	clock.Advance(time.Hour)
	if code, _ := currentCredential(t, sim, k); code != http.StatusForbidden {
		t.Fatalf("key past its expiration: status %d, want 403", code)
	}
	mustSucceed(t, sim.ValidateCredential(k.ck, nil))
	if code, view := currentCredential(t, sim, k); code != http.StatusOK || view.Expiration != nil {
		t.Fatalf("unlimited key: status %d, expiration %v", code, view.Expiration)
	}

	wantStatus(t, ovhCall(sim, k, "POST", "/1.0/auth/logout", ""), http.StatusOK)
	if code, _ := currentCredential(t, sim, k); code != http.StatusForbidden {
		t.Fatalf("after logout: status %d, want 403", code)
	}
	if err := sim.ValidateCredential("unknown", nil); err == nil {
		t.Error("validating an unknown key succeeded")
	}
}

func TestCredentialStatesByHook(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Sim, string) error
		status int
	}{
		{"refuse", (*Sim).RefuseCredential, http.StatusForbidden},
		{"expire", (*Sim).ExpireCredential, http.StatusForbidden},
		{"validate", func(s *Sim, ck string) error { return s.ValidateCredential(ck, nil) }, http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sim, _ := newTestSim(t, Config{})
			ak, as := sim.CreateApp("wizard")
			k := keys{ak, as, requestCredential(t, sim, ak, `{"accessRules":[]}`)}
			mustSucceed(t, tc.change(sim, k.ck))
			if code, _ := currentCredential(t, sim, k); code != tc.status {
				t.Errorf("status %d, want %d", code, tc.status)
			}
			if err := tc.change(sim, "unknown"); err == nil {
				t.Error("unknown key accepted")
			}
		})
	}
}

func TestOnCredentialRequestAutoValidates(t *testing.T) {
	sim, _ := newTestSim(t, Config{})
	var seen []string
	sim.OnCredentialRequest(func(ck string) {
		seen = append(seen, ck)
		mustSucceed(t, sim.ValidateCredential(ck, nil))
	})
	ak, as := sim.CreateApp("sandbox")
	k := keys{ak, as, requestCredential(t, sim, ak, `{"accessRules":[]}`)}
	if len(seen) != 1 || seen[0] != k.ck {
		t.Fatalf("hook saw %d keys, want exactly the requested one", len(seen))
	}
	if code, view := currentCredential(t, sim, k); code != http.StatusOK || view.Status != "validated" {
		t.Errorf("status %d, credential %q; want validated", code, view.Status)
	}
}

func TestMeAPICredentials(t *testing.T) {
	sim, _ := newTestSim(t, Config{})
	admin := adminKeys(sim)
	ak, as := sim.CreateApp("wizard")
	pendingCK := requestCredential(t, sim, ak, `{"accessRules":[]}`)
	_, view := currentCredential(t, sim, admin)
	adminID, appID := view.CredentialID, view.ApplicationID

	list := func(query string) []int64 {
		rec := ovhCall(sim, admin, "GET", "/1.0/me/api/credential"+query, "")
		wantStatus(t, rec, http.StatusOK)
		return decode[[]int64](t, rec)
	}
	if got := list(""); len(got) != 2 {
		t.Fatalf("credentials = %v, want 2", got)
	}
	if got := list("?status=pendingValidation"); len(got) != 1 || got[0] == adminID {
		t.Errorf("pending credentials = %v, want the requested one", got)
	}
	if got := list("?applicationId=" + strconv.FormatInt(appID, 10)); len(got) != 1 || got[0] != adminID {
		t.Errorf("credentials of the admin application = %v, want [%d]", got, adminID)
	}

	pendingID := list("?status=pendingValidation")[0]
	rec := ovhCall(sim, admin, "GET", "/1.0/me/api/credential/"+strconv.FormatInt(pendingID, 10), "")
	wantStatus(t, rec, http.StatusOK)
	if got := decode[credentialView](t, rec); got.Status != "pendingValidation" {
		t.Errorf("credential status %q, want pendingValidation", got.Status)
	}
	wantStatus(t, ovhCall(sim, admin, "DELETE", "/1.0/me/api/credential/"+strconv.FormatInt(pendingID, 10), ""), http.StatusOK)
	if code, _ := currentCredential(t, sim, keys{ak, as, pendingCK}); code != http.StatusForbidden {
		t.Errorf("deleted key: status %d, want 403", code)
	}
	wantError(t, ovhCall(sim, admin, "GET", "/1.0/me/api/credential/"+strconv.FormatInt(pendingID, 10), ""),
		http.StatusNotFound, "Client::NotFound", "The requested object (credentialId = "+strconv.FormatInt(pendingID, 10)+") does not exist")
	wantStatus(t, ovhCall(sim, admin, "GET", "/1.0/me/api/credential/abc", ""), http.StatusBadRequest)
}

func TestMeAPIApplications(t *testing.T) {
	sim, _ := newTestSim(t, Config{})
	admin := adminKeys(sim)
	victim := token(sim, Rule{"GET", "/*"})
	_, victimView := currentCredential(t, sim, victim)
	path := "/1.0/me/api/application/" + strconv.FormatInt(victimView.ApplicationID, 10)

	rec := ovhCall(sim, admin, "GET", "/1.0/me/api/application", "")
	wantStatus(t, rec, http.StatusOK)
	if got := decode[[]int64](t, rec); len(got) != 2 {
		t.Fatalf("applications = %v, want 2", got)
	}
	rec = ovhCall(sim, admin, "GET", path, "")
	wantStatus(t, rec, http.StatusOK)
	if got := decode[applicationView](t, rec); got.ApplicationKey != victim.ak || got.Status != "active" {
		t.Errorf("application = %+v, want key %s and active", got, victim.ak)
	}
	wantStatus(t, ovhCall(sim, admin, "DELETE", path, ""), http.StatusOK)
	// The application is gone, so its key is unknown, and its consumer key
	// was revoked with it.
	if code, _ := currentCredential(t, sim, victim); code != http.StatusForbidden {
		t.Errorf("key of a deleted application: status %d, want 403", code)
	}
	rec = ovhCall(sim, admin, "GET", "/1.0/me/api/credential", "")
	if got := decode[[]int64](t, rec); len(got) != 1 {
		t.Errorf("credentials after deleting an application = %v, want only the admin's", got)
	}
	wantStatus(t, ovhCall(sim, admin, "GET", path, ""), http.StatusNotFound)
}
