package setup

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/cluster"
	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/wizard"
)

const pendingLive = `<?xml version="1.0"?>
<cluster config_version="7" name="demo">
  <clusternodes>
    <clusternode name="node1" nodeid="1" votes="1"/>
    <clusternode name="node2" nodeid="2" votes="1"/>
  </clusternodes>
</cluster>
`

// Item 5: the wizard merges into a cluster.conf.new that holds pending edits,
// says so, and diffs against it.
func TestPreviewKeepsPendingClusterConfEdits(t *testing.T) {
	dir := t.TempDir()
	live := filepath.Join(dir, "cluster.conf")
	pending := strings.Replace(pendingLive, `config_version="7"`, `config_version="8"`, 1)
	pending = strings.Replace(pending, "</clusternodes>", "</clusternodes>\n  <!-- pending edit 4242 -->", 1)
	for path, content := range map[string]string{live: pendingLive, live + ".new": pending} {
		if err := os.WriteFile(path, []byte(content), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	r := New(Options{ClusterConf: live, OutDir: t.TempDir(), CredentialsPath: "/etc/pve/priv/ovh.conf"})
	c := cluster.New("demo", cluster.TargetPVE3)
	c.Endpoint = "ovh-eu"
	for i, node := range []string{"node1", "node2"} {
		n := cluster.NewNode(node, []string{"ns1.example", "ns2.example"}[i])
		n.RescueBootID, n.Delay = 10, 15*i
		c.Nodes = append(c.Nodes, n)
	}
	res := r.preview(wizard.EffectPreview{Cluster: c, Config: ovhapi.Config{Endpoint: "ovh-eu"}, Targets: []cluster.Target{cluster.TargetPVE3}})
	p, ok := res.(wizard.Previewed)
	if !ok || p.Err != nil {
		t.Fatalf("%#v", res)
	}
	var conf wizard.File
	for _, f := range p.Files {
		if f.Path == live+".new" {
			conf = f
		}
	}
	if !strings.Contains(string(conf.Content), "pending edit 4242") || !strings.Contains(conf.Purpose, "pending edits") {
		t.Errorf("the pending edit is dropped or not mentioned: %s\n%s", conf.Purpose, conf.Content)
	}
	if !strings.Contains(conf.Diff, "--- a"+live+".new") || strings.Contains(conf.Diff, "-  <!-- pending edit") {
		t.Errorf("the diff is not against the pending file:\n%s", conf.Diff)
	}
}
