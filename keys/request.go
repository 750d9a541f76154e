package keys

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/safetext"
)

// CredentialRequester asks OVH for a new consumer key; *ovhapi.Client is one.
type CredentialRequester interface {
	RequestConsumerKey(ctx context.Context, rules []ovhapi.Rule, redirection string) (ovhapi.ConsumerKeyRequest, error)
}

// CredentialReader reads the credential a client signs with; *ovhapi.Client is one.
type CredentialReader interface {
	CurrentCredential(ctx context.Context) (ovhapi.Credential, error)
}

// ErrNotValidated is why WaitValidated stopped without a validated key. OVH
// answers a pending, a refused and an expired key alike (403
// INVALID_CREDENTIAL, reference/ovh-api.md §4), so the wait cannot tell them
// apart: it only ends when the key works or the context is done.
var ErrNotValidated = errors.New("the key was not validated")

// Request asks OVH for a consumer key with rules. The user must then open the
// returned ValidationURL, log in and accept; redirection is where OVH sends
// the browser afterwards ("" for OVH's own page).
func Request(ctx context.Context, client CredentialRequester, rules []ovhapi.Rule, redirection string) (ovhapi.ConsumerKeyRequest, error) {
	if len(rules) == 0 {
		return ovhapi.ConsumerKeyRequest{}, errors.New("no access rules to request: name at least one server")
	}
	req, err := client.RequestConsumerKey(ctx, rules, redirection)
	if err != nil {
		return ovhapi.ConsumerKeyRequest{}, fmt.Errorf("requesting a consumer key: %w", ovhapi.WithHint(err))
	}
	// Every front end shows the URL as it is: make it one line of plain text.
	req.ValidationURL = safetext.Line(req.ValidationURL)
	return req, nil
}

// WaitValidated polls GET /auth/currentCredential with ck every interval until
// the user has validated it, and returns the validated credential. When ctx
// ends first the error wraps both ErrNotValidated and ctx's error, so a
// caller tells a timeout (context.DeadlineExceeded) from a cancel.
func WaitValidated(ctx context.Context, client *ovhapi.Client, ck string, interval time.Duration) (ovhapi.Credential, error) {
	return waitValidated(ctx, client.WithConsumerKey(ck), interval)
}

func waitValidated(ctx context.Context, api CredentialReader, interval time.Duration) (ovhapi.Credential, error) {
	for {
		cred, err := api.CurrentCredential(ctx)
		switch {
		case err == nil && cred.Status == ovhapi.CredentialValidated:
			return cred, nil
		case err != nil && ovhapi.KindOf(err) != ovhapi.KindCredentialInvalid && ctx.Err() == nil:
			return ovhapi.Credential{}, fmt.Errorf("waiting for the key's validation: %w", ovhapi.WithHint(err))
		}
		select {
		case <-ctx.Done():
			return ovhapi.Credential{}, notValidated(ctx.Err())
		case <-time.After(interval):
		}
	}
}

func notValidated(cause error) error {
	if errors.Is(cause, context.Canceled) {
		return fmt.Errorf("%w: stopped waiting (%w)", ErrNotValidated, cause)
	}
	return fmt.Errorf("%w in time (%w): it is still pending, or it was refused or has expired, "+
		"which OVH does not tell apart; open the validation URL again, or request a new key", ErrNotValidated, cause)
}
