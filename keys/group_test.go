package keys

import (
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/ovhapi"
)

// TestProblemsGroupedProperty: for generated keys (the fencing rules of the
// cluster, some removed, rules of other servers and broad rules added), the
// problem lines are one for what is missing plus one per reason, and every
// missing or too-broad rule is still named in them.
func TestProblemsGroupedProperty(t *testing.T) {
	cluster := []string{"ns1.example", "ns2.example", "ns3.example"}
	extras := append(FencingRules([]string{"ns8.example", "ns9.example"}),
		ovhapi.Rule{Method: "GET", Path: "/*"}, ovhapi.Rule{Method: "PUT", Path: "/dedicated/server/*"},
		ovhapi.Rule{Method: "DELETE", Path: "/dedicated/server/ns1.example"}, ovhapi.Rule{Method: "GET", Path: "/me"})
	rng := rand.New(rand.NewSource(12))
	for i := 0; i < 500; i++ {
		var rules []ovhapi.Rule
		for _, sn := range cluster {
			if rng.Intn(3) == 0 {
				continue // a key made without this server
			}
			for _, r := range ovhapi.FencingRules(sn) {
				if rng.Intn(4) > 0 {
					rules = append(rules, r)
				}
			}
		}
		for _, r := range extras {
			if rng.Intn(3) == 0 {
				rules = append(rules, r)
			}
		}
		report := Audit(ovhapi.Credential{Status: ovhapi.CredentialValidated, Rules: rules}, cluster)
		problems := report.Problems()
		var reasons []string
		for _, b := range report.TooBroad {
			if !slices.Contains(reasons, b.Reason) {
				reasons = append(reasons, b.Reason)
			}
		}
		want := len(reasons)
		if len(report.Missing) > 0 {
			want++
		}
		if len(problems) != want {
			t.Fatalf("rules %v: %d lines, want %d:\n%s", rules, len(problems), want, strings.Join(problems, "\n"))
		}
		text := strings.Join(problems, "\n")
		for _, b := range report.TooBroad {
			if !strings.Contains(text, b.Rule.Method+" "+b.Rule.Path) {
				t.Fatalf("too broad %v is not named:\n%s", b.Rule, text)
			}
		}
		for _, m := range report.Missing {
			sn, _, _ := ovhapi.SplitServerPath(m.Path)
			if !strings.Contains(text, m.Method+" "+m.Path) && !namesWholeServer(text, sn) {
				t.Fatalf("missing %v is not named:\n%s", m, text)
			}
		}
	}
}

// namesWholeServer says whether text says every fencing rule of sn is missing.
func namesWholeServer(text, sn string) bool {
	_, after, ok := strings.Cut(text, "every fencing rule for ")
	list, _, _ := strings.Cut(after, ";")
	return ok && slices.Contains(strings.Split(list, ", "), sn)
}

func TestProblemCount(t *testing.T) {
	for n, want := range map[int]string{0: "0 problems", 1: "1 problem", 2: "2 problems", 17: "17 problems"} {
		if got := ProblemCount(n); got != want {
			t.Errorf("ProblemCount(%d) = %q", n, got)
		}
	}
}
