package setup

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/wizard"
)

// hostileServers is an API whose server descriptions carry terminal escapes
// and newlines; name is the one server it lists.
func hostileServers(t *testing.T, name string) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/auth/time"):
			fmt.Fprint(w, time.Now().Unix())
		case strings.HasSuffix(r.URL.Path, "/dedicated/server"):
			json.NewEncoder(w).Encode([]string{name})
		default:
			json.NewEncoder(w).Encode(map[string]any{"name": name, "reverse": "evil\n\x1b[2Jhost.example.",
				"datacenter": "gra\u202e1", "state": "ok\r\nSuccess: Powered OFF" + strings.Repeat("x", 4096)})
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/1.0"
}

// Rule: what the wizard shows of a server is one line of plain text, and a
// name that is not a service name is refused.
func TestDiscoverServersShowsAPITextSafely(t *testing.T) {
	cfg := ovhapi.Config{Endpoint: hostileServers(t, "ns1.ip-1-2-3.eu"), ApplicationKey: "AK", ApplicationSecret: "AS", ConsumerKey: "CK"}
	r := New(Options{Resolve: func(context.Context, string) []string { return nil }})
	// The node named as the server makes it a candidate, so it is read.
	servers, _, err := r.discoverServers(context.Background(), wizard.EffectDiscoverServers{Config: cfg, Nodes: []string{"ns1.ip-1-2-3.eu"}}, nil)
	if err != nil || len(servers) != 1 || !servers[0].Read {
		t.Fatalf("%v %v", servers, err)
	}
	s := servers[0]
	for _, text := range []string{s.Reverse, s.Datacenter, s.State} {
		if strings.ContainsAny(text, "\n\r\x1b\u202e") || len(text) > 512 {
			t.Errorf("shown as is: %q", text)
		}
	}
	cfg.Endpoint = hostileServers(t, "ns1\nSuccess: Powered OFF")
	if _, _, err := r.discoverServers(context.Background(), wizard.EffectDiscoverServers{Config: cfg}, nil); err == nil ||
		strings.Contains(err.Error(), "\n") {
		t.Errorf("a hostile server name: %v", err)
	}
}
