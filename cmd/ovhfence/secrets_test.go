package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSecretsNeverLeak runs every action at maximum verbosity with a debug file, with
// the keys given both through ovh_config and directly as parameters, plus an unknown
// key and a failing call: the application secret and the consumer key must appear
// nowhere in stdout, stderr or the debug file (DESIGN.md D4).
func TestSecretsNeverLeak(t *testing.T) {
	e := newSimEnv(t)
	s := seed(0)
	debug := filepath.Join(t.TempDir(), "debug.log")
	direct := []string{"application_secret=" + e.secret, "consumer_key=" + e.ck, "login=ignored-ak-is-public", "bogus_option=" + e.secret}
	var everything strings.Builder
	for _, action := range []string{"status", "off", "on", "reboot", "list", "list-status", "monitor", "validate-all", "metadata", "explode"} {
		for _, viaConfig := range []bool{true, false} {
			extra := append(bootParams(s), "verbose=1", "verbose_level=3", "debug_file="+debug)
			if !viaConfig {
				extra = append(extra, direct...)
			}
			res := e.run(t, e.stdin(action, s.Name, extra...))
			everything.WriteString(res.stdout + res.stderr)
			// The same through flags, with -vvv.
			args := []string{"-vvv", "-o", action, "-n", s.Name, "--ovh-config", e.conf, "--endpoint", e.endpoint, "--debug-file", debug, "--stonith-status-sleep", "0.1", "--reboot-time", "0.5"}
			res = e.run(t, "", args...)
			everything.WriteString(res.stdout + res.stderr)
		}
	}
	// A call the key is not granted, whose error comes back from the API.
	res := e.run(t, e.stdin("off", s.Name, "verbose=1", "debug_file="+debug, "fence_mode=poweroff"))
	everything.WriteString(res.stdout + res.stderr)
	if res.code != 1 {
		t.Fatalf("off without power_boot_id and without boot rules should fail, got %d", res.code)
	}

	file, err := os.ReadFile(debug)
	if err != nil {
		t.Fatal(err)
	}
	everything.Write(file)
	out := everything.String()
	if !strings.Contains(out, "DEBUG") || !strings.Contains(out, "Success: Powered OFF") {
		t.Fatalf("the runs did not produce the expected verbose output:\n%.2000s", out)
	}
	for name, secret := range map[string]string{"application secret": e.secret, "consumer key": e.ck} {
		if strings.Contains(out, secret) {
			i := strings.Index(out, secret)
			t.Errorf("the %s leaked: …%s…", name, out[max(0, i-200):i])
		}
	}
}
