package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSetupRefusesBadAnswersBeforeAnyKey: an answer wrong on its face, from
// the flags or an --answers file, stops setup before any key is requested (no
// browser validation is wasted), and an --answers error names file and line.
func TestSetupRefusesBadAnswersBeforeAnyKey(t *testing.T) {
	const header = "# setup answers\ntarget = pcs\n\nnodes = web1,web2\ncluster-name = demo\n" // lines 1-5
	tests := []struct {
		name    string
		args    []string
		answers string // line 6 on, after header
		want    string
	}{
		{"too few servers", []string{"--nodes", "web1,web2", "--servers", sandboxA}, "", "1 servers named for 2 nodes"},
		{"name the cluster model refuses", []string{"--nodes", "node+1,web2"}, "", `--nodes: node name "node+1"`},
		{"bad fence mode flag", []string{"--fence-mode", "power-off"}, "", `--fence-mode: fence mode "power-off": want rescue or poweroff`},
		{"misspelled server", []string{"--nodes", "web1,web2", "--servers", sandboxA + "," + sandboxB, "--map", "web1=" + sandboxA + "x"}, "",
			"is not one of the servers found"},
		{"unknown node in the map", []string{"--nodes", "web1,web2", "--map", "web3=" + sandboxA}, "", "web3 is not a cluster node"},
		{"fence test of no node", []string{"--nodes", "web1,web2", "--fence-test", "web3"}, "", "--fence-test: web3 is not a cluster node"},
		{"answers: bad fence mode", nil, "servers = " + sandboxA + "," + sandboxB + "\nfence-mode = power-off\n",
			`answers.yaml:7: fence mode "power-off": want rescue or poweroff`},
		{"answers: unknown key", nil, "fence_mode = rescue\n", `answers.yaml:6: unknown key "fence_mode"`},
		{"answers: no equals sign", nil, "\n\nservers " + sandboxA + "\n", "answers.yaml:8: expected name = value"},
		{"answers: bad name", nil, "cluster-name = (x)\n", `answers.yaml:6: cluster name "(x)"`},
		{"answers: too few servers", nil, "servers = " + sandboxA + "\n", "answers.yaml:6: 1 servers named for 2 nodes"},
		{"answers: unknown node in the map", nil, "# the map\nmap = web1=" + sandboxA + ",web3=" + sandboxB + "\n",
			"answers.yaml:7: map entry web3=" + sandboxB + ": web3 is not a cluster node"},
		{"answers: fence test of no node", nil, "fence-test = web3\n", "answers.yaml:6: web3 is not a cluster node"},
		{"answers: yes is yes or no", nil, "yes = maybe\n", `answers.yaml:6: "maybe": answer yes or no`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			chdir(t, dir)
			args := append([]string{"--sandbox", "--yes", "--out", "out"}, tt.args...)
			if tt.answers != "" {
				if err := os.WriteFile("answers.yaml", []byte(header+tt.answers), 0o600); err != nil {
					t.Fatal(err)
				}
				args = append(args, "--answers", "answers.yaml")
			}
			var stdout, stderr bytes.Buffer
			code := runSetup(args, strings.NewReader(""), &stdout, &stderr)
			if code == 0 || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("exit %d, want non-zero and %q:\n%s", code, tt.want, stderr.String())
			}
			if strings.Contains(stderr.String(), "Requesting the") || strings.Contains(stderr.String(), "[2/9]") {
				t.Errorf("went past the preflight before refusing:\n%s", stderr.String())
			}
			if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
				t.Errorf("out was created")
			}
		})
	}
}

// TestSetupAnswersLineWithNodesReadAtPreflight: when the nodes are not given
// but read at the first step (here the sandbox's three), an --answers entry
// that does not fit them is still refused naming its file and line.
func TestSetupAnswersLineWithNodesReadAtPreflight(t *testing.T) {
	for answers, want := range map[string]string{
		"target = pcs\nservers = " + sandboxA + "," + sandboxB + "\n": "answers.yaml:2: 2 servers named for 3 nodes",
		"target = pcs\n\nfence-test = web3\n":                         "answers.yaml:3: web3 is not a cluster node",
	} {
		dir := t.TempDir()
		chdir(t, dir)
		if err := os.WriteFile("answers.yaml", []byte(answers), 0o600); err != nil {
			t.Fatal(err)
		}
		var stdout, stderr bytes.Buffer
		code := runSetup([]string{"--sandbox", "--yes", "--out", "out", "--answers", "answers.yaml"}, strings.NewReader(""), &stdout, &stderr)
		if code == 0 || !strings.Contains(stderr.String(), want) {
			t.Errorf("exit %d, want non-zero and %q:\n%s", code, want, stderr.String())
		}
	}
}

// TestSetupNoAtTheWriteConfirmationGoesBack: "no" at the write confirmation
// is an answer (the table's confirm widget takes yes or no): it writes
// nothing and goes back to the live test; answered again, the run finishes.
func TestSetupNoAtTheWriteConfirmationGoesBack(t *testing.T) {
	dir := t.TempDir()
	answers := []string{
		"", "", "", "", "", "", "", "", // preflight, keys and credentials kind, discover the servers
		"", "", "", // the mapping matched
		"rescue", "", "", // mode, request a fencing key, no live test
		"no",      // do not write: back to the live test
		"", "yes", // no live test again, then write
	}
	var stdout, stderr bytes.Buffer
	if code := runSetup([]string{"--sandbox", "--plain", "--out", dir}, strings.NewReader(strings.Join(answers, "\n")+"\n"), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	if n := strings.Count(stderr.String(), "[8/9] Output"); n != 2 || strings.Contains(stderr.String(), "type yes to write") {
		t.Errorf("the output step was shown %d times, want 2 (no went back):\n%s", n, stderr.String())
	}
}
