package main

import (
	"os"
	"strings"
	"testing"
)

// Item 9: an ovh.conf others can read is a warning for the agent (which
// fences on), a failure for check, and a refusal for the wizard.
func TestOVHConfPermissions(t *testing.T) {
	env := newSimEnv(t)
	if err := os.Chmod(env.conf, 0o644); err != nil {
		t.Fatal(err)
	}
	res := env.run(t, env.stdin("monitor", env.servers[0]))
	if res.code != 0 || !strings.Contains(res.stderr, "WARNING: "+env.conf+" is readable or writable by group or others (mode 0644)") {
		t.Errorf("agent: exit %d, want 0 and a warning; stderr:\n%s", res.code, res.stderr)
	}
	clearOVHEnv(t)
	res = runInProcess("check", "--config", env.conf, "--server", strings.Join(env.servers, ","))
	if res.code != 1 || !strings.Contains(res.stdout, "FAIL: "+env.conf+" is readable") || strings.Contains(res.stdout, "OK") {
		t.Errorf("check: exit %d, want 1 and a FAIL line; stdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	res = runInProcess("setup", "--plain", "--config", env.conf, "--target", "pcs", "--out", t.TempDir())
	if res.code == 0 || !strings.Contains(res.stderr, "is readable or writable by group or others") {
		t.Errorf("setup: exit %d, want a refusal; stderr:\n%s", res.code, res.stderr)
	}
	assertNoSecret(t, res, env.secret, env.ck)
	if err := os.Chmod(env.conf, 0o600); err != nil {
		t.Fatal(err)
	}
	if res := runInProcess("check", "--config", env.conf, "--server", strings.Join(env.servers, ",")); res.code != 0 {
		t.Errorf("check of a 0600 ovh.conf: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
}
