package ovhsim

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// iamState is the simulator's service accounts, tokens and policies.
type iamState struct {
	accounts      map[string]*serviceAccount // by client_id
	tokens        map[string]*issuedToken    // by access token
	tokenLifetime time.Duration
	policies      []*Policy
}

func (s *Sim) initIAM() {
	s.accounts = map[string]*serviceAccount{}
	s.tokens = map[string]*issuedToken{}
	s.tokenLifetime = DefaultTokenLifetime
	s.handle("GET /auth/details", s.getAuthDetails)
	s.handle("POST /me/api/oauth2/client", s.postOAuth2Client)
	s.handle("GET /me/api/oauth2/client/{clientId}", s.getOAuth2Client)
	s.handleOn(s.apiV2, "POST /iam/authorization/check", s.postAuthorizationCheck)
	s.handleOn(s.apiV2, "GET /iam/policy", s.listPolicies)
	s.handleOn(s.apiV2, "POST /iam/policy", s.postPolicy)
	s.handleOn(s.apiV2, "GET /iam/policy/{policyId}", s.getPolicy)
}

// tokenPath is where OVH's token endpoint is, relative to its host
// (reference §1: https://www.ovh.com/auth/oauth2/token).
const tokenPath = "/auth/oauth2/token"

// apiV2Path strips the /v2 prefix of OVH's API v2 (iam.json servers: https://eu.api.ovh.com/v2).
func apiV2Path(urlPath string) (string, bool) {
	rest, ok := strings.CutPrefix(urlPath, "/v2")
	return rest, ok && strings.HasPrefix(rest, "/")
}

// Token endpoint errors (RFC 6749 §5.2; OVH's invalid_client body from reference §6).
type oauthError struct {
	status      int
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

var (
	errInvalidClient        = &oauthError{http.StatusBadRequest, "invalid_client", "ovhcloud oauth2 client does not exists"}
	errUnsupportedGrantType = &oauthError{http.StatusBadRequest, "unsupported_grant_type", "only client_credentials is supported"}
	errInvalidTokenRequest  = &oauthError{http.StatusBadRequest, "invalid_request", "the request is not a form-encoded token request"}
)

// serveToken is POST /auth/oauth2/token: form-encoded client_credentials, the
// client in the body or in HTTP Basic (golang.org/x/oauth2, which go-ovh
// uses, tries Basic first). The request log keeps the client_id only.
func (s *Sim) serveToken(w http.ResponseWriter, r *http.Request) {
	entry := newLogEntry(r, nil)
	answer, oerr := s.issueToken(r)
	if oerr != nil {
		entry.Status, entry.Auth = oerr.status, outcomeDenied+oerr.Error
		writeJSON(w, oerr.status, oerr)
	} else {
		entry.Status, entry.Auth = http.StatusOK, outcomeToken
		writeJSON(w, http.StatusOK, answer)
	}
	s.appendLog(entry)
}

// outcomeToken is a token issued to a service account, in the request log.
const outcomeToken = "token"

type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	Scope       string `json:"scope"`
}

func (s *Sim) issueToken(r *http.Request) (*tokenAnswer, *oauthError) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	if err != nil || r.Method != http.MethodPost ||
		!strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		return nil, errInvalidTokenRequest
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, errInvalidTokenRequest
	}
	if form.Get("grant_type") != "client_credentials" {
		return nil, errUnsupportedGrantType
	}
	id, secret := form.Get("client_id"), form.Get("client_secret")
	if basicID, basicSecret, ok := r.BasicAuth(); ok {
		id, secret = basicID, basicSecret
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accounts[id]
	if a == nil || !keysEqual(a.secret, secret) {
		return nil, errInvalidClient
	}
	token := "eyJ" + randomHex(24) // OVH's tokens are opaque to clients
	s.tokens[token] = &issuedToken{account: a, expiry: s.now().Add(s.tokenLifetime)}
	scope := form.Get("scope")
	if scope == "" {
		scope = "all"
	}
	return &tokenAnswer{AccessToken: token, TokenType: "Bearer", ExpiresIn: int64(s.tokenLifetime / time.Second), Scope: scope}, nil
}

// keysEqual compares secrets in constant time, as signatureMatches does.
func keysEqual(a, b string) bool { return signatureMatches(a, b) }

// bearerToken returns the token of an "Authorization: Bearer" header.
func bearerToken(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	return token, ok && strings.EqualFold(scheme, "Bearer")
}

// authorizeBearer accepts a token that is known and not expired. OVH's body
// for an expired token is unknown: the simulator answers as for no
// authentication (401 "You must login first") [unverified]. Called with s.mu held.
func (s *Sim) authorizeBearer(token string, c *call) (string, *apiError) {
	issued := s.tokens[token]
	if issued == nil || !s.now().Before(issued.expiry) {
		return outcomeDenied + errLoginFirst.Message, errLoginFirst
	}
	if s.overBudget(issued.account.clientID) {
		return outcomeDenied + errTooManyCalls.Message, errTooManyCalls
	}
	c.account = issued.account
	return outcomeBearer, nil
}

// outcomeBearer is a call authenticated by a service account's token.
const outcomeBearer = "bearer"

// authDetails is auth.Details (auth.json).
type authDetails struct {
	Account       string   `json:"account"`
	Method        string   `json:"method"`
	Identities    []string `json:"identities"`
	AllowedRoutes []Rule   `json:"allowedRoutes"`
	Description   *string  `json:"description"`
	User          *string  `json:"user"`
	Roles         []string `json:"roles"`
}

func (s *Sim) getAuthDetails(_ *http.Request, c *call) (any, *apiError) {
	if c.account != nil {
		description := c.account.name
		return authDetails{Account: simAccount, Method: "oauth2_client_credentials",
			Identities: []string{c.account.identity()}, Description: &description}, nil
	}
	return authDetails{Account: simAccount, Method: "account",
		Identities: []string{"urn:v1:eu:identity:account:" + simAccount}, AllowedRoutes: c.cred.rules}, nil
}

// authorizeBatch is iam.AuthorizeBatchRequest / iam.AuthorizeBatchResponse.
type authorizeBatch struct {
	Actions      []string `json:"actions"`
	ResourceURNs []string `json:"resourceURNs"`
}

type authorizeResult struct {
	ResourceURN         string   `json:"resourceURN"`
	AuthorizedActions   []string `json:"authorizedActions"`
	UnauthorizedActions []string `json:"unauthorizedActions"`
}

// postAuthorizationCheck says, per resource, which actions the calling
// identity may perform, without performing them. A consumer key of the
// account owner may do everything its rules let it call.
func (s *Sim) postAuthorizationCheck(_ *http.Request, c *call) (any, *apiError) {
	var req authorizeBatch
	if json.Unmarshal(c.body, &req) != nil || req.Actions == nil || req.ResourceURNs == nil {
		return nil, badRequest("Missing or invalid parameters actions and resourceURNs")
	}
	results := []authorizeResult{}
	for _, urn := range req.ResourceURNs {
		res := authorizeResult{ResourceURN: urn, AuthorizedActions: []string{}, UnauthorizedActions: []string{}}
		for _, action := range req.Actions {
			if c.account == nil || s.allowed(c.account.identity(), action, urn) {
				res.AuthorizedActions = append(res.AuthorizedActions, action)
			} else {
				res.UnauthorizedActions = append(res.UnauthorizedActions, action)
			}
		}
		results = append(results, res)
	}
	return results, nil
}

// The policy routes serve the account owner's keys (a service account would
// need account:apiovh:iam/policy/* actions, which no simulated policy grants).
func (s *Sim) listPolicies(r *http.Request, c *call) (any, *apiError) {
	if c.account != nil {
		return nil, iamDenied("account:apiovh:iam/policy/get")
	}
	identities := r.URL.Query()["identity"]
	list := []*Policy{}
	for _, p := range s.policies {
		if len(identities) == 0 || slices.ContainsFunc(p.Identities, func(id string) bool { return slices.Contains(identities, id) }) {
			list = append(list, p)
		}
	}
	return list, nil
}

func (s *Sim) getPolicy(r *http.Request, c *call) (any, *apiError) {
	if c.account != nil {
		return nil, iamDenied("account:apiovh:iam/policy/get")
	}
	for _, p := range s.policies {
		if p.ID == r.PathValue("policyId") {
			return p, nil
		}
	}
	return nil, notFound("policyId", r.PathValue("policyId"))
}

func (s *Sim) postPolicy(_ *http.Request, c *call) (any, *apiError) {
	if c.account != nil {
		return nil, iamDenied("account:apiovh:iam/policy/create")
	}
	var p Policy
	if json.Unmarshal(c.body, &p) != nil || p.Name == "" || p.Identities == nil || p.Resources == nil {
		return nil, badRequest("Missing or invalid parameters name, identities, permissions and resources")
	}
	s.addPolicy(p)
	return s.policies[len(s.policies)-1], nil
}

// iamControlRoutes let tests and the sandbox create service accounts and
// policies and steer token lifetimes.
func (s *Sim) iamControlRoutes() map[string]controlHandler {
	return map[string]controlHandler{
		"POST /_sim/service-accounts": s.controlServiceAccount,
		"POST /_sim/policies":         s.controlPolicy,
		"PUT /_sim/policies/{id}":     s.controlEditPolicy,
		"POST /_sim/oauth2/lifetime":  s.controlTokenLifetime,
		"POST /_sim/oauth2/expire":    s.controlExpireTokens,
	}
}

// controlServiceAccount creates a service account; with "servers" it also
// adds the fencing policy on them (the sandbox's account).
func (s *Sim) controlServiceAccount(r *http.Request) (any, int, error) {
	var body struct {
		Name    string   `json:"name"`
		Servers []string `json:"servers"`
	}
	if err := decodeOptionalBody(r, &body); err != nil {
		return controlFailed(http.StatusBadRequest, err)
	}
	id, secret, identity := s.CreateServiceAccount(body.Name)
	if body.Servers != nil {
		s.AddPolicy(FencingPolicy(identity, body.Servers...))
	}
	return controlOK(map[string]string{"clientId": id, "clientSecret": secret, "identity": identity})
}

func (s *Sim) controlPolicy(r *http.Request) (any, int, error) {
	var p Policy
	if err := json.NewDecoder(r.Body).Decode(&p); err != nil {
		return controlFailed(http.StatusBadRequest, err)
	}
	return controlOK(map[string]string{"id": s.AddPolicy(p)})
}

// controlEditPolicy replaces a policy's resources and permissions, as its
// owner may at any time (iam.json PUT /iam/policy/{policyId}): a test takes
// an action or a server away behind ovhfence's back.
func (s *Sim) controlEditPolicy(r *http.Request) (any, int, error) {
	var edit Policy
	if err := json.NewDecoder(r.Body).Decode(&edit); err != nil {
		return controlFailed(http.StatusBadRequest, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.policies {
		if p.ID == r.PathValue("id") {
			p.Resources, p.Permissions = edit.Resources, edit.Permissions
			return controlOK(p)
		}
	}
	return controlFailed(http.StatusNotFound, errors.New("no policy "+r.PathValue("id")))
}

func (s *Sim) controlTokenLifetime(r *http.Request) (any, int, error) {
	var body struct {
		Seconds float64 `json:"seconds"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Seconds <= 0 {
		return controlFailed(http.StatusBadRequest, errors.New("seconds must be a positive number, got "+strconv.FormatFloat(body.Seconds, 'g', -1, 64)))
	}
	s.SetTokenLifetime(time.Duration(body.Seconds * float64(time.Second)))
	return controlOK(nil)
}

func (s *Sim) controlExpireTokens(*http.Request) (any, int, error) {
	s.ExpireTokens()
	return controlOK(nil)
}

// postOAuth2Client creates a service account (me.json oauth2.clientRequest →
// oauth2.clientSecret); only the client-credentials flow is simulated.
func (s *Sim) postOAuth2Client(_ *http.Request, c *call) (any, *apiError) {
	var req struct {
		Name        string `json:"name"`
		Description string `json:"description"`
		Flow        string `json:"flow"`
	}
	if json.Unmarshal(c.body, &req) != nil || req.Name == "" || req.Description == "" {
		return nil, badRequest("Missing or invalid parameters name, description and flow")
	}
	if req.Flow != "CLIENT_CREDENTIALS" {
		return nil, badRequest("Invalid value for property flow: only CLIENT_CREDENTIALS is simulated")
	}
	a := &serviceAccount{clientID: randomHex(8), secret: randomHex(16), name: req.Name, created: s.now()}
	s.accounts[a.clientID] = a
	return map[string]string{"clientId": a.clientID, "clientSecret": a.secret}, nil
}

// oauth2Client is me.json's oauth2.client.
type oauth2Client struct {
	ClientID     string    `json:"clientId"`
	Name         string    `json:"name"`
	Description  string    `json:"description"`
	Flow         string    `json:"flow"`
	Identity     string    `json:"identity"`
	CallbackURLs []string  `json:"callbackUrls"`
	CreatedAt    time.Time `json:"createdAt"`
}

func (s *Sim) getOAuth2Client(r *http.Request, _ *call) (any, *apiError) {
	a := s.accounts[r.PathValue("clientId")]
	if a == nil {
		return nil, notFound("clientId", r.PathValue("clientId"))
	}
	return oauth2Client{ClientID: a.clientID, Name: a.name, Description: a.name, Flow: "CLIENT_CREDENTIALS",
		Identity: a.identity(), CallbackURLs: []string{}, CreatedAt: a.created}, nil
}
