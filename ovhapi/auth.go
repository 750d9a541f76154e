package ovhapi

import (
	"context"
	"errors"
	"net/http"
)

// CurrentCredential returns the consumer key's state, validity and rules.
func (c *Client) CurrentCredential(ctx context.Context) (Credential, error) {
	var cred Credential
	err := c.do(ctx, get("/auth/currentCredential"), &cred)
	return cred, err
}

// credentialRequest is the body of POST /auth/credential.
type credentialRequest struct {
	AccessRules []Rule `json:"accessRules"`
	Redirection string `json:"redirection,omitempty"`
}

// RequestConsumerKey asks OVH for a new consumer key with rules. The key is
// pendingValidation until the account owner opens ValidationURL; the client
// keeps its own key (use WithConsumerKey). Not retried: each POST creates a
// key.
func (c *Client) RequestConsumerKey(ctx context.Context, rules []Rule, redirection string) (ConsumerKeyRequest, error) {
	var ckr ConsumerKeyRequest
	if len(rules) == 0 {
		return ckr, errors.New("a consumer key request needs at least one access rule")
	}
	body := credentialRequest{AccessRules: rules, Redirection: redirection}
	err := c.do(ctx, call{method: http.MethodPost, path: "/auth/credential", body: body}, &ckr)
	return ckr, err
}

// Logout ends the client's consumer key at once (POST /auth/logout): the wizard
// ends its read-only discovery key this way when it no longer needs it. Not
// retried: a key that is already ended answers with an error.
func (c *Client) Logout(ctx context.Context) error {
	return c.do(ctx, call{method: http.MethodPost, path: "/auth/logout", signed: true}, nil)
}
