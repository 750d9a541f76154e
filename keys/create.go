package keys

import (
	"context"
	"fmt"
	"strings"

	"github.com/ovhfence/ovhfence/ovhapi"
)

// AccountCreator is what CreateFencingAccount calls with the validated setup
// key (SetupRules). *ovhapi.Client is one.
type AccountCreator interface {
	CreateServiceAccount(ctx context.Context, name, description string) (ovhapi.ServiceAccount, error)
	ServiceAccountIdentity(ctx context.Context, clientID string) (string, error)
	CreatePolicy(ctx context.Context, p ovhapi.Policy) (ovhapi.Policy, error)
	Logout(ctx context.Context) error
}

// CreatedAccount is a new fencing service account and its one policy.
// Account.ClientSecret is secret: it goes to a 0600 ovh.conf only.
type CreatedAccount struct {
	Account  ovhapi.ServiceAccount
	PolicyID string
	// Orphan says how to remove the account when a later step fails.
	Orphan string
	// EndErr is why the setup key could not be ended (nil: it was).
	EndErr error
}

// CreateFencingAccount creates, with the setup key, the OAuth2 client named
// name and ONE IAM policy allowing exactly the fencing actions on exactly
// servers, then ends the setup key whatever happened: it is never needed again.
func CreateFencingAccount(ctx context.Context, setup AccountCreator, name string, servers []string) (created CreatedAccount, err error) {
	defer func() { created.EndErr = setup.Logout(context.WithoutCancel(ctx)) }()
	account, err := setup.CreateServiceAccount(ctx, name, "fencing of "+strings.Join(servers, ", ")+" by ovhfence")
	if err != nil {
		return created, fmt.Errorf("creating the service account: %w", ovhapi.WithHint(err))
	}
	created.Account = account
	created.Orphan = fmt.Sprintf("delete service account %s (DELETE /me/api/oauth2/client/%s) and run this again", account.ClientID, account.ClientID)
	identity, err := setup.ServiceAccountIdentity(ctx, account.ClientID)
	if err != nil {
		return created, fmt.Errorf("reading the service account's identity: %w; %s", ovhapi.WithHint(err), created.Orphan)
	}
	policy, err := setup.CreatePolicy(ctx, ovhapi.FencingPolicy(name, identity, servers))
	if err != nil {
		return created, fmt.Errorf("creating its IAM policy: %w; %s", ovhapi.WithHint(err), created.Orphan)
	}
	created.PolicyID = policy.ID
	created.Orphan += " and policy " + policy.ID
	return created, nil
}
