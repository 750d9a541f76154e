package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/cluster"
)

// The sandbox's first two servers; their reverses name node1 and node2, never web1 or web2.
const (
	sandboxA = "ns567890.ip-123-22-44.eu"
	sandboxB = "ns567891.ip-123-22-45.eu"
)

// TestSetupYesNeverGuessesTheMap: nodes that match no server name, reverse or
// address get no server by position; the run stops naming --map and writes
// nothing, and the same run with --map writes the map given.
func TestSetupYesNeverGuessesTheMap(t *testing.T) {
	base := []string{"--sandbox", "--yes", "--nodes", "web1,web2", "--servers", sandboxA + "," + sandboxB}
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := runSetup(append(base, "--out", dir), strings.NewReader(""), &stdout, &stderr)
	if code == 0 || !strings.Contains(stderr.String(), "--map") || !strings.Contains(stderr.String(), "pass --map web1=SERVICE-NAME") {
		t.Fatalf("exit %d, want non-zero naming --map and web1:\n%s", code, stderr.String())
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf("files written after a refused map: %v", entries)
	}

	dir = t.TempDir()
	stdout.Reset()
	stderr.Reset()
	args := append(base, "--out", dir, "--map", "web1="+sandboxB+",web2="+sandboxA)
	if code := runSetup(args, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("with --map: exit %d\n%s", code, stderr.String())
	}
	c, err := cluster.Load(filepath.Join(dir, "sandbox.cluster"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Nodes) != 2 || c.Nodes[0].Server != sandboxB || c.Nodes[1].Server != sandboxA {
		t.Errorf("the cluster file does not hold the map given: %+v", c.Nodes)
	}
}

// TestSetupYesNamesEveryUnmatchedNode: with several nodes nothing matches,
// the refusal names a --map entry for each, so one fix-up run is enough.
func TestSetupYesNamesEveryUnmatchedNode(t *testing.T) {
	args := []string{"--sandbox", "--yes", "--nodes", "web1,web2,web3", "--out", t.TempDir()}
	var stdout, stderr bytes.Buffer
	code := runSetup(args, strings.NewReader(""), &stdout, &stderr)
	for _, node := range []string{"web1", "web2", "web3"} {
		if code == 0 || !strings.Contains(stderr.String(), "--map "+node+"=SERVICE-NAME") {
			t.Errorf("exit %d, the refusal does not name --map %s=SERVICE-NAME:\n%s", code, node, stderr.String())
		}
	}
}

// TestSetupBadMapEntriesAreErrors: each bad entry of --map or --answers stops
// the run with an error naming it, before any file is written.
func TestSetupBadMapEntriesAreErrors(t *testing.T) {
	tests := []struct {
		name, answers, want string
	}{
		{"misspelled server", "map = web1=" + sandboxA + ",web2=ns567891.ip-123-22-54.eu",
			"map entry web2=ns567891.ip-123-22-54.eu: ns567891.ip-123-22-54.eu is not one of the servers"},
		{"server taken twice", "map = web1=" + sandboxA + ",web2=" + sandboxA,
			"map entries web1=" + sandboxA + " and web2=" + sandboxA},
		{"unknown node", "map = web1=" + sandboxA + ",web3=" + sandboxB, "map entry web3=" + sandboxB + ": web3 is not a cluster node"},
		{"node mapped twice", "map = web1=" + sandboxA + ",web1=" + sandboxB, "node web1 is mapped twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			answers := filepath.Join(dir, "answers")
			if err := os.WriteFile(answers, []byte("nodes = web1,web2\n"+tt.answers+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "out")
			var stdout, stderr bytes.Buffer
			code := runSetup([]string{"--sandbox", "--yes", "--answers", answers, "--out", out}, strings.NewReader(""), &stdout, &stderr)
			if code == 0 || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("exit %d, want non-zero and %q:\n%s", code, tt.want, stderr.String())
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s was created", out)
			}
		})
	}
}
