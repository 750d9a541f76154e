package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRenderClusterConfKeepsQuorumDisk: render clusterconf on Proxmox VE 3's
// two nodes with a quorum disk keeps <cman>'s expected_votes="3", sets no
// two_node, and says so on stderr.
func TestRenderClusterConfKeepsQuorumDisk(t *testing.T) {
	dir := t.TempDir()
	conf, err := os.ReadFile("../../testdata/pve3-qdisk-cluster.conf")
	if err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "cluster.conf")
	if err := os.WriteFile(in, conf, 0o640); err != nil {
		t.Fatal(err)
	}
	example, err := os.ReadFile(twoNodeCluster)
	if err != nil {
		t.Fatal(err)
	}
	clusterFile := filepath.Join(dir, "qdisk.cluster")
	renamed := strings.NewReplacer(`"web1"`, `"ns567890.ip-123-22-44.eu"`, `"web2"`, `"ns567891.ip-123-22-45.eu"`).Replace(string(example))
	if err := os.WriteFile(clusterFile, []byte(renamed), 0o640); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runRenderCLI("clusterconf", "--cluster", clusterFile, "--in", in, "--out", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, `<cman expected_votes="3" keyfile=`) || strings.Contains(stdout, "two_node") {
		t.Errorf("the quorum settings changed:\n%s", stdout)
	}
	if !strings.Contains(stderr, "quorum unchanged: cluster.conf has a quorum disk (<quorumd>)") {
		t.Errorf("stderr does not say the quorum was kept:\n%s", stderr)
	}
}
