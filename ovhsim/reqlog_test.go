package ovhsim

import (
	"encoding/json"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestRequestLogEntries(t *testing.T) {
	sim, _ := newTestSim(t, Config{})
	k := token(sim, FencingRules(sn1)...)
	ovhCall(sim, k, "PUT", "/1.0/dedicated/server/"+sn1, `{"bootId":95083}`)
	ovhCall(sim, k, "GET", "/1.0/dedicated/server/"+sn1+"/boot?bootType=power", "")
	serve(sim, httptest.NewRequest("GET", "/1.0/auth/time", nil))

	log := sim.Requests()
	if len(log) != 3 {
		t.Fatalf("%d entries, want 3", len(log))
	}
	put, denied, public := log[0], log[1], log[2]
	if put.Method != "PUT" || put.Path != "/1.0/dedicated/server/"+sn1 || put.Body != `{"bootId":95083}` ||
		put.Status != 200 || put.Auth != outcomeSigned || put.AppKey != k.ak {
		t.Errorf("PUT entry = %+v", put)
	}
	for _, h := range []string{"X-Ovh-Application", "X-Ovh-Consumer", "X-Ovh-Timestamp", "X-Ovh-Signature"} {
		if !put.HasHeader(h) {
			t.Errorf("PUT entry lacks header name %s: %v", h, put.Headers)
		}
	}
	if want := "****" + k.ck[len(k.ck)-4:]; put.ConsumerKey != want {
		t.Errorf("consumer key logged as %q, want %q", put.ConsumerKey, want)
	}
	if denied.Query != "bootType=power" || denied.Status != 403 || denied.Auth != "denied: This call has not been granted" {
		t.Errorf("boot entry = %+v, want a denied call with its query", denied)
	}
	if public.Auth != outcomePublic || public.HasHeader("X-Ovh-Signature") || public.AppKey != "" {
		t.Errorf("time entry = %+v", public)
	}

	data, err := json.Marshal(log)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{k.as, k.ck, "$1$"} {
		if strings.Contains(string(data), secret) {
			t.Errorf("the request log holds a secret or signature: %q", secret)
		}
	}
}

func TestMaskKey(t *testing.T) {
	tests := []struct{ key, want string }{
		{"", ""},
		{"abc", "***"},
		{"abcd", "****"},
		{"abcdefgh", "****efgh"},
	}
	for _, tc := range tests {
		if got := maskKey(tc.key); got != tc.want {
			t.Errorf("maskKey(%q) = %q, want %q", tc.key, got, tc.want)
		}
	}
}
