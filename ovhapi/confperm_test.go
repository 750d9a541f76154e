package ovhapi

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestCheckConfigPermissions(t *testing.T) {
	tests := []struct {
		mode    fs.FileMode
		owner   int // -1: the running user
		pmxcfs  bool
		wantErr bool
	}{
		{0o600, -1, false, false},
		{0o400, -1, false, false},
		{0o640, -1, false, true},
		{0o604, -1, false, true},
		{0o620, -1, false, true},
		{0o666, -1, false, true},
		{0o600, 65534, false, true},
		{0o640, -1, true, false}, // pmxcfs reports its own modes for /etc/pve/priv
		{0o600, 33, true, false}, // and its own owners (www-data's group, root or not)
	}
	real := onPmxcfsPrivate
	t.Cleanup(func() { onPmxcfsPrivate = real })
	for _, tt := range tests {
		path := filepath.Join(t.TempDir(), "ovh.conf")
		if err := os.WriteFile(path, []byte("[default]\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, tt.mode); err != nil {
			t.Fatal(err)
		}
		if tt.owner >= 0 {
			if err := os.Chown(path, tt.owner, tt.owner); err != nil {
				if os.Getenv("CI") != "" {
					t.Fatal(err)
				}
				t.Skipf("chown needs root: %v", err)
			}
		}
		onPmxcfsPrivate = func(string) bool { return tt.pmxcfs }
		err := CheckConfigPermissions(path)
		var permErr *PermissionError
		if tt.wantErr != errors.As(err, &permErr) {
			t.Errorf("mode %04o owner %d pmxcfs %v: %v", tt.mode, tt.owner, tt.pmxcfs, err)
		}
	}
}
