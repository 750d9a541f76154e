package ovhsim

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// The go-ovh test vector (reference §1.5).
const (
	vectorSecret   = "9ufkBmLaTQ9nz5yMUlg79taH0GNnzDjk"
	vectorConsumer = "5mBuy6SUQcRw2ZUxg0cG68BoDKpED4KY"
	vectorTime     = 1457018875
)

var signatureVectors = []struct {
	method, body, want string
}{
	{"GET", "", "$1$e9556054b6309771395efa467c22e627407461ad"},
	{"POST", `{"a":"b","c":"d"}`, "$1$ec2fb5c7a81f64723c77d2e5b609ae6f58a84fc1"},
}

func TestSignatureVectors(t *testing.T) {
	for _, v := range signatureVectors {
		t.Run(v.method, func(t *testing.T) {
			got := signature(vectorSecret, vectorConsumer, v.method, "https://eu.api.ovh.com/1.0/auth", []byte(v.body), vectorTime)
			if got != v.want {
				t.Errorf("signature = %s, want %s", got, v.want)
			}
		})
	}
}

// TestSignatureVectorsAccepted sends the vectors' exact headers to a
// simulator that believes it is https://eu.api.ovh.com at the vector's time.
func TestSignatureVectorsAccepted(t *testing.T) {
	sim := New(Config{
		ExternalBase: "https://eu.api.ovh.com",
		Now:          func() time.Time { return time.Unix(vectorTime, 0) },
	})
	app := &application{id: 1, key: "vectorAppKey", secret: vectorSecret}
	sim.apps[app.id] = app
	sim.creds[vectorConsumer] = &credential{
		id: 1, appID: app.id, consumerKey: vectorConsumer, state: statusValidated,
		rules: []Rule{{"GET", "/auth"}, {"POST", "/auth"}},
	}
	forged := "$1$" + strings.Repeat("0", 40)
	for _, v := range signatureVectors {
		for _, tc := range []struct {
			sig, wantAuth string
			wantStatus    int
		}{
			// /auth itself is not a route: an accepted signature reaches the
			// router and gets its 404.
			{v.want, outcomeSigned, http.StatusNotFound},
			{forged, outcomeDenied + "Invalid signature", http.StatusBadRequest},
		} {
			t.Run(v.method+" "+tc.sig, func(t *testing.T) {
				r := httptest.NewRequest(v.method, "/1.0/auth", strings.NewReader(v.body))
				r.Header.Set("X-Ovh-Application", app.key)
				r.Header.Set("X-Ovh-Consumer", vectorConsumer)
				r.Header.Set("X-Ovh-Timestamp", "1457018875")
				r.Header.Set("X-Ovh-Signature", tc.sig)
				wantStatus(t, serve(sim, r), tc.wantStatus)
				log := sim.Requests()
				if got := log[len(log)-1].Auth; got != tc.wantAuth {
					t.Errorf("auth outcome = %q, want %q", got, tc.wantAuth)
				}
			})
		}
	}
}
