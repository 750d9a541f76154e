package tui

import (
	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/wizard"
)

// retryForm replaces a step's questions when what they choose from could not
// be read: after a boot catalogue read error, step 5 offers to read again
// (or go back) instead of an empty fence-mode field.
func retryForm(s wizard.State) (form, bool) {
	if s.Step != wizard.StepMode || s.Facts.Boots != nil {
		return form{}, false
	}
	return form{
		questions: []Question{{Label: "Read the boot catalogues again? (yes, or no to go back)", Widget: wizard.WidgetConfirm,
			Default: answerYes, Validate: wizard.ValidateConfirm}},
		event: func(v []string) wizard.Event {
			if yes, _ := wizard.ParseConfirm(v[0]); yes {
				return wizard.SubmitMode{} // with no catalogue yet, the step reads it again
			}
			return wizard.Back{}
		},
	}, true
}

// secretAtFault says whether ev is OVH refusing the application key's
// signature: the secret is wrong, not the key, so the form opens on the secret.
func secretAtFault(ev wizard.Event) bool {
	r, ok := ev.(wizard.Reply)
	if !ok {
		return false
	}
	proven, ok := r.Result.(wizard.AppKeyProven)
	return ok && proven.Err != nil && ovhapi.KindOf(proven.Err) == ovhapi.KindBadRequest
}
