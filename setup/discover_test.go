package setup

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/ovhsim"
	"github.com/ovhfence/ovhfence/wizard"
)

// Issue 10: an account of 500 servers answering in 50 ms per call, under the
// sandbox's budget: the names are listed once, only the nodes' candidates are
// read (at most two per node), progress is shown, nothing answers 429, the
// mapping is ready within 10 s, and the run's client for the key syncs its
// clock once however many effects use it. The candidates read are matched by
// evidence (wizard.MatchServers); a node with no candidate costs no read and is
// left for the person to pick.
func TestDiscoveryOfALargeAccount(t *testing.T) {
	sim, sb := startSandbox(t, 500)
	sim.AddFault(ovhsim.Fault{Kind: ovhsim.FaultLatency, Latency: 50 * time.Millisecond})
	ak, as, ck := sim.CreateToken([]ovhsim.Rule{{Method: "GET", Path: "/dedicated/server"}, {Method: "GET", Path: "/dedicated/server/*"}})
	cfg := ovhapi.Config{Endpoint: sb.Endpoint, ApplicationKey: ak, ApplicationSecret: as, ConsumerKey: ck}
	r := New(Options{Sandbox: sb})
	nodes := append(slices.Clone(sb.Nodes), "nodeX") // nodeX resolves to nothing
	var lines []string
	progress := func(res wizard.Result) {
		if p, ok := res.(wizard.DiscoveryProgress); ok {
			lines = append(lines, p.Line)
		}
	}
	start := time.Now()
	res := r.Run(context.Background(), wizard.EffectDiscoverServers{Config: cfg, Nodes: nodes}, progress).(wizard.ServersFound)
	took := time.Since(start)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	matches := wizard.MatchServers(nodes, res.Servers, res.NodeAddrs, nil)
	for i, node := range sb.Nodes {
		if want := ovhsim.DefaultServers()[i].Name; matches[node].Server != want || matches[node].Evidence == "" {
			t.Errorf("%s matched to %+v, want %s with evidence", node, matches[node], want)
		}
	}
	if m, ok := matches["nodeX"]; ok {
		t.Errorf("nodeX, with no candidate, was matched to %+v", m)
	}
	if len(res.Servers) != 500 {
		t.Errorf("%d servers listed, want 500", len(res.Servers))
	}
	// A second effect with the same key reuses the run's client.
	if res := r.Run(context.Background(), wizard.EffectDiscoverServers{Config: cfg, Names: []string{ovhsim.DefaultServers()[0].Name}}, nil).(wizard.ServersFound); res.Err != nil {
		t.Fatal(res.Err)
	}
	count := map[string]int{}
	for _, req := range sim.Requests() {
		if req.Status == 429 {
			t.Errorf("%s %s answered 429", req.Method, req.Path)
		}
		switch {
		case req.Path == "/1.0/auth/time":
			count["time"]++
		case req.Path == "/1.0/dedicated/server":
			count["list"]++
		case strings.HasPrefix(req.Path, "/1.0/dedicated/server/"):
			count["read"]++
		}
	}
	t.Logf("500 servers: mapping ready in %s; calls %v; progress %q", took.Round(time.Millisecond), count, lines)
	if took > 10*time.Second || count["list"] != 1 || count["read"] > 2*len(sb.Nodes)+1 || count["time"] != 1 || len(lines) == 0 {
		t.Errorf("took %s with %v calls and %d progress lines; want ≤ 10 s, 1 list, ≤ %d reads, 1 time sync, progress",
			took, count, len(lines), 2*len(sb.Nodes)+1)
	}
}
