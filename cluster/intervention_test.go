package cluster

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNoInterventionRoundTrips(t *testing.T) {
	c, err := Load(examplePath("two-node.cluster"))
	if err != nil {
		t.Fatal(err)
	}
	for _, value := range []string{NoInterventionSet, NoInterventionUnchanged, ""} {
		c.NoIntervention = value
		path := filepath.Join(t.TempDir(), "c.cluster")
		if err := os.WriteFile(path, Format(c), 0o644); err != nil {
			t.Fatal(err)
		}
		back, err := Load(path)
		if err != nil || back.NoIntervention != value {
			t.Fatalf("%q: read back %+v, %v", value, back, err)
		}
		if has := strings.Contains(string(Format(c)), "no_intervention"); has != (value != "") {
			t.Errorf("%q: no_intervention written: %v", value, has)
		}
	}
	path := filepath.Join(t.TempDir(), "bad.cluster")
	bad := strings.Replace(string(Format(c)), "power_timeout", "no_intervention = maybe\npower_timeout", 1)
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), `no_intervention: "maybe": use set or unchanged`) {
		t.Fatalf("bad value: %v", err)
	}
}
