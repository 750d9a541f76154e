package wizard

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/ovhapi"
)

// serviceAccountPath is the fencing-key step in service-account mode: a setup
// key with the setup rules, the account and its policy, then the proof.
func serviceAccountPath(proof KeyChecked) []step {
	return []step{
		{SubmitFencingKey{}, StepFencingKey, EffectRequestKey{}, false},
		{KeyRequested{Request: ovhapi.ConsumerKeyRequest{ConsumerKey: "setupCK", ValidationURL: "https://eu.api.ovh.com/auth/?credentialToken=s"}}, StepFencingKey, EffectWaitKey{}, false},
		{KeyValidated{}, StepFencingKey, EffectCreateAccount{}, false},
		{AccountCreated{ClientID: "cid42", ClientSecret: "clientSECRET99", PolicyID: "pol-1"}, StepFencingKey, EffectCheckAccount{}, false},
		{proof, StepLiveTest, EffectStatusAll{}, false},
	}
}

// atFencingKeyAs is the happy path at the fencing-key step with kind chosen
// at the application keys.
func atFencingKeyAs(t *testing.T, kind, endpoint string) State {
	t.Helper()
	s := reach(t, StepAppKeys)
	s.Answers.Endpoint = endpoint
	s, _ = apply(t, s, step{SubmitAppKeys{AppKey: "abcDEF123", AppSecret: "secretSECRET42", CredentialKind: kind}, StepAppKeys, EffectProveAppKey{}, false})
	proven := slices.IndexFunc(happyPath, func(st step) bool { _, ok := st.event.(AppKeyProven); return ok })
	for _, st := range happyPath[proven:] { // on from the application key's proof
		if s.Step == StepFencingKey && !s.Busy() {
			break
		}
		s, _ = apply(t, s, st)
	}
	if s.Step != StepFencingKey || !s.Answers.ServiceAccount() {
		t.Fatalf("step %v, kind %q", s.Step, s.Answers.CredentialKind)
	}
	return s
}

func TestServiceAccountMode(t *testing.T) {
	s := atFencingKeyAs(t, KindServiceAccount, "ovh-eu")
	var effects []Effect
	var works []Work
	for _, st := range serviceAccountPath(KeyChecked{}) {
		s, effects = apply(t, s, st)
		if len(effects) == 1 {
			works = append(works, effects[0].Work)
		}
	}
	request := works[0].(EffectRequestKey)
	if request.Purpose != PurposeSetup || !reflect.DeepEqual(request.Rules, SetupRules()) {
		t.Errorf("the setup key asks %s %v, want the setup rules", request.Purpose, request.Rules)
	}
	create := works[2].(EffectCreateAccount)
	if create.Config.ConsumerKey != "setupCK" || !reflect.DeepEqual(create.Servers, []string{sn1, sn2, sn3}) {
		t.Errorf("created with %+v", create)
	}
	account := ovhapi.Config{Endpoint: "ovh-eu", ClientID: "cid42", ClientSecret: "clientSECRET99"}
	if check := works[3].(EffectCheckAccount); check.Config != account || !reflect.DeepEqual(check.Servers, create.Servers) {
		t.Errorf("proved with %+v", check)
	}
	// Everything after the proof fences and writes as the service account.
	if status := works[4].(EffectStatusAll); status.Config != account {
		t.Errorf("the live test runs as %+v", status.Config.Redacted())
	}
	s, _ = apply(t, s, step{StatusRead{Power: testPower}, StepLiveTest, nil, false})
	s, effects = apply(t, s, step{SubmitLiveTest{}, StepOutput, EffectPreview{}, false})
	if p := effects[0].Work.(EffectPreview); p.Config != account {
		t.Errorf("ovh.conf would hold %s", p.Config.Redacted())
	}
	if slices.ContainsFunc(s.Log, func(l LogLine) bool { return strings.Contains(l.Text, "clientSECRET99") }) {
		t.Error("the step log shows the client secret")
	}
}

// A failed proof (an action or a server missing from the policy) stops at
// the fencing-key step: no status read, nothing fenced.
func TestServiceAccountFailedProofStops(t *testing.T) {
	s := atFencingKeyAs(t, KindServiceAccount, "ovh-eu")
	path := serviceAccountPath(KeyChecked{})
	for _, st := range path[:len(path)-1] {
		s, _ = apply(t, s, st)
	}
	missing := "the service account may not hard-reboot it on " + sn2
	s, _ = apply(t, s, step{KeyChecked{Problems: []string{missing}}, StepFencingKey, nil, false})
	if !strings.Contains(s.Problem, missing) || !strings.Contains(s.Problem, "nothing was fenced") || !strings.Contains(s.Problem, "pol-1") {
		t.Errorf("problem %q", s.Problem)
	}
	if strings.Contains(s.Problem, "clientSECRET99") {
		t.Error("the problem shows the client secret")
	}
	// Submitting again proves the same account again: no second account.
	apply(t, s, step{SubmitFencingKey{}, StepFencingKey, EffectCheckAccount{}, false})
}

// A service account is refused, before any key, where OVH offers none.
func TestServiceAccountRefusedWhereOVHOffersNone(t *testing.T) {
	for _, endpoint := range []string{"kimsufi-eu", "soyoustart-ca"} {
		s := reach(t, StepAppKeys)
		s.Answers.Endpoint = endpoint
		s, effects := Next(s, SubmitAppKeys{AppKey: "abcDEF123", AppSecret: "secretSECRET42", CredentialKind: KindServiceAccount})
		if len(effects) != 0 || s.Step != StepAppKeys || !strings.Contains(s.Problem, "only on ovh-eu, ovh-ca and ovh-us") {
			t.Errorf("%s: effects %v, problem %q", endpoint, effects, s.Problem)
		}
	}
	for _, endpoint := range []string{"ovh-eu", "ovh-ca", "ovh-us", "http://127.0.0.1:8080/1.0"} {
		if err := ValidateCredentialKind(KindServiceAccount, endpoint); err != nil {
			t.Errorf("%s: %v", endpoint, err)
		}
	}
}

// Consumer-key mode, the default, is today's path.
func TestConsumerKeyIsTheDefault(t *testing.T) {
	if FieldCredentialKind.Text(Answers{}) != KindConsumerKey || FieldCredentialKind.Default != KindConsumerKey {
		t.Error("the default credentials kind is not consumer-key")
	}
	if err := FieldCredentialKind.Check("api-key"); err == nil {
		t.Error("an unknown kind was accepted")
	}
}

// A failed creation stops at the step, says why and keeps no half account.
func TestServiceAccountCreationFailure(t *testing.T) {
	s := atFencingKeyAs(t, KindServiceAccount, "ovh-eu")
	for _, st := range serviceAccountPath(KeyChecked{})[:3] {
		s, _ = apply(t, s, st)
	}
	s, _ = apply(t, s, step{AccountCreated{Err: errors.New("creating its IAM policy: 403; delete service account cid42")}, StepFencingKey, nil, false})
	if !strings.Contains(s.Problem, "delete service account cid42") || s.Answers.ClientID != "" {
		t.Errorf("problem %q, client %q", s.Problem, s.Answers.ClientID)
	}
	apply(t, s, step{SubmitFencingKey{}, StepFencingKey, EffectRequestKey{}, false}) // a new setup key
}
