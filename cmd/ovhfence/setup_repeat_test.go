package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// sandboxEndpoint matches the endpoint attribute: each sandbox listens on its own port.
var sandboxEndpoint = regexp.MustCompile(`endpoint="[^"]*"`)

// TestSetupRepeatCommandKeepsTheClusterConf: a run merging into the
// cluster.conf given with --cluster-conf prints a command that, run again
// (its pending cluster.conf.new removed), merges into the same file and
// writes the same cluster.conf.new, not a fresh one that drops the cluster's
// config_version and transport.
func TestSetupRepeatCommandKeepsTheClusterConf(t *testing.T) {
	data, err := os.ReadFile("../../testdata/pve3-cluster.conf")
	if err != nil {
		t.Fatal(err)
	}
	confDir, out := t.TempDir(), t.TempDir()
	conf := filepath.Join(confDir, "cluster.conf")
	if err := os.WriteFile(conf, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := runSetup([]string{"--sandbox", "--yes", "--target", "pve3", "--cluster-conf", conf, "--out", out},
		strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	_, after, _ := strings.Cut(stderr.String(), "The same setup without questions:\n")
	command, _, found := strings.Cut(after, "Done (log saved")
	args := strings.Fields(strings.ReplaceAll(command, "\\\n", ""))
	if !found || len(args) < 3 {
		t.Fatalf("no command line in the summary:\n%s", stderr.String())
	}
	newConf := filepath.Join(out, "cluster.conf.new")
	first, err := os.ReadFile(newConf)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(newConf); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	if code := runSetup(args[2:], strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("%s: exit %d\n%s", strings.Join(args, " "), code, stderr.String())
	}
	again, err := os.ReadFile(newConf)
	if err != nil || sandboxEndpoint.ReplaceAllString(string(first), "") != sandboxEndpoint.ReplaceAllString(string(again), "") {
		t.Errorf("%s\nwrote another cluster.conf.new (%v):\n%s\nthen\n%s", strings.Join(args, " "), err, first, again)
	}
}

// TestSetupRepeatCommandKeepsTheSeededSandbox: a sandbox seeded with 50
// servers says so, and its repeat command seeds as many, so that a server
// past the first four, mapped in the run, is there when it is pasted.
func TestSetupRepeatCommandKeepsTheSeededSandbox(t *testing.T) {
	const far = "ns3100030.ip-51-68-30.eu" // the 31st seeded server
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	args := []string{"--sandbox", "--seed-servers", "50", "--yes", "--nodes", "web1,web2",
		"--map", "web1=" + far, "--map", "web2=" + sandboxB, "--out", out}
	if code := runSetup(args, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "with 50 servers") {
		t.Errorf("the sandbox note does not say it holds 50 servers:\n%s", stderr.String())
	}
	_, after, _ := strings.Cut(stderr.String(), "The same setup without questions:\n")
	command, _, found := strings.Cut(after, "Done (log saved")
	repeat := strings.Fields(strings.ReplaceAll(command, "\\\n", ""))
	if !found || len(repeat) < 3 {
		t.Fatalf("no command line in the summary:\n%s", stderr.String())
	}
	stderr.Reset()
	if code := runSetup(repeat[2:], strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Errorf("%s: exit %d\n%s", strings.Join(repeat, " "), code, stderr.String())
	}
}
