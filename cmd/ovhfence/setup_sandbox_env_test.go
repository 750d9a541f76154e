package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSetupSandboxSetsAsideOVHEnvironment: with a real account's OVH_*
// variables left in the environment, --sandbox still runs on the sandbox's
// own keys (the simulator would refuse the others), and one line names the
// variables set aside, never their values.
func TestSetupSandboxSetsAsideOVHEnvironment(t *testing.T) {
	env := map[string]string{"OVH_ENDPOINT": "ovh-ca", "OVH_APPLICATION_KEY": "realAK0123", "OVH_APPLICATION_SECRET": "realAS0123",
		"OVH_CONSUMER_KEY": "realCK0123"}
	for name, value := range env {
		t.Setenv(name, value)
	}
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := runSetup([]string{"--sandbox", "--yes", "--out", dir}, strings.NewReader(""), &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr.String())
	}
	var notes []string
	for _, line := range strings.Split(stderr.String(), "\n") {
		if strings.Contains(line, "ignored") {
			notes = append(notes, line)
		}
	}
	if len(notes) != 1 {
		t.Fatalf("want one line saying which variables were ignored, got %q", notes)
	}
	conf, err := os.ReadFile(filepath.Join(dir, "ovh.conf"))
	if err != nil {
		t.Fatal(err)
	}
	for name, value := range env {
		if !strings.Contains(notes[0], name) {
			t.Errorf("%q does not name %s", notes[0], name)
		}
		if strings.Contains(stdout.String()+stderr.String(), value) || strings.Contains(string(conf), value) {
			t.Errorf("the value of %s was shown or used", name)
		}
	}

	// A key given as a flag is refused outright: the sandbox takes no other.
	stderr.Reset()
	if code := runSetup([]string{"--sandbox", "--yes", "--application-key", "flagAK0123", "--out", dir}, strings.NewReader(""), &stdout, &stderr); code != 2 ||
		!strings.Contains(stderr.String(), "--application-key: the sandbox brings its own") {
		t.Errorf("--application-key with --sandbox: exit %d, %s", code, stderr.String())
	}
}

// TestSetupNamesTheBackupOfEachReplacedFile: a second run into the same
// directory replaces every file, ovh.conf included, and the summary says where
// each previous one was kept; the first run, replacing nothing, names none.
func TestSetupNamesTheBackupOfEachReplacedFile(t *testing.T) {
	dir := t.TempDir()
	for run := 1; run <= 2; run++ {
		var stdout, stderr bytes.Buffer
		if code := runSetup([]string{"--sandbox", "--yes", "--out", dir}, strings.NewReader(""), &stdout, &stderr); code != 0 {
			t.Fatalf("run %d: exit %d:\n%s", run, code, stderr.String())
		}
		for _, name := range append([]string{"ovh.conf"}, sandboxOutputs...) {
			path := filepath.Join(dir, name)
			line := path + " (the file it replaced is kept in " + path + ".bak)"
			if strings.Contains(stderr.String(), line) != (run == 2) {
				t.Errorf("run %d: want %q shown: %v", run, line, run == 2)
			}
			if _, err := os.Stat(path + ".bak"); (err == nil) != (run == 2) {
				t.Errorf("run %d: %s.bak: %v", run, path, err)
			}
		}
	}
}
