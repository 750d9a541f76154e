package atomicfile

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Rule 1 and 5: whole replacement, a backup narrowed to the new mode.
func TestWrite(t *testing.T) {
	tests := []struct {
		name       string
		existing   []byte // nil: no file before
		oldMode    fs.FileMode
		opts       Options
		wantBackup []byte // nil: no .bak expected
		backupMode fs.FileMode
	}{
		{name: "new file", opts: Options{Mode: 0o600, Backup: true}},
		{name: "replace with backup", existing: []byte("old\n"), oldMode: 0o640,
			opts: Options{Mode: 0o640, Backup: true}, wantBackup: []byte("old\n"), backupMode: 0o640},
		{name: "backup never wider than the new file", existing: []byte("old\n"), oldMode: 0o666,
			opts: Options{Mode: 0o600, Backup: true}, wantBackup: []byte("old\n"), backupMode: 0o600},
		{name: "replace without backup", existing: []byte("old\n"), oldMode: 0o644, opts: Options{Mode: 0o755}},
		{name: "mode wider than umask allows", opts: Options{Mode: 0o666}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "f.conf")
			if tt.existing != nil {
				writePlain(t, path, string(tt.existing), tt.oldMode)
			}
			w, err := Write(path, []byte("new\n"), tt.opts)
			if err != nil {
				t.Fatalf("Write: %v", err)
			}
			assertFile(t, path, "new\n", tt.opts.Mode)
			if tt.wantBackup != nil {
				if w.Backup != BackupName(path, 0) {
					t.Errorf("Written.Backup = %q, want %q", w.Backup, BackupName(path, 0))
				}
				assertFile(t, BackupName(path, 0), string(tt.wantBackup), tt.backupMode)
			} else if _, err := os.Stat(BackupName(path, 0)); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("unexpected backup file: %v", err)
			}
			if tt.wantBackup != nil {
				assertOnly(t, dir, "f.conf", "f.conf.bak")
			} else {
				assertOnly(t, dir, "f.conf")
			}
		})
	}
}

func TestWriteMissingDirWritesNothing(t *testing.T) {
	dir := t.TempDir()
	if _, err := Write(filepath.Join(dir, "nope", "f.conf"), []byte("x"), Options{Mode: 0o600}); err == nil {
		t.Fatal("Write into a missing directory succeeded")
	}
	assertOnly(t, dir)
}

// Rule 5: a second and third run never overwrite the first backup.
func TestBackupsAreNumberedNeverOverwritten(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ovh.conf")
	for _, content := range []string{"one", "two", "three", "four"} {
		if _, err := Write(path, []byte(content), Options{Mode: 0o600, Backup: true}); err != nil {
			t.Fatal(err)
		}
	}
	for n, want := range []string{"one", "two", "three"} {
		assertFile(t, BackupName(path, n), want, 0o600)
	}
	assertOnly(t, dir, "ovh.conf", "ovh.conf.bak", "ovh.conf.bak.1", "ovh.conf.bak.2")
}

// Rules 4 and 5: a link planted where the backup goes is neither followed nor replaced.
func TestBackupIgnoresPlantedLink(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ovh.conf")
	victim := filepath.Join(dir, "victim")
	writePlain(t, victim, "victim", 0o644)
	writePlain(t, path, "secret", 0o600)
	if err := os.Symlink(victim, BackupName(path, 0)); err != nil {
		t.Fatal(err)
	}
	w, err := Write(path, []byte("new"), Options{Mode: 0o600, Backup: true})
	if err != nil {
		t.Fatal(err)
	}
	assertFile(t, victim, "victim", 0o644)
	if w.Backup != BackupName(path, 1) {
		t.Errorf("backup went to %q, want %q", w.Backup, BackupName(path, 1))
	}
	assertFile(t, BackupName(path, 1), "secret", 0o600)
}

// Rule 4: the create primitive never opens an existing name nor a link.
func TestCreateExclusiveRefusesExistingAndLinks(t *testing.T) {
	dir := t.TempDir()
	existing, link := filepath.Join(dir, "existing"), filepath.Join(dir, "link")
	writePlain(t, existing, "x", 0o600)
	if err := os.Symlink(filepath.Join(dir, "absent"), link); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{existing, link} {
		if f, err := createExclusive(name); err == nil {
			f.Close()
			t.Errorf("createExclusive(%s) opened it", name)
		}
	}
	if _, err := os.Lstat(filepath.Join(dir, "absent")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the dangling link's target was created")
	}
}

// Rule 2: what Resolve makes of every kind of path.
func TestResolve(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	regular := filepath.Join(dir, "regular")
	writePlain(t, regular, "x", 0o600)
	tests := []struct {
		path string
		kind Kind
		err  error // nil: accepted
	}{
		{"-", Stdout, nil},
		{"/dev/stdout", Stdout, nil},
		{"/dev/stderr", Stderr, nil},
		{"/dev/null", Discard, nil},
		{regular, File, nil},
		{filepath.Join(dir, "absent"), File, nil},
		{fifo, 0, ErrNotRegular},
		{dir, 0, ErrNotRegular},
		{"/dev/zero", 0, ErrNotRegular},
		{"/dev/tty", 0, ErrNotRegular},
		{filepath.Join(dir, "missing", "f"), 0, fs.ErrNotExist},
	}
	for _, tt := range tests {
		d, err := Resolve(tt.path)
		switch {
		case tt.err == nil && err != nil:
			t.Errorf("Resolve(%s): %v", tt.path, err)
		case tt.err != nil && !errors.Is(err, tt.err):
			t.Errorf("Resolve(%s) = %v, %v; want %v", tt.path, d, err, tt.err)
		case tt.err == nil && d.Kind != tt.kind:
			t.Errorf("Resolve(%s).Kind = %v, want %v", tt.path, d.Kind, tt.kind)
		}
	}
}

// Rule 2: Write never replaces nor hangs on a FIFO, a device, /dev/null or a directory.
func TestWriteRefusesNonRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{fifo, dir, "/dev/null", "/dev/zero", "-", "/dev/stdout"} {
		done := make(chan error, 1)
		go func() {
			_, err := Write(path, []byte("script"), Options{Mode: 0o755, Backup: true})
			done <- err
		}()
		select {
		case err := <-done:
			if !errors.Is(err, ErrNotRegular) {
				t.Errorf("Write(%s) = %v, want ErrNotRegular", path, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("Write(%s) hangs", path)
		}
	}
	for _, dev := range []string{"/dev/null", "/dev/zero"} {
		if info, err := os.Lstat(dev); err != nil || info.Mode()&fs.ModeCharDevice == 0 {
			t.Errorf("%s is no longer a character device: %v %v", dev, info.Mode(), err)
		}
		if _, err := os.Lstat(dev + ".bak"); err == nil {
			t.Errorf("%s.bak was made", dev)
		}
	}
	assertOnly(t, dir, "fifo")
}

func TestDestinationWrite(t *testing.T) {
	for _, tt := range []struct{ path, stdout, stderr string }{
		{"-", "data", ""}, {"/dev/stdout", "data", ""}, {"/dev/stderr", "", "data"}, {"/dev/null", "", ""},
	} {
		d, err := Resolve(tt.path)
		if err != nil {
			t.Fatal(err)
		}
		var stdout, stderr bytes.Buffer
		if _, err := d.Write([]byte("data"), Options{Mode: 0o600}, &stdout, &stderr); err != nil {
			t.Fatal(err)
		}
		if stdout.String() != tt.stdout || stderr.String() != tt.stderr {
			t.Errorf("%s: stdout %q stderr %q, want %q %q", tt.path, stdout.String(), stderr.String(), tt.stdout, tt.stderr)
		}
	}
}

// Rule 6: only this package's own temporary files, and only old ones, are removed.
func TestStaleTempsRemoved(t *testing.T) {
	dir := t.TempDir()
	old, fresh := filepath.Join(dir, ".f.conf.ovhfence-tmp-0123456789abcdef"), filepath.Join(dir, ".other.ovhfence-tmp-fedcba9876543210")
	foreign := filepath.Join(dir, ".f.conf.tmp123456")
	for _, p := range []string{old, fresh, foreign} {
		writePlain(t, p, "partial", 0o600)
	}
	twoHoursAgo := time.Now().Add(-2 * time.Hour)
	for _, p := range []string{old, foreign} {
		if err := os.Chtimes(p, twoHoursAgo, twoHoursAgo); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Write(filepath.Join(dir, "f.conf"), []byte("x"), Options{Mode: 0o600}); err != nil {
		t.Fatal(err)
	}
	assertOnly(t, dir, "f.conf", filepath.Base(fresh), filepath.Base(foreign))
}

// Rule 7: appending never follows a link, creates 0600, refuses non-regular files.
func TestOpenAppend(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "debug.log")
	f, err := OpenAppend(path)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("one\n")
	f.Close()
	f, err = OpenAppend(path)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("two\n")
	f.Close()
	assertFile(t, path, "one\ntwo\n", 0o600)

	victim := filepath.Join(dir, "shadow")
	writePlain(t, victim, "root:x", 0o600)
	link := filepath.Join(dir, "link.log")
	if err := os.Symlink(victim, link); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{link, fifo, dir, "/dev/null"} {
		if f, err := OpenAppend(bad); err == nil {
			f.Close()
			t.Errorf("OpenAppend(%s) opened it", bad)
		}
	}
	assertFile(t, victim, "root:x", 0o600)
}

func writePlain(t *testing.T, path, content string, mode fs.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

// assertOnly checks that dir holds exactly names: no temporary file left behind.
func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	names = slices.Sorted(slices.Values(names))
	if strings.Join(got, " ") != strings.Join(names, " ") {
		t.Errorf("%s holds %q, want %q", dir, got, names)
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
	info, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != mode {
		t.Errorf("%s mode = %v, want %v", path, info.Mode().Perm(), mode)
	}
}
