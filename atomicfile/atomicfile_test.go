package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	tests := []struct {
		name       string
		existing   []byte // nil: no file before
		oldMode    fs.FileMode
		opts       Options
		wantBackup []byte // nil: no .bak expected
	}{
		{name: "new file", opts: Options{Mode: 0o600, Backup: true}},
		{name: "replace with backup", existing: []byte("old\n"), oldMode: 0o640,
			opts: Options{Mode: 0o600, Backup: true}, wantBackup: []byte("old\n")},
		{name: "replace without backup", existing: []byte("old\n"), oldMode: 0o644, opts: Options{Mode: 0o755}},
		{name: "mode wider than umask allows", opts: Options{Mode: 0o666}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "f.conf")
			if tt.existing != nil {
				if err := os.WriteFile(path, tt.existing, tt.oldMode); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(path, tt.oldMode); err != nil {
					t.Fatal(err)
				}
			}
			if err := Write(path, []byte("new\n"), tt.opts); err != nil {
				t.Fatalf("Write: %v", err)
			}
			assertFile(t, path, "new\n", tt.opts.Mode)
			if tt.wantBackup != nil {
				assertFile(t, BackupPath(path), string(tt.wantBackup), tt.oldMode)
			} else if _, err := os.Stat(BackupPath(path)); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("unexpected backup file: %v", err)
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if e.Name() != "f.conf" && e.Name() != "f.conf.bak" {
					t.Errorf("left behind: %s", e.Name())
				}
			}
		})
	}
}

func TestWriteMissingDirWritesNothing(t *testing.T) {
	dir := t.TempDir()
	err := Write(filepath.Join(dir, "nope", "f.conf"), []byte("x"), Options{Mode: 0o600})
	if err == nil {
		t.Fatal("Write into a missing directory succeeded")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("files written: %v", entries)
	}
}

func assertFile(t *testing.T, path, want string, mode fs.FileMode) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("%s = %q, want %q", path, got, want)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != mode {
		t.Errorf("%s mode = %v, want %v", path, info.Mode().Perm(), mode)
	}
}
