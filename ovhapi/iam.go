package ovhapi

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// IAM actions fencing needs on each server (x-iam-actions of the calls in
// reference/ovh-schema/openapi/baremetal.json): read the server and its
// tasks, set its netboot, reboot it, and read its boots for discovery.
// PUT /dedicated/server/{sn} (dedicatedServer:apiovh:put) is the netboot
// write, and the same action also allows changing the server's monitoring
// and boot script.
var FencingActions = []string{
	"dedicatedServer:apiovh:get",
	"dedicatedServer:apiovh:put",
	"dedicatedServer:apiovh:reboot",
	"dedicatedServer:apiovh:task/get",
	"dedicatedServer:apiovh:boot/get",
}

// DangerousActions are sample actions a fencing account must not have: each
// destroys or replaces the server's system.
var DangerousActions = []string{
	"dedicatedServer:apiovh:reinstall",
	"dedicatedServer:apiovh:install/start",
	"dedicatedServer:apiovh:terminate",
}

// ServerURN is a dedicated server's IAM resource URN (Dedicated.iam.urn).
// The reference knows only the EU form (urn:v1:eu:…); other regions' URNs
// are assumed to be the same [unverified].
func ServerURN(sn string) string { return "urn:v1:eu:resource:dedicatedServer:" + sn }

// AuthDetails is GET /auth/details (auth.json auth.Details).
type AuthDetails struct {
	Account    string   `json:"account"`
	Method     string   `json:"method"` // account, oauth2_client_credentials, provider, user
	Identities []string `json:"identities"`
}

// MethodServiceAccount is auth.MethodEnum's value for a service account.
const MethodServiceAccount = "oauth2_client_credentials"

// AuthDetails says how the client is authenticated.
func (c *Client) AuthDetails(ctx context.Context) (AuthDetails, error) {
	var d AuthDetails
	err := c.do(ctx, get("/auth/details"), &d)
	return d, err
}

// Authorization is one resource's answer of the authorization check
// (iam.json iam.AuthorizeBatchResponse).
type Authorization struct {
	ResourceURN         string   `json:"resourceURN"`
	AuthorizedActions   []string `json:"authorizedActions"`
	UnauthorizedActions []string `json:"unauthorizedActions"`
}

// Allows reports whether the answer lists action as authorized.
func (a Authorization) Allows(action string) bool {
	return slices.Contains(a.AuthorizedActions, action)
}

// CheckAuthorization asks OVH which of actions the calling identity may
// perform on each resource, without performing any (POST
// /v2/iam/authorization/check, iam.AuthorizeBatchRequest). It changes nothing,
// so it is retried like a read.
func (c *Client) CheckAuthorization(ctx context.Context, actions, resourceURNs []string) ([]Authorization, error) {
	var answer []Authorization
	body := map[string][]string{"actions": actions, "resourceURNs": resourceURNs}
	cl := call{method: http.MethodPost, path: "/v2/iam/authorization/check", body: body, signed: true, retry: idempotent}
	cl.check = func() string {
		if len(answer) != len(resourceURNs) {
			return "the authorization check answered for another number of resources than asked"
		}
		return ""
	}
	err := c.do(ctx, cl, &answer)
	return answer, err
}

// Policy is the part of an IAM policy (iam.json iam.policy.Response) an
// audit reads.
type Policy struct {
	ID          string           `json:"id"`
	Name        string           `json:"name"`
	Identities  []string         `json:"identities"`
	Resources   []PolicyResource `json:"resources"`
	Permissions struct {
		Allow  []PolicyAction `json:"allow"`
		Except []PolicyAction `json:"except"`
		Deny   []PolicyAction `json:"deny"`
	} `json:"permissions"`
	ExpiredAt *time.Time `json:"expiredAt"`
}

// PolicyResource is iam.policy.Resource.
type PolicyResource struct {
	URN string `json:"urn"`
}

// PolicyAction is iam.policy.Action.
type PolicyAction struct {
	Action string `json:"action"`
}

// PoliciesOf lists the IAM policies that name identity (GET
// /v2/iam/policy?identity=…); the caller needs account:apiovh:iam/policy/get.
func (c *Client) PoliciesOf(ctx context.Context, identity string) ([]Policy, error) {
	var policies []Policy
	err := c.do(ctx, get("/v2/iam/policy?identity="+url.QueryEscape(identity)), &policies)
	return policies, err
}

// ServiceAccount is a new OAuth2 client (me.json oauth2.clientSecret): the
// secret is shown this once.
type ServiceAccount struct {
	ClientID     string `json:"clientId"`
	ClientSecret string `json:"clientSecret"`
}

// oauth2ClientRequest is me.json's oauth2.clientRequest.
type oauth2ClientRequest struct {
	Name         string   `json:"name"`
	Description  string   `json:"description"`
	Flow         string   `json:"flow"`
	CallbackURLs []string `json:"callbackUrls"`
}

// CreateServiceAccount creates an OAuth2 client with the client-credentials
// flow (POST /me/api/oauth2/client). Not retried: each POST creates one.
func (c *Client) CreateServiceAccount(ctx context.Context, name, description string) (ServiceAccount, error) {
	var account ServiceAccount
	body := oauth2ClientRequest{Name: name, Description: description, Flow: "CLIENT_CREDENTIALS", CallbackURLs: []string{}}
	cl := call{method: http.MethodPost, path: "/me/api/oauth2/client", body: body, signed: true}
	cl.check = func() string {
		if account.ClientID == "" || account.ClientSecret == "" {
			return "OVH created no client_id and client_secret"
		}
		return ""
	}
	err := c.do(ctx, cl, &account)
	return account, err
}

// ServiceAccountIdentity is the IAM identity URN of client id (GET
// /me/api/oauth2/client/{id}, oauth2.client.identity), what a policy names.
func (c *Client) ServiceAccountIdentity(ctx context.Context, clientID string) (string, error) {
	var client struct {
		Identity string `json:"identity"`
	}
	cl := get("/me/api/oauth2/client/" + url.PathEscape(clientID))
	cl.check = func() string {
		if client.Identity == "" {
			return "the service account has no IAM identity"
		}
		return ""
	}
	err := c.do(ctx, cl, &client)
	return client.Identity, err
}

// FencingPolicy is the IAM policy (iam.policy.Creation) that allows exactly
// the fencing actions on exactly servers for identity.
func FencingPolicy(name, identity string, servers []string) Policy {
	p := Policy{Name: name, Identities: []string{identity}}
	for _, sn := range servers {
		p.Resources = append(p.Resources, PolicyResource{URN: ServerURN(sn)})
	}
	for _, action := range FencingActions {
		p.Permissions.Allow = append(p.Permissions.Allow, PolicyAction{Action: action})
	}
	return p
}

// CreatePolicy creates p (POST /v2/iam/policy) and returns it as stored. Not
// retried: each POST creates one.
func (c *Client) CreatePolicy(ctx context.Context, p Policy) (Policy, error) {
	var created Policy
	body := map[string]any{"name": p.Name, "description": "ovhfence: fencing of the cluster's servers",
		"identities": p.Identities, "resources": p.Resources, "permissions": map[string]any{"allow": p.Permissions.Allow}}
	cl := call{method: http.MethodPost, path: "/v2/iam/policy", body: body, signed: true}
	cl.check = func() string {
		if created.ID == "" {
			return "OVH answered without the new policy's id"
		}
		return ""
	}
	err := c.do(ctx, cl, &created)
	return created, err
}
