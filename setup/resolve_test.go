package setup

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/ovhfence/ovhfence/wizard"
)

func TestParseAhosts(t *testing.T) {
	out := "51.38.1.1       STREAM web1.example.net\n51.38.1.1       DGRAM  \n51.38.1.1       RAW    \n10.0.0.1        STREAM \nfe80::1 STREAM\n"
	if got, want := parseAhosts(out), []string{"51.38.1.1", "10.0.0.1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("parseAhosts = %v, want %v", got, want)
	}
}

// TestNodeAddressesAreRead: corosync's ring0_addr and the resolver's answers
// reach the wizard, each with its source, as the map step's evidence.
func TestNodeAddressesAreRead(t *testing.T) {
	r := New(Options{CorosyncConf: writeFile(t, "corosync.conf", corosyncConf), ClusterConf: "/nonexistent/cluster.conf",
		LookPath: func(string) (string, error) { return "", errors.New("not found") },
		Resolve: func(_ context.Context, node string) []string {
			if node == "web2.example.net" {
				return []string{"51.38.1.2"}
			}
			return nil
		}})
	pf, err := r.preflight()
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string][]wizard.NodeAddr{"web1": {{IP: "10.0.0.1", Source: "ring0_addr in " + r.opts.CorosyncConf}}}; !reflect.DeepEqual(pf.NodeAddrs, want) {
		t.Errorf("NodeAddrs = %v, want %v", pf.NodeAddrs, want)
	}
	got := r.nodeAddrs(context.Background(), pf.Nodes)
	if want := map[string][]wizard.NodeAddr{"web2.example.net": {{IP: "51.38.1.2", Source: "getent ahostsv4 web2.example.net"}}}; !reflect.DeepEqual(got, want) {
		t.Errorf("nodeAddrs = %v, want %v", got, want)
	}
}
