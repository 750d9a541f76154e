package setup

import (
	"context"

	"github.com/ovhfence/ovhfence/keys"
	"github.com/ovhfence/ovhfence/wizard"
)

// createAccount creates the fencing service account and its policy with the
// setup key, and ends the key (keys.CreateFencingAccount). The secret goes
// back to the wizard only: never to the transcript.
func (r *Runner) createAccount(ctx context.Context, w wizard.EffectCreateAccount) wizard.Result {
	client, err := r.client(w.Config)
	if err != nil {
		return wizard.AccountCreated{Err: err}
	}
	created, err := keys.CreateFencingAccount(ctx, client, w.Name, w.Servers)
	if created.EndErr != nil {
		r.logf("could not end the service-account setup key (%v); it expires at the end of the validity chosen for it", created.EndErr)
	} else {
		r.logf("ended the service-account setup key")
	}
	if err != nil {
		return wizard.AccountCreated{EndErr: created.EndErr, Err: err}
	}
	r.logf("created service account %s and IAM policy %s allowing the fencing actions on %v", created.Account.ClientID, created.PolicyID, w.Servers)
	return wizard.AccountCreated{ClientID: created.Account.ClientID, ClientSecret: created.Account.ClientSecret,
		PolicyID: created.PolicyID, EndErr: created.EndErr}
}

// checkAccount proves the service account's grant as the account itself,
// with OVH's authorization check (keys.CheckAccount).
func (r *Runner) checkAccount(ctx context.Context, w wizard.EffectCheckAccount) wizard.Result {
	client, err := r.client(w.Config)
	if err != nil {
		return wizard.KeyChecked{Err: err}
	}
	report := keys.CheckAccount(ctx, client, w.Servers)
	return r.checked("service account authorization check", report.Problems(), report.Interventions)
}
