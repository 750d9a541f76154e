package agent

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

func TestLoggerMasksSecretsAndFormatsLikeFenceAgents(t *testing.T) {
	var stderr bytes.Buffer
	l := &logger{stderr: &stderr, verbose: true}
	secret := "9ufkBmLaTQ9nz5yMUlg79taH0GNnzDjk"
	l.hide(secret)
	l.hide("x") // too short to be an OVH key: masking it would garble every line
	l.debugf("signing with %s", secret)
	l.failed("the key " + secret + " was refused")
	out := stderr.String()
	if strings.Contains(out, secret) || strings.Count(out, "****") != 2 {
		t.Fatalf("secret not masked:\n%s", out)
	}
	line := regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|ERROR): `)
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if !line.MatchString(l) {
			t.Errorf("line %q is not in fence-agents' format", l)
		}
	}
	if !strings.Contains(out, "ERROR: Failed: the key **** was refused") {
		t.Errorf("no Failed line:\n%s", out)
	}
}

func TestLoggerQuietAndNotVerbose(t *testing.T) {
	var stderr bytes.Buffer
	l := &logger{verbose: false}
	l.debugf("hidden")
	l.warnf("also hidden: quiet")
	if stderr.Len() != 0 {
		t.Fatalf("quiet logger wrote %q", stderr.String())
	}
	l = &logger{stderr: &stderr}
	l.debugf("debug without verbose")
	l.warnf("a warning")
	if out := stderr.String(); strings.Contains(out, "debug without verbose") || !strings.Contains(out, "WARNING: a warning") {
		t.Fatalf("not verbose: %q", out)
	}
}
