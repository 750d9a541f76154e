package ovhapi

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteConfigFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ovh.conf")
	cfg := Config{Endpoint: "ovh-ca", ApplicationKey: "AK1", ApplicationSecret: "AS1", ConsumerKey: "CK1"}
	for _, c := range []Config{cfg, {Endpoint: "ovh-ca", ApplicationKey: "AK2", ApplicationSecret: "AS2", ConsumerKey: "CK2"}} {
		if _, err := WriteConfigFile(path, c); err != nil {
			t.Fatal(err)
		}
	}
	for file, wantKey := range map[string]string{path: "AK2", path + ".bak": "AK1"} {
		info, err := os.Stat(file)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s mode = %v, want 0600", file, info.Mode().Perm())
		}
		back, err := LoadConfigFile(file, "")
		if err != nil {
			t.Fatal(err)
		}
		if back.ApplicationKey != wantKey || back.Endpoint != "ovh-ca" {
			t.Errorf("%s read back as AK=%s endpoint=%s, want AK=%s ovh-ca", file, back.ApplicationKey, back.Endpoint, wantKey)
		}
	}
}
