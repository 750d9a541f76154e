package setup

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/cluster"
	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/wizard"
)

func TestPreviewShowsTheNextStepsOfEveryTarget(t *testing.T) {
	out := t.TempDir()
	// A sandbox runner keeps every path under out and merges into no cluster.conf.
	r := New(Options{Sandbox: &Sandbox{}, OutDir: out})
	c := cluster.New("demo", cluster.TargetPcs)
	c.Endpoint = "ovh-eu"
	for i, node := range []string{"node1", "node2", "node3"} {
		n := cluster.NewNode(node, []string{"ns1.example", "ns2.example", "ns3.example"}[i])
		n.RescueBootID = 10
		c.Nodes = append(c.Nodes, n)
	}
	tests := []struct {
		targets []cluster.Target
		want    []string
	}{
		{[]cluster.Target{cluster.TargetPcs}, []string{"Next steps on Pacemaker (pcs)", "sh " + filepath.Join(out, "fence-demo-pcs.sh")}},
		{[]cluster.Target{cluster.TargetPcs, cluster.TargetPVE3},
			[]string{"Next steps on Pacemaker (pcs)", "Next steps on Proxmox VE 3", "ccs_config_validate -v -f " + filepath.Join(out, "cluster.conf.new")}},
		{[]cluster.Target{cluster.TargetCrm, cluster.TargetPcs},
			[]string{"crm -f " + filepath.Join(out, "fence-demo-crm.txt") + " configure", "Next steps on Pacemaker (pcs)"}},
	}
	for _, tt := range tests {
		res := r.preview(wizard.EffectPreview{Cluster: c, Config: ovhapi.Config{Endpoint: "ovh-eu"}, Targets: tt.targets})
		p, ok := res.(wizard.Previewed)
		if !ok || p.Err != nil {
			t.Fatalf("%v: %#v", tt.targets, res)
		}
		next := strings.Join(p.Next, "\n")
		for _, want := range tt.want {
			if !strings.Contains(next, want) {
				t.Errorf("%v: the next steps lack %q:\n%s", tt.targets, want, next)
			}
		}
		for _, once := range []string{"A fenced node stays", "needs fence_ovh in /usr/sbin"} {
			if n := strings.Count(next, once); n != 1 {
				t.Errorf("%v: %q said %d times:\n%s", tt.targets, once, n, next)
			}
		}
		if regexp.MustCompile(`\b(SCRIPT|FILE)\b`).MatchString(next) { // render's placeholders for the paths
			t.Errorf("%v: a placeholder is left:\n%s", tt.targets, next)
		}
	}
}

// TestWriteEndsTheDiscoveryKey: after the files are written the read-only
// discovery key no longer works, while the fencing key still does.
func TestWriteEndsTheDiscoveryKey(t *testing.T) {
	sim, sb := startSandbox(t, 0)
	r := New(Options{Sandbox: sb, OutDir: t.TempDir()})
	cfg := ovhapi.Config{Endpoint: sb.Endpoint, ApplicationKey: sb.AppKey, ApplicationSecret: sb.AppSecret}
	req, err := r.client(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ck, err := req.RequestConsumerKey(context.Background(), []ovhapi.Rule{{Method: "GET", Path: "/dedicated/server/*"}}, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.ValidateCredential(ck.ConsumerKey, nil); err != nil {
		t.Fatal(err)
	}
	cfg.ConsumerKey = ck.ConsumerKey
	res := r.write(wizard.EffectWrite{EndKey: cfg})
	if w, ok := res.(wizard.Wrote); !ok || w.Err != nil {
		t.Fatalf("write: %#v", res)
	}
	client, err := r.client(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.GetServer(context.Background(), "ns567890.ip-123-22-44.eu")
	if ovhapi.KindOf(err) != ovhapi.KindCredentialInvalid {
		t.Fatalf("the discovery key still works after the write: %v", err)
	}
	if log := strings.Join(r.transcript, "\n"); !strings.Contains(log, "ended the read-only discovery key") {
		t.Fatalf("the transcript does not say the key was ended:\n%s", log)
	}
}
