package tui

import (
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/cluster"
	"github.com/ovhfence/ovhfence/wizard"
)

func TestCommandLine(t *testing.T) {
	answers := wizard.Answers{
		Targets: []cluster.Target{cluster.TargetPcs, cluster.TargetPVE3}, Endpoint: "ovh-eu", ClusterName: "demo",
		Nodes: []string{"node1", "node2"}, AppKey: "AK1", AppSecret: "SECRETAS", ConsumerKey: "SECRETCK",
		Mapping: map[string]string{"node1": sn1, "node2": sn2}, Mode: cluster.FenceRescue, FenceTest: "node1",
	}
	files := func(creds string) []wizard.File {
		return []wizard.File{{Path: "/srv/demo.cluster"}, {Path: creds, Secret: true}}
	}
	tests := []struct {
		name    string
		sandbox bool
		servers []string
		creds   string
		outDir  string
		want    string
	}{
		{"default ovh.conf", false, nil, "/etc/ovh.conf", ".",
			"ovhfence setup --yes --config /etc/ovh.conf --target pcs,pve3 --cluster-name demo --nodes node1,node2 " +
				"--map node1=" + sn1 + " --map node2=" + sn2 + " --fence-mode rescue"},
		{"ovh.conf elsewhere, quoted out dir", false, nil, "/root/my keys/ovh.conf", "/srv/it's here",
			"ovhfence setup --yes --config '/root/my keys/ovh.conf' --credentials '/root/my keys/ovh.conf' " +
				`--out '/srv/it'\''s here' --target pcs,pve3 --cluster-name demo --nodes node1,node2 ` +
				"--map node1=" + sn1 + " --map node2=" + sn2 + " --fence-mode rescue"},
		{"sandbox, typed servers", true, []string{sn1, sn2}, "/tmp/sb/ovh.conf", "ovhfence-sandbox-1",
			"ovhfence setup --yes --sandbox --out ovhfence-sandbox-1 --target pcs,pve3 --cluster-name demo --nodes node1,node2 " +
				"--servers " + sn1 + "," + sn2 + " --map node1=" + sn1 + " --map node2=" + sn2 + " --fence-mode rescue"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := wizard.New(answers)
			s.Answers.Servers = tt.servers
			s.Facts.Preflight.Sandbox = tt.sandbox
			s.Facts.Files, s.Facts.OutDir = files(tt.creds), tt.outDir
			lines := commandLine(s)
			joined := strings.Join(lines, "\n")
			if got := strings.Join(strings.Fields(strings.ReplaceAll(joined, "\\\n", "")), " "); got != tt.want {
				t.Errorf("command line\n%s\nwant\n%s", joined, tt.want)
			}
			for i, l := range lines {
				if len(l)+2 > 80 {
					t.Errorf("line %d is %d columns with the summary's indent: %q", i+1, len(l)+2, l)
				}
				if i < len(lines)-1 && !strings.HasSuffix(l, ` \`) {
					t.Errorf("line %d does not continue: %q", i+1, l)
				}
			}
			for _, leak := range []string{"SECRETAS", "SECRETCK", flagName(&wizard.FieldFenceTest)} {
				if strings.Contains(joined, leak) {
					t.Errorf("the command line holds %q:\n%s", leak, joined)
				}
			}
		})
	}
}
