package ovhapi_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/ovhsim"
)

// accountClient is a client for a new service account whose policy allows
// fencing on servers.
func (h *simHarness) accountClient(t *testing.T, servers ...string) (c *ovhapi.Client, secret string) {
	t.Helper()
	id, secret, identity := h.sim.CreateServiceAccount("fencing")
	if servers != nil {
		h.sim.AddPolicy(ovhsim.FencingPolicy(identity, servers...))
	}
	c, err := ovhapi.New(ovhapi.Config{Endpoint: h.url, ClientID: id, ClientSecret: secret}, ovhapi.Options{
		RetryBase: time.Millisecond, RetryMax: 5 * time.Millisecond, TimeSyncTimeout: 2 * time.Second,
		Logf: func(format string, args ...any) { h.logLine(format, args...) },
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, secret
}

func (h *simHarness) tokenRequests() int {
	n := 0
	for _, r := range h.sim.Requests() {
		if r.Path == "/auth/oauth2/token" {
			n++
		}
	}
	return n
}

func TestServiceAccountFencesWithOneReusedToken(t *testing.T) {
	h := newSimHarness(t)
	c, secret := h.accountClient(t, simServer)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.SetBoot(ctx, simServer, 95083, ""); err != nil {
		t.Fatal(err)
	}
	task, _, err := c.Reboot(ctx, simServer)
	for err == nil && task.Pending() {
		time.Sleep(20 * time.Millisecond)
		task, err = c.GetTask(ctx, simServer, task.ID)
	}
	if err != nil || task.Status != ovhapi.TaskDone {
		t.Fatalf("reboot ended as %+v, %v", task, err)
	}
	details, err := c.AuthDetails(ctx)
	if err != nil || details.Method != ovhapi.MethodServiceAccount {
		t.Fatalf("AuthDetails() = %+v, %v", details, err)
	}
	if n := h.tokenRequests(); n != 1 {
		t.Errorf("%d token requests, want 1 reused token", n)
	}
	for _, r := range h.sim.Requests() {
		if strings.HasPrefix(r.Path, "/1.0/") && (!r.HasHeader("Authorization") || r.HasHeader("X-Ovh-Signature") || r.HasHeader("X-Ovh-Application")) {
			t.Errorf("%s %s: headers %v, want a bearer token and no X-Ovh-* (reference §1.5)", r.Method, r.Path, r.Headers)
		}
		if r.Auth != "bearer" && r.Auth != "token" {
			t.Errorf("%s %s: auth outcome %q", r.Method, r.Path, r.Auth)
		}
	}
	h.assertNoSecretLogged(t, secret)
}

// A token that expires mid-fence is renewed, whether OVH refuses it first
// (revoked, a clock ahead) or the client sees its expiry coming.
func TestServiceAccountTokenRenewedMidFence(t *testing.T) {
	h := newSimHarness(t)
	c, _ := h.accountClient(t, simServer)
	ctx := context.Background()
	if _, err := c.GetServer(ctx, simServer); err != nil {
		t.Fatal(err)
	}
	h.sim.ExpireTokens()
	task, _, err := c.Reboot(ctx, simServer) // not idempotent: sent again only after the 401
	if err != nil {
		t.Fatalf("Reboot after the token expired: %v", err)
	}
	if n := h.tokenRequests(); n != 2 {
		t.Errorf("%d token requests, want 2", n)
	}
	reboots := 0
	for _, r := range h.sim.Requests() {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/reboot") && r.Status == http.StatusOK {
			reboots++
		}
	}
	if reboots != 1 || task.ID == 0 {
		t.Errorf("%d reboots accepted, want exactly 1", reboots)
	}

	h.sim.SetTokenLifetime(11 * time.Second) // the client renews 10 s before expiry
	h.sim.ExpireTokens()
	if _, err := c.GetServer(ctx, simServer); err != nil {
		t.Fatal(err)
	}
	before := h.tokenRequests()
	time.Sleep(1100 * time.Millisecond)
	if _, err := c.GetServer(ctx, simServer); err != nil {
		t.Fatal(err)
	}
	if h.tokenRequests() != before+1 {
		t.Errorf("token requests %d → %d: the token near its expiry was not renewed", before, h.tokenRequests())
	}
	for _, r := range h.sim.Requests()[len(h.sim.Requests())-2:] {
		if r.Status == http.StatusUnauthorized {
			t.Errorf("the renewal waited for a 401: %+v", r)
		}
	}
}

// go-ovh's token request has no timeout; ours is bounded by the login timeout
// and by the caller's deadline.
func TestTokenRequestIsBoundedByTheDeadline(t *testing.T) {
	hang := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-hang }))
	defer srv.Close()
	defer close(hang) // before Close, which waits for the handlers
	for _, tc := range []struct {
		login, deadline time.Duration
	}{{200 * time.Millisecond, 5 * time.Second}, {5 * time.Second, 300 * time.Millisecond}} {
		c, err := ovhapi.New(ovhapi.Config{Endpoint: srv.URL + "/1.0", ClientID: "id", ClientSecret: "secret"},
			ovhapi.Options{TimeSyncTimeout: tc.login, MaxAttempts: 1})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), tc.deadline)
		start := time.Now()
		_, err = c.GetServer(ctx, simServer)
		cancel()
		if took := time.Since(start); took > min(tc.login, tc.deadline)+time.Second || ovhapi.KindOf(err) != ovhapi.KindNetwork {
			t.Errorf("login %s, deadline %s: returned after %s with %v", tc.login, tc.deadline, took, err)
		}
	}
}

func TestUnknownServiceAccountIsNamedAndNotRetried(t *testing.T) {
	h := newSimHarness(t)
	c, err := ovhapi.New(ovhapi.Config{Endpoint: h.url, ClientID: "nobody", ClientSecret: "s3cr3t-value"},
		ovhapi.Options{RetryBase: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetServer(context.Background(), simServer)
	if ovhapi.KindOf(err) != ovhapi.KindServiceAccountInvalid || !strings.Contains(ovhapi.WithHint(err).Error(), "client_id and client_secret") {
		t.Fatalf("err = %v", ovhapi.WithHint(err))
	}
	if strings.Contains(err.Error(), "s3cr3t-value") {
		t.Fatal("the client secret is in the error")
	}
	if n := h.tokenRequests(); n != 1 {
		t.Errorf("%d token requests, want 1: a refused client is not retried", n)
	}
}

func TestIAMDenialNamesTheMissingAction(t *testing.T) {
	h := newSimHarness(t)
	c, _ := h.accountClient(t) // no policy at all
	_, err := c.ListServers(context.Background())
	var apiErr *ovhapi.Error
	if !errors.As(err, &apiErr) || apiErr.Kind != ovhapi.KindNotGranted ||
		!strings.Contains(err.Error(), "dedicatedServer:apiovh:get") || !strings.Contains(apiErr.Hint(), "IAM policy") {
		t.Fatalf("ListServers() error %v (hint %q)", err, apiErr.Hint())
	}
}

func TestAuthorizationCheckThroughTheClient(t *testing.T) {
	h := newSimHarness(t)
	c, _ := h.accountClient(t, simServer)
	actions := append(slices.Clone(ovhapi.FencingActions), ovhapi.DangerousActions...)
	answer, err := c.CheckAuthorization(context.Background(), actions, []string{ovhapi.ServerURN(simServer), ovhapi.ServerURN("ns-other.eu")})
	if err != nil || len(answer) != 2 {
		t.Fatalf("CheckAuthorization() = %+v, %v", answer, err)
	}
	for _, action := range actions {
		fencing := slices.Contains(ovhapi.FencingActions, action)
		if answer[0].Allows(action) != fencing || answer[1].Allows(action) {
			t.Errorf("%s: allowed on the cluster server %v, on another %v", action, answer[0].Allows(action), answer[1].Allows(action))
		}
	}
	if !slices.Equal(ovhapi.FencingActions, ovhsim.FencingActions) {
		t.Errorf("ovhapi and ovhsim disagree on the fencing actions")
	}
}

func TestTokenURLs(t *testing.T) {
	for endpoint, want := range map[string]string{
		"":                             "https://www.ovh.com/auth/oauth2/token",
		"ovh-eu":                       "https://www.ovh.com/auth/oauth2/token",
		"ovh-ca":                       "https://ca.ovh.com/auth/oauth2/token",
		"ovh-us":                       "https://us.ovhcloud.com/auth/oauth2/token",
		"http://127.0.0.1:8080/1.0":    "http://127.0.0.1:8080/auth/oauth2/token",
		"https://api.example.net/v1/x": "https://api.example.net/auth/oauth2/token",
	} {
		if got, err := ovhapi.TokenURL(endpoint); got != want || err != nil {
			t.Errorf("TokenURL(%q) = %q, %v; want %q", endpoint, got, err, want)
		}
	}
	for _, endpoint := range []string{"kimsufi-eu", "soyoustart-ca"} {
		if _, err := ovhapi.TokenURL(endpoint); err == nil || !strings.Contains(err.Error(), "only on ovh-eu, ovh-ca and ovh-us") {
			t.Errorf("TokenURL(%q) error %v", endpoint, err)
		}
		_, err := ovhapi.New(ovhapi.Config{Endpoint: endpoint, ClientID: "a", ClientSecret: "b"}, ovhapi.Options{})
		if err == nil {
			t.Errorf("New accepted a service account on %s", endpoint)
		}
	}
}

// For every combination of credential fields, New refuses a mix of service
// account and keys (and half a service account) in one line that names every
// field to remove, and never a value.
func TestMixedCredentialsAreRefusedNamingTheFields(t *testing.T) {
	names := []string{"application_key", "application_secret", "consumer_key", "client_id", "client_secret"}
	for mask := 0; mask < 1<<len(names); mask++ {
		var cfg ovhapi.Config
		fields := []*string{&cfg.ApplicationKey, &cfg.ApplicationSecret, &cfg.ConsumerKey, &cfg.ClientID, &cfg.ClientSecret}
		var set []string
		for i, f := range fields {
			if mask&(1<<i) != 0 {
				*f = "value-" + names[i]
				set = append(set, names[i])
			}
		}
		keys, account := mask&7 != 0, mask>>3
		err := cfg.CheckAuthMethod()
		wantErr := (keys && account != 0) || account == 1 || account == 2
		if (err != nil) != wantErr {
			t.Fatalf("fields %v: CheckAuthMethod() = %v, want error %v", set, err, wantErr)
		}
		if err == nil {
			continue
		}
		msg := err.Error()
		if strings.Contains(msg, "\n") || strings.Contains(msg, "value-") {
			t.Errorf("fields %v: %q is not one line without values", set, msg)
		}
		for _, name := range set {
			if keys && account == 3 && !strings.Contains(msg, "remove") || !strings.Contains(msg, name) {
				t.Errorf("fields %v: %q does not name %s to remove", set, msg, name)
			}
		}
		if _, err := ovhapi.New(cfg, ovhapi.Options{}); err == nil {
			t.Errorf("fields %v: New accepted them", set)
		}
	}
}

func (h *simHarness) logLine(format string, args ...any) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.log = append(h.log, fmt.Sprintf(format, args...))
}

// Hostile or broken token endpoints give a classified error, never a token
// that is used as it is.
func TestHostileTokenAnswers(t *testing.T) {
	for name, body := range map[string]string{
		"header injection": `{"access_token":"abc\r\nX-Evil: 1","token_type":"Bearer","expires_in":3599}`,
		"no expiry":        `{"access_token":"abc","token_type":"Bearer"}`,
		"not bearer":       `{"access_token":"abc","token_type":"mac","expires_in":3599}`,
		"null":             `null`,
		"html":             `<html><title>proxy</title></html>`,
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/auth/oauth2/token" {
				w.Write([]byte(body))
				return
			}
			t.Errorf("%s: the API was called with %q", name, r.Header.Get("Authorization"))
		}))
		c, err := ovhapi.New(ovhapi.Config{Endpoint: srv.URL + "/1.0", ClientID: "id", ClientSecret: "secret"}, ovhapi.Options{MaxAttempts: 1})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetServer(context.Background(), simServer); ovhapi.KindOf(err) != ovhapi.KindBadAnswer {
			t.Errorf("%s: err = %v, want %s", name, err, ovhapi.KindBadAnswer)
		}
		srv.Close()
	}
}
