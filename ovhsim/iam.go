package ovhsim

import (
	"net/http"
	"slices"
	"time"
)

// Service accounts and IAM (reference/ovh-api.md §6): an OAuth2 client
// (client_id, client_secret) gets bearer tokens at /auth/oauth2/token, and
// what it may do comes from IAM policies, not from rules: a call is allowed
// when a policy names the account's identity, the resource's URN and an
// action that matches the operation's x-iam-actions (openapi/baremetal.json).

// simAccount is the simulated customer (nic handle) that owns everything.
const simAccount = "xx12345-ovh"

// DefaultTokenLifetime is OVH's expires_in (reference §6: 3599).
const DefaultTokenLifetime = 3599 * time.Second

// serviceAccount is an OAuth2 client with the CLIENT_CREDENTIALS flow.
type serviceAccount struct {
	clientID, secret string
	name             string
	created          time.Time
}

// identity is the account's IAM identity URN (reference §6).
func (a *serviceAccount) identity() string {
	return "urn:v1:eu:identity:credential:" + simAccount + "/oauth2-" + a.clientID
}

// issuedToken is one bearer token and whom it stands for.
type issuedToken struct {
	account *serviceAccount
	expiry  time.Time
}

// Policy is an IAM policy in OVH's v2 shape (iam.json iam.policy.Creation
// and iam.policy.Response).
type Policy struct {
	ID          string           `json:"id"`
	Name        string           `json:"name"`
	Description string           `json:"description,omitempty"`
	Identities  []string         `json:"identities"`
	Resources   []PolicyResource `json:"resources"`
	Permissions Permissions      `json:"permissions"`
	ExpiredAt   *time.Time       `json:"expiredAt"`
	CreatedAt   time.Time        `json:"createdAt"`
	Owner       string           `json:"owner"`
	ReadOnly    bool             `json:"readOnly"`
}

// PolicyResource is iam.policy.Resource: a URN.
type PolicyResource struct {
	URN string `json:"urn"`
}

// Permissions is iam.policy.Permissions: allowed actions, actions filtered
// from them (except) and actions denied whatever other policies allow.
type Permissions struct {
	Allow  []PolicyAction `json:"allow"`
	Except []PolicyAction `json:"except,omitempty"`
	Deny   []PolicyAction `json:"deny,omitempty"`
}

// PolicyAction is iam.policy.Action; Action may hold '*' wildcards
// ("dedicatedServer:apiovh:*").
type PolicyAction struct {
	Action string `json:"action"`
}

// FencingActions are the IAM actions fencing and boot discovery need
// (baremetal.json's x-iam-actions of the calls ovhfence makes).
var FencingActions = []string{
	"dedicatedServer:apiovh:get",
	"dedicatedServer:apiovh:put",
	"dedicatedServer:apiovh:reboot",
	"dedicatedServer:apiovh:task/get",
	"dedicatedServer:apiovh:boot/get",
}

// ServerURN is a dedicated server's IAM resource URN.
func ServerURN(name string) string { return "urn:v1:eu:resource:dedicatedServer:" + name }

// CreateServiceAccount registers an OAuth2 client, as POST
// /me/api/oauth2/client does, and returns its id, secret and IAM identity.
func (s *Sim) CreateServiceAccount(name string) (clientID, clientSecret, identity string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := &serviceAccount{clientID: randomHex(8), secret: randomHex(16), name: name, created: s.now()}
	s.accounts[a.clientID] = a
	return a.clientID, a.secret, a.identity()
}

// AddPolicy stores p (its ID and creation time are set here) and returns its ID.
func (s *Sim) AddPolicy(p Policy) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addPolicy(p)
}

// addPolicy is AddPolicy with s.mu held.
func (s *Sim) addPolicy(p Policy) string {
	p.ID = uuidLike()
	p.CreatedAt = s.now()
	p.Owner = simAccount
	s.policies = append(s.policies, &p)
	return p.ID
}

// FencingPolicy allows exactly the fencing actions on exactly servers for identity.
func FencingPolicy(identity string, servers ...string) Policy {
	p := Policy{Name: "ovhfence-fencing", Identities: []string{identity}}
	for _, sn := range servers {
		p.Resources = append(p.Resources, PolicyResource{URN: ServerURN(sn)})
	}
	for _, action := range FencingActions {
		p.Permissions.Allow = append(p.Permissions.Allow, PolicyAction{Action: action})
	}
	return p
}

// SetTokenLifetime sets the expires_in of tokens issued from now on.
func (s *Sim) SetTokenLifetime(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokenLifetime = d
}

// ExpireTokens ends every bearer token issued so far, as if their hour were
// over: the next call with one gets a 401.
func (s *Sim) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for token := range s.tokens {
		delete(s.tokens, token)
	}
}

// allowed reports whether identity may perform action on urn: a policy in
// force names both and allows the action (not filtered by its except), and
// no policy in force denies it. Called with s.mu held.
func (s *Sim) allowed(identity, action, urn string) bool {
	granted := false
	for _, p := range s.policies {
		if !s.inForce(p) || !slices.Contains(p.Identities, identity) || !p.covers(urn) {
			continue
		}
		if matchesAny(p.Permissions.Deny, action) {
			return false
		}
		if matchesAny(p.Permissions.Allow, action) && !matchesAny(p.Permissions.Except, action) {
			granted = true
		}
	}
	return granted
}

func (s *Sim) inForce(p *Policy) bool { return p.ExpiredAt == nil || s.now().Before(*p.ExpiredAt) }

func (p *Policy) covers(urn string) bool {
	for _, r := range p.Resources {
		if globMatch(r.URN, urn) {
			return true
		}
	}
	return false
}

func matchesAny(actions []PolicyAction, action string) bool {
	for _, a := range actions {
		if globMatch(a.Action, action) {
			return true
		}
	}
	return false
}

// iamActions are the x-iam-actions of the routes the simulator serves, by
// ServeMux pattern (openapi/baremetal.json; TestIAMActionsAreOVHs checks
// them against the extract). Routes absent here refuse service accounts.
var iamActions = map[string]string{
	"GET /dedicated/server":                            "dedicatedServer:apiovh:get",
	"GET /dedicated/server/{sn}":                       "dedicatedServer:apiovh:get",
	"PUT /dedicated/server/{sn}":                       "dedicatedServer:apiovh:put",
	"GET /dedicated/server/{sn}/boot":                  "dedicatedServer:apiovh:boot/get",
	"GET /dedicated/server/{sn}/boot/{bootId}":         "dedicatedServer:apiovh:boot/get",
	"POST /dedicated/server/{sn}/reboot":               "dedicatedServer:apiovh:reboot",
	"GET /dedicated/server/{sn}/task":                  "dedicatedServer:apiovh:task/get",
	"GET /dedicated/server/{sn}/task/{taskId}":         "dedicatedServer:apiovh:task/get",
	"POST /dedicated/server/{sn}/task/{taskId}/cancel": "dedicatedServer:apiovh:task/cancel",
}

// iamDenied is OVH's IAM refusal (reference §4, §7 item 17).
func iamDenied(action string) *apiError {
	e := classError(http.StatusForbidden, "Client::Forbidden", "User not granted for this request")
	e.Details = map[string]string{"unauthorizedActionsByIAM": action}
	return e
}

// iamOwnGate are the routes a service account reaches without a policy
// (the authorization check has no x-iam-actions in iam.json), or whose
// handler applies IAM itself (listing servers filters them; the policy routes
// refuse service accounts).
var iamOwnGate = []string{"GET /auth/time", "GET /auth/details", "POST /iam/authorization/check",
	"GET /dedicated/server", "GET /iam/policy", "POST /iam/policy", "GET /iam/policy/{policyId}"}

// checkIAM is the IAM gate of a service account's call to pattern. Called
// with s.mu held.
func (s *Sim) checkIAM(c *call, pattern string, r *http.Request) *apiError {
	if c.account == nil || slices.Contains(iamOwnGate, pattern) {
		return nil
	}
	action, ok := iamActions[pattern]
	if !ok {
		return iamDenied("(no IAM action in the simulator for " + pattern + ")")
	}
	if !s.allowed(c.account.identity(), action, ServerURN(r.PathValue("sn"))) {
		return iamDenied(action)
	}
	return nil
}

// visibleServers are the servers a service account may read; every server
// for a consumer key. Called with s.mu held.
func (s *Sim) visibleServers(c *call) []string {
	names := []string{}
	for _, sn := range s.serverNames {
		if c.account == nil || s.allowed(c.account.identity(), iamActions["GET /dedicated/server"], ServerURN(sn)) {
			names = append(names, sn)
		}
	}
	return names
}

// uuidLike is a random RFC 4122-shaped id, as OVH's policy ids are.
func uuidLike() string {
	h := randomHex(16)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
