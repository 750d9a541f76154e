package ovhapi

import (
	"strings"
	"testing"
)

// Hostile and careless endpoint URLs, each with the rule that refuses it.
func TestEndpointURLRules(t *testing.T) {
	accepted := []string{
		"https://eu.api.ovh.com/1.0", "https://api.example.com:8443/1.0/", "https://10.0.0.1/1.0",
		"http://127.0.0.1:8080/1.0", "http://127.1.2.3/1.0", "http://localhost:1/1.0", "http://[::1]:8080/1.0", "https://[2001:db8::1]/1.0",
	}
	for _, in := range accepted {
		if _, err := ResolveEndpoint(in); err != nil {
			t.Errorf("ResolveEndpoint(%q): %v", in, err)
		}
	}
	refused := map[string]string{
		"http://eu.api.ovh.com/1.0":                     "loopback",  // the key would travel in clear
		"http://10.0.0.1:8080/1.0":                      "loopback",  // a LAN is not loopback
		"http://127.0.0.1.evil.com/1.0":                 "loopback",  // a name that looks like a loopback address
		"https://eu.api.ovh.com/1.0 plug=ns2":           "only",      // a second crm parameter
		"https://x/1.0';reboot;'":                       "only",      // shell injection in a pasted line
		"https://x/1.0$(reboot)":                        "only",      //
		"https://x/1.0`id`":                             "only",      //
		"https://x/1.0\"/><fencedevice agent=\"fence_x": "only",      // XML or crm quote
		"https://x/1.0\nplug=ns2":                       "only",      // a second stdin line for the agent
		"https://user:pass@x/1.0":                       "only",      // user info
		"https://x/1.0?a=b":                             "only",      // query
		"https://x/1.0#frag":                            "only",      // fragment
		"https://x:99999999/1.0":                        "only",      // port
		"https://x/1.0\\..":                             "only",      //
		"javascript://x/1.0":                            "only",      //
		"https:///1.0":                                  "only",      // no host
		"ovh-eu;reboot":                                 "unknown",   // not a name
		"ovh-eu --plug=ns2":                             "unknown",   //
		strings.Repeat("a", 100):                        "unknown",   //
		"https://x/" + "\x1b[2J":                        "only",      // terminal escape
		"ht\x00tps://x/1.0":                             "only",      //
		"https://x/1.0 ":                                "https://x", // trailing space is trimmed, then accepted
	}
	for in, want := range refused {
		got, err := ResolveEndpoint(in)
		if want == "https://x" {
			if err != nil || got != "https://x/1.0" {
				t.Errorf("ResolveEndpoint(%q) = %q, %v", in, got, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ResolveEndpoint(%q) = %q, %v; want an error containing %q", in, got, err, want)
		}
	}
}
