package ovhsim

import (
	"fmt"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ovhfence/ovhfence/internal/ovhschema"
)

// The action the simulator enforces per route is the x-iam-actions OVH
// publishes for that operation (openapi/baremetal.json, via the extract).
func TestIAMActionsAreOVHs(t *testing.T) {
	schema, err := ovhschema.Load("../internal/ovhschema/testdata/ovh-api.json")
	if err != nil {
		t.Fatal(err)
	}
	sample := strings.NewReplacer("{sn}", "ns1.example.eu", "{taskId}", "42", "{bootId}", "1")
	for pattern, action := range iamActions {
		method, path, _ := strings.Cut(pattern, " ")
		op, ok := schema.Operation(method, sample.Replace(path))
		if !ok {
			t.Errorf("%s: not in OVH's description", pattern)
			continue
		}
		if !slices.Equal(op.IAMActions, []string{action}) {
			t.Errorf("%s: simulator enforces %s, OVH's x-iam-actions are %v", pattern, action, op.IAMActions)
		}
	}
	for _, action := range FencingActions {
		if !slices.Contains(mapValues(iamActions), action) {
			t.Errorf("fencing action %s is enforced on no route", action)
		}
	}
}

func mapValues(m map[string]string) []string {
	var v []string
	for _, x := range m {
		v = append(v, x)
	}
	return v
}

// serviceAccountToken gets a token for a new service account over HTTP.
func serviceAccountToken(t *testing.T, sim *Sim) (identity, token string) {
	t.Helper()
	id, secret, identity := sim.CreateServiceAccount("test")
	rec := serve(sim, tokenRequest(url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}, "scope": {"all"}}))
	wantStatus(t, rec, http.StatusOK)
	answer := decode[tokenAnswer](t, rec)
	if answer.TokenType != "Bearer" || answer.ExpiresIn != 3599 || answer.Scope != "all" || answer.AccessToken == "" {
		t.Fatalf("token answer %+v, want OVH's shape (reference §6)", answer)
	}
	return identity, answer.AccessToken
}

func tokenRequest(form url.Values) *http.Request {
	r := httptest.NewRequest(http.MethodPost, tokenPath, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

func bearerCall(sim *Sim, token, method, target, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	r.Header.Set("Authorization", "Bearer "+token)
	return serve(sim, r)
}

func TestTokenEndpointRefusesAsOVHDoes(t *testing.T) {
	sim, _ := newTestSim(t, Config{})
	id, secret, _ := sim.CreateServiceAccount("test")
	for name, form := range map[string]url.Values{
		"unknown client": {"grant_type": {"client_credentials"}, "client_id": {"nope"}, "client_secret": {secret}},
		"wrong secret":   {"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret + "x"}},
	} {
		rec := serve(sim, tokenRequest(form))
		got := decode[oauthError](t, rec)
		if rec.Code != http.StatusBadRequest || got.Error != "invalid_client" || got.Description != "ovhcloud oauth2 client does not exists" {
			t.Errorf("%s: %d %s, want OVH's 400 invalid_client (reference §6)", name, rec.Code, rec.Body)
		}
	}
	rec := serve(sim, tokenRequest(url.Values{"grant_type": {"password"}, "client_id": {id}, "client_secret": {secret}}))
	if got := decode[oauthError](t, rec); got.Error != "unsupported_grant_type" {
		t.Errorf("password grant: %s", rec.Body)
	}
	// golang.org/x/oauth2 (go-ovh's) sends the client in HTTP Basic first.
	r := tokenRequest(url.Values{"grant_type": {"client_credentials"}, "scope": {"all"}})
	r.SetBasicAuth(id, secret)
	wantStatus(t, serve(sim, r), http.StatusOK)
	for _, logged := range sim.Requests() {
		if strings.Contains(fmt.Sprint(logged), secret) {
			t.Errorf("the request log holds the client secret: %+v", logged)
		}
	}
}

func TestBearerTokenExpiresByLifetimeAndOnDemand(t *testing.T) {
	sim, clock := newTestSim(t, Config{})
	identity, token := serviceAccountToken(t, sim)
	sim.AddPolicy(FencingPolicy(identity, "ns567890.ip-123-22-44.eu"))
	target := "/1.0/dedicated/server/ns567890.ip-123-22-44.eu"
	wantStatus(t, bearerCall(sim, token, "GET", target, ""), http.StatusOK)
	clock.Advance(DefaultTokenLifetime)
	wantError(t, bearerCall(sim, token, "GET", target, ""), http.StatusUnauthorized, "", "You must login first")

	_, token = serviceAccountToken(t, sim)
	sim.ExpireTokens()
	wantStatus(t, bearerCall(sim, token, "GET", "/1.0/auth/details", ""), http.StatusUnauthorized)

	sim.SetTokenLifetime(30 * time.Second)
	rec := serve(sim, tokenRequest(url.Values{"grant_type": {"client_credentials"}, "client_id": {"x"}}))
	wantStatus(t, rec, http.StatusBadRequest)
}

func TestAuthDetailsNamesTheMethod(t *testing.T) {
	schema, err := ovhschema.Load("../internal/ovhschema/testdata/ovh-api.json")
	if err != nil {
		t.Fatal(err)
	}
	sim, _ := newTestSim(t, Config{})
	identity, token := serviceAccountToken(t, sim)
	rec := bearerCall(sim, token, "GET", "/1.0/auth/details", "")
	wantStatus(t, rec, http.StatusOK)
	details := decode[authDetails](t, rec)
	if details.Method != "oauth2_client_credentials" || !slices.Equal(details.Identities, []string{identity}) {
		t.Errorf("details %+v", details)
	}
	ck := ovhCall(sim, adminKeys(sim), "GET", "/1.0/auth/details", "")
	for _, body := range [][]byte{rec.Body.Bytes(), ck.Body.Bytes()} {
		for _, p := range schema.CheckBody("auth.Details", body) {
			t.Errorf("%s: %s", body, p)
		}
	}
}

func TestListingShowsOnlyGrantedServersAndRefusesNone(t *testing.T) {
	sim, _ := newTestSim(t, Config{})
	identity, token := serviceAccountToken(t, sim)
	rec := bearerCall(sim, token, "GET", "/1.0/dedicated/server", "")
	wantError(t, rec, http.StatusForbidden, "Client::Forbidden", "User not granted for this request")
	if got := decode[apiError](t, rec).Details["unauthorizedActionsByIAM"]; got != "dedicatedServer:apiovh:get" {
		t.Errorf("details name %q", got)
	}
	sim.AddPolicy(FencingPolicy(identity, "ns567890.ip-123-22-44.eu"))
	rec = bearerCall(sim, token, "GET", "/1.0/dedicated/server", "")
	if got := decode[[]string](t, rec); !slices.Equal(got, []string{"ns567890.ip-123-22-44.eu"}) {
		t.Errorf("listing %v, want the one granted server", got)
	}
}

// randomPolicies builds policies over a few identities, servers and actions,
// with wildcards, except, deny and expiry.
func randomPolicies(rng *rand.Rand, identities, servers []string, now time.Time) []Policy {
	actions := append(slices.Clone(FencingActions), "dedicatedServer:apiovh:*", "dedicatedServer:apiovh:task/*", "*",
		"dedicatedServer:apiovh:reinstall")
	pick := func(from []string) []string {
		var out []string
		for _, x := range from {
			if rng.Intn(3) == 0 {
				out = append(out, x)
			}
		}
		return out
	}
	acts := func() []PolicyAction {
		var out []PolicyAction
		for _, a := range pick(actions) {
			out = append(out, PolicyAction{Action: a})
		}
		return out
	}
	var policies []Policy
	for i := rng.Intn(4); i >= 0; i-- {
		p := Policy{Name: fmt.Sprint("p", i), Identities: pick(identities), Permissions: Permissions{Allow: acts()}}
		for _, sn := range pick(append(servers, "*")) {
			p.Resources = append(p.Resources, PolicyResource{URN: ServerURN(sn)})
		}
		if rng.Intn(4) == 0 {
			p.Permissions.Except = acts()
		}
		if rng.Intn(6) == 0 {
			p.Permissions.Deny = acts()
		}
		if rng.Intn(5) == 0 {
			at := now.Add(time.Duration(rng.Intn(3)-1) * time.Hour)
			p.ExpiredAt = &at
		}
		policies = append(policies, p)
	}
	return policies
}

// Whatever the policies, the authorization check answers exactly what the
// API then enforces: a service account is allowed a fencing call on a server
// if and only if the check lists that action as authorized on its URN.
func TestAuthorizationCheckAgreesWithEnforcement(t *testing.T) {
	servers := DefaultServers()[:2]
	calls := map[string]struct{ method, suffix, body string }{
		"dedicatedServer:apiovh:get":      {"GET", "", ""},
		"dedicatedServer:apiovh:put":      {"PUT", "", `{"bootId":1}`},
		"dedicatedServer:apiovh:boot/get": {"GET", "/boot", ""},
		"dedicatedServer:apiovh:task/get": {"GET", "/task", ""},
		"dedicatedServer:apiovh:reboot":   {"POST", "/reboot", ""},
	}
	for seed := int64(1); seed <= 60; seed++ {
		rng := rand.New(rand.NewSource(seed))
		sim, clock := newTestSim(t, Config{Servers: servers})
		sim.SetDurations(Durations{})
		identity, token := serviceAccountToken(t, sim)
		names := []string{servers[0].Name, servers[1].Name}
		for _, p := range randomPolicies(rng, []string{identity, "urn:v1:eu:identity:credential:other"}, names, clock.Now()) {
			sim.AddPolicy(p)
		}
		urns := []string{ServerURN(names[0]), ServerURN(names[1])}
		rec := bearerCall(sim, token, "POST", "/v2/iam/authorization/check",
			mustJSON(authorizeBatch{Actions: FencingActions, ResourceURNs: urns}))
		wantStatus(t, rec, http.StatusOK)
		results := decode[[]authorizeResult](t, rec)
		if len(results) != len(urns) {
			t.Fatalf("seed %d: %d results for %d resources", seed, len(results), len(urns))
		}
		for i, sn := range names {
			if results[i].ResourceURN != urns[i] || len(results[i].AuthorizedActions)+len(results[i].UnauthorizedActions) != len(FencingActions) {
				t.Fatalf("seed %d: result %+v does not partition the actions", seed, results[i])
			}
			for action, c := range calls {
				checked := slices.Contains(results[i].AuthorizedActions, action)
				got := bearerCall(sim, token, c.method, "/1.0/dedicated/server/"+sn+c.suffix, c.body)
				if enforced := got.Code != http.StatusForbidden; enforced != checked {
					t.Errorf("seed %d: %s on %s: check says %v, the call answered %d %s", seed, action, sn, checked, got.Code, got.Body)
				}
			}
		}
	}
}

// The policy semantics, stated once: a deny in force wins; otherwise an
// allow in force for this identity and resource, not filtered by its except.
func TestPolicyDecisionProperty(t *testing.T) {
	identities := []string{"urn:a", "urn:b"}
	servers := []string{"s1", "s2"}
	for seed := int64(1); seed <= 500; seed++ {
		rng := rand.New(rand.NewSource(seed))
		sim, clock := newTestSim(t, Config{})
		policies := randomPolicies(rng, identities, servers, clock.Now())
		for _, p := range policies {
			sim.AddPolicy(p)
		}
		for _, id := range identities {
			for _, sn := range servers {
				for _, action := range append(slices.Clone(FencingActions), "dedicatedServer:apiovh:terminate") {
					denied, granted := false, false
					for _, p := range policies {
						if (p.ExpiredAt != nil && !clock.Now().Before(*p.ExpiredAt)) || !slices.Contains(p.Identities, id) ||
							!slices.ContainsFunc(p.Resources, func(r PolicyResource) bool { return globMatch(r.URN, ServerURN(sn)) }) {
							continue
						}
						denied = denied || matchesAny(p.Permissions.Deny, action)
						granted = granted || matchesAny(p.Permissions.Allow, action) && !matchesAny(p.Permissions.Except, action)
					}
					if got := sim.allowed(id, action, ServerURN(sn)); got != (granted && !denied) {
						t.Fatalf("seed %d: %s %s %s: allowed=%v, want %v (policies %+v)", seed, id, action, sn, got, granted && !denied, policies)
					}
				}
			}
		}
	}
}

func mustJSON(v any) string {
	return string(mustMarshal(v))
}

// The control surface creates an account with its fencing policy, sets the
// token lifetime and ends tokens.
func TestControlServiceAccountsAndTokens(t *testing.T) {
	sim, clock := newTestSim(t, Config{})
	rec := control(sim, "POST", "/_sim/service-accounts", `{"name":"x","servers":["`+sn1+`"]}`)
	wantStatus(t, rec, http.StatusOK)
	created := decode[map[string]string](t, rec)
	wantStatus(t, control(sim, "POST", "/_sim/oauth2/lifetime", `{"seconds":60}`), http.StatusOK)
	wantStatus(t, control(sim, "POST", "/_sim/oauth2/lifetime", `{"seconds":0}`), http.StatusBadRequest)
	rec = serve(sim, tokenRequest(url.Values{"grant_type": {"client_credentials"}, "client_id": {created["clientId"]}, "client_secret": {created["clientSecret"]}}))
	answer := decode[tokenAnswer](t, rec)
	if answer.ExpiresIn != 60 {
		t.Fatalf("expires_in %d, want the 60 s set", answer.ExpiresIn)
	}
	wantStatus(t, bearerCall(sim, answer.AccessToken, "GET", "/1.0/dedicated/server/"+sn1, ""), http.StatusOK)
	rec = bearerCall(sim, answer.AccessToken, "GET", "/1.0/dedicated/server/"+DefaultServers()[1].Name, "")
	wantError(t, rec, http.StatusForbidden, "Client::Forbidden", "User not granted for this request")
	clock.Advance(59 * time.Second)
	wantStatus(t, bearerCall(sim, answer.AccessToken, "GET", "/1.0/dedicated/server/"+sn1, ""), http.StatusOK)
	wantStatus(t, control(sim, "POST", "/_sim/oauth2/expire", ""), http.StatusOK)
	wantStatus(t, bearerCall(sim, answer.AccessToken, "GET", "/1.0/dedicated/server/"+sn1, ""), http.StatusUnauthorized)
	policy := `{"name":"p","identities":["` + created["identity"] + `"],"resources":[{"urn":"` + ServerURN(DefaultServers()[1].Name) + `"}],"permissions":{"allow":[{"action":"dedicatedServer:apiovh:get"}]}}`
	wantStatus(t, control(sim, "POST", "/_sim/policies", policy), http.StatusOK)
	if !sim.allowed(created["identity"], "dedicatedServer:apiovh:get", ServerURN(DefaultServers()[1].Name)) {
		t.Error("the policy added through the control surface is not in force")
	}
}
