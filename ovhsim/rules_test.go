package ovhsim

import (
	"slices"
	"testing"
)

func TestGlobMatch(t *testing.T) {
	tests := []struct {
		pattern, path string
		want          bool
	}{
		{"/dedicated/server/*", "/dedicated/server/ns1/task/5", true},
		{"/dedicated/server/*", "/dedicated/server/ns1", true},
		{"/x/*", "/x", false},
		{"/x/*", "/x/", true},
		{"/*", "/anything/at/all", true},
		{"/domain/zone/*/record", "/domain/zone/example.com/record", true},
		{"/domain/zone/*/record", "/domain/zone/example.com/record/12", false},
		{"/domain/zone/*/record", "/domain/zone/a/b/record", true},
		{"/dedicated/server/*/task/*", "/dedicated/server/ns1/task/5", true},
		{"/dedicated/server/*/task/*", "/dedicated/server/ns1/boot/5", false},
		{"/a*b*c", "/aXbYbZc", true},
		{"/a*b*c", "/aXbYbZ", false},
		{"/me", "/me", true},
		{"/me", "/me/api", false},
		{"/me", "/m", false},
		{"", "", true},
		{"*", "", true},
	}
	for _, tc := range tests {
		if got := globMatch(tc.pattern, tc.path); got != tc.want {
			t.Errorf("globMatch(%q, %q) = %v, want %v", tc.pattern, tc.path, got, tc.want)
		}
	}
}

func TestRulesAllow(t *testing.T) {
	rules := []Rule{{"GET", "/dedicated/server/ns1"}, {"POST", "/dedicated/server/ns1/reboot"}, {"GET", "/dedicated/server/ns1/task/*"}}
	tests := []struct {
		method, path string
		want         bool
	}{
		{"GET", "/dedicated/server/ns1", true},
		{"PUT", "/dedicated/server/ns1", false}, // the method must match exactly
		{"POST", "/dedicated/server/ns1/reboot", true},
		{"GET", "/dedicated/server/ns1/reboot", false},
		{"GET", "/dedicated/server/ns1/task/42", true},
		{"GET", "/dedicated/server/ns1/task", false},
		{"GET", "/dedicated/server/ns2", false},
		{"get", "/dedicated/server/ns1", false},
	}
	for _, tc := range tests {
		if got := rulesAllow(rules, tc.method, tc.path); got != tc.want {
			t.Errorf("rulesAllow(%s %s) = %v, want %v", tc.method, tc.path, got, tc.want)
		}
	}
}

// TestRulesIgnoreQuery proves the rule is matched on the path without the
// query string: /boot is granted, so /boot?bootType=power is too.
func TestRulesIgnoreQuery(t *testing.T) {
	sim, _ := newTestSim(t, Config{})
	k := token(sim, Rule{"GET", "/dedicated/server/ns567890.ip-123-22-44.eu/boot"})
	wantStatus(t, ovhCall(sim, k, "GET", "/1.0/dedicated/server/ns567890.ip-123-22-44.eu/boot?bootType=power", ""), 200)
}

func TestFencingRules(t *testing.T) {
	got := FencingRules("ns1", "ns2")
	want := []Rule{
		{"GET", "/dedicated/server/ns1"}, {"PUT", "/dedicated/server/ns1"},
		{"POST", "/dedicated/server/ns1/reboot"}, {"GET", "/dedicated/server/ns1/task"}, {"GET", "/dedicated/server/ns1/task/*"},
		{"GET", "/dedicated/server/ns2"}, {"PUT", "/dedicated/server/ns2"},
		{"POST", "/dedicated/server/ns2/reboot"}, {"GET", "/dedicated/server/ns2/task"}, {"GET", "/dedicated/server/ns2/task/*"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("FencingRules = %v, want %v", got, want)
	}
	if FencingRules() != nil {
		t.Error("FencingRules() with no server grants something")
	}
}
