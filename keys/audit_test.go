package keys

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ovhfence/ovhfence/ovhapi"
)

const (
	sn1 = "ns567890.ip-123-22-44.eu"
	sn2 = "ns567891.ip-123-22-45.eu"
)

func validated(rules []ovhapi.Rule) ovhapi.Credential {
	return ovhapi.Credential{Status: ovhapi.CredentialValidated, Rules: rules}
}

func without(rules []ovhapi.Rule, drop ovhapi.Rule) []ovhapi.Rule {
	return slices.DeleteFunc(slices.Clone(rules), func(r ovhapi.Rule) bool { return r == drop })
}

func TestAudit(t *testing.T) {
	servers := []string{sn1, sn2}
	exact := FencingRules(servers)
	reboot1 := ovhapi.Rule{Method: "POST", Path: "/dedicated/server/" + sn1 + "/reboot"}
	in3days := time.Now().Add(72*time.Hour + time.Minute)
	yesterday := time.Now().Add(-24 * time.Hour)

	tests := []struct {
		name         string
		cred         ovhapi.Credential
		wantMissing  []ovhapi.Rule
		wantBroad    []ovhapi.Rule
		wantProblems []string // one substring per expected problem line, in order
	}{
		{name: "exact set", cred: validated(exact)},
		{name: "exact set plus boot discovery", cred: validated(append(slices.Clone(exact), optionalRules(sn1)...))},
		{
			name:         "missing reboot rule",
			cred:         validated(without(exact, reboot1)),
			wantMissing:  []ovhapi.Rule{reboot1},
			wantProblems: []string{"missing rule POST /dedicated/server/" + sn1 + "/reboot (needed to hard-reboot"},
		},
		{
			name:        "GET /* only",
			cred:        validated([]ovhapi.Rule{{Method: "GET", Path: "/*"}}),
			wantMissing: slices.DeleteFunc(slices.Clone(exact), func(r ovhapi.Rule) bool { return r.Method == "GET" }),
			wantBroad:   []ovhapi.Rule{{Method: "GET", Path: "/*"}},
			wantProblems: []string{
				"missing 4 rules: PUT /dedicated/server/" + sn1 + ", POST /dedicated/server/" + sn1 + "/reboot, " +
					"PUT /dedicated/server/" + sn2 + ", POST /dedicated/server/" + sn2 + "/reboot; request",
				"rule GET /* is broader than fencing needs (it reaches the whole API",
			},
		},
		{
			name:         "a key made for one more server",
			cred:         validated(append(slices.Clone(exact), ovhapi.FencingRules("ns9.example")...)),
			wantBroad:    ovhapi.FencingRules("ns9.example"),
			wantProblems: []string{"5 rules are broader than fencing needs (ns9.example is not one of the servers to fence): GET /dedicated/server/ns9.example, PUT"},
		},
		{
			name:        "a key made for other servers",
			cred:        validated(FencingRules([]string{"ns8.example", "ns9.example"})),
			wantMissing: slices.Clone(exact),
			wantBroad:   append(ovhapi.FencingRules("ns8.example"), ovhapi.FencingRules("ns9.example")...),
			wantProblems: []string{"missing 10 rules: every fencing rule for " + sn1 + ", " + sn2 + "; request",
				"5 rules are broader than fencing needs (ns8.example is not one", "5 rules are broader than fencing needs (ns9.example is not one"},
		},
		{
			name:         "every server",
			cred:         validated(append(slices.Clone(exact), ovhapi.Rule{Method: "PUT", Path: "/dedicated/server/*"})),
			wantBroad:    []ovhapi.Rule{{Method: "PUT", Path: "/dedicated/server/*"}},
			wantProblems: []string{"rule PUT /dedicated/server/* is broader than fencing needs (it reaches every server"},
		},
		{
			name:         "DELETE",
			cred:         validated(append(slices.Clone(exact), ovhapi.Rule{Method: "DELETE", Path: "/dedicated/server/" + sn1})),
			wantBroad:    []ovhapi.Rule{{Method: "DELETE", Path: "/dedicated/server/" + sn1}},
			wantProblems: []string{"(fencing never deletes anything)"},
		},
		{
			name:         "server outside the cluster",
			cred:         validated(append(slices.Clone(exact), ovhapi.Rule{Method: "GET", Path: "/dedicated/server/ns9.example"})),
			wantBroad:    []ovhapi.Rule{{Method: "GET", Path: "/dedicated/server/ns9.example"}},
			wantProblems: []string{"(ns9.example is not one of the servers to fence)"},
		},
		{
			name: "expiring key",
			cred: ovhapi.Credential{Status: ovhapi.CredentialValidated, Rules: exact, Expiration: &in3days},
			wantProblems: []string{"the key expires on " + in3days.UTC().Format("2006-01-02 15:04 UTC") +
				" (in 3 days) and fencing will fail from then on"},
		},
		{
			name:         "expired key",
			cred:         ovhapi.Credential{Status: ovhapi.CredentialValidated, Rules: exact, Expiration: &yesterday},
			wantProblems: []string{"the key expired on " + yesterday.UTC().Format("2006-01-02 15:04 UTC")},
		},
		{
			name:         "pending",
			cred:         ovhapi.Credential{Status: ovhapi.CredentialPending, Rules: exact},
			wantProblems: []string{"still waiting for validation: open its validation URL"},
		},
		{
			name:         "refused",
			cred:         ovhapi.Credential{Status: ovhapi.CredentialRefused, Rules: exact},
			wantProblems: []string{"refused at validation"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			report := Audit(tt.cred, servers)
			if !slices.Equal(report.Missing, tt.wantMissing) {
				t.Errorf("Missing = %v, want %v", report.Missing, tt.wantMissing)
			}
			var broad []ovhapi.Rule
			for _, b := range report.TooBroad {
				broad = append(broad, b.Rule)
			}
			if !slices.Equal(broad, tt.wantBroad) {
				t.Errorf("TooBroad = %v, want %v", broad, tt.wantBroad)
			}
			assertProblems(t, report, tt.wantProblems)
		})
	}
}

// assertProblems checks that the report has exactly one line per wanted
// substring, in order, and that every line names a remedy.
func assertProblems(t *testing.T, report Report, want []string) {
	t.Helper()
	problems := report.Problems()
	if len(problems) != len(want) {
		t.Fatalf("Problems() has %d lines, want %d:\n%s", len(problems), len(want), strings.Join(problems, "\n"))
	}
	for i, line := range problems {
		if !strings.Contains(line, want[i]) {
			t.Errorf("problem %d = %q, want it to contain %q", i, line, want[i])
		}
		if strings.Contains(line, "\n") || !(strings.Contains(line, ": ") || strings.Contains(line, "; ")) {
			t.Errorf("problem %d = %q is not one line with a remedy", i, line)
		}
	}
}

func TestReportSkewAndServers(t *testing.T) {
	tests := []struct {
		name   string
		report Report
		want   []string
	}{
		{"within limit", Report{Status: ovhapi.CredentialValidated, Skew: 20 * time.Second, SkewLimit: 30 * time.Second}, nil},
		{"ahead", Report{Status: ovhapi.CredentialValidated, Skew: 5 * time.Minute, SkewLimit: 30 * time.Second},
			[]string{"the local clock is 5 minutes ahead of OVH's (limit 30s)"}},
		{"behind", Report{Status: ovhapi.CredentialValidated, Skew: -45 * time.Second, SkewLimit: 30 * time.Second},
			[]string{"the local clock is 45s behind OVH's"}},
		{"unreadable server", Report{Status: ovhapi.CredentialValidated, Unreadable: []ServerError{{sn1, errTest}}},
			[]string{"cannot read server " + sn1 + ": test failure"}},
		{"unusable key", Report{Status: ovhapi.CredentialValidated, Unreadable: []ServerError{{sn1, errTest}}, Unusable: errTest},
			[]string{"the key cannot be used: test failure"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assertProblems(t, tt.report, tt.want) })
	}
}

type testError string

func (e testError) Error() string { return string(e) }

const errTest = testError("test failure: fix it")

func TestExplain(t *testing.T) {
	rules := append(FencingRules([]string{sn1}), DiscoveryRules()...)
	rules = append(rules, optionalRules(sn1)...)
	seen := map[string]bool{}
	for _, rule := range rules {
		why := Explain(rule)
		if why == "not used by ovhfence" || seen[why] || strings.Contains(why, "\n") {
			t.Errorf("Explain(%v) = %q, want a distinct one-line reason", rule, why)
		}
		seen[why] = true
	}
	if got := Explain(ovhapi.Rule{Method: "DELETE", Path: "/me"}); got != "not used by ovhfence" {
		t.Errorf("Explain(DELETE /me) = %q", got)
	}
}
