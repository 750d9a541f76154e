package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// trustedDir is a directory whose every ancestor is owned by root or this user
// and not writable by others: t.TempDir() lives under /tmp (mode 1777), where
// no link may be followed, and so may the checkout (CI clones anywhere). The
// first trusted parent of the package directory, the home directory and / is used.
func trustedDir(t *testing.T) string {
	t.Helper()
	var problems []string
	for _, parent := range trustedDirCandidates() {
		abs, err := filepath.Abs(parent)
		if err == nil {
			err = trustedDirs(abs)
		}
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		dir, err := os.MkdirTemp(abs, "ovhfence-testlinks")
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		t.Cleanup(func() { os.RemoveAll(dir) })
		return dir
	}
	skipOutsideCI(t, "no trusted directory for the link tests: "+strings.Join(problems, "; "))
	return ""
}

func trustedDirCandidates() []string {
	candidates := []string{"."}
	if home, err := os.UserHomeDir(); err == nil {
		candidates = append(candidates, home)
	}
	return append(candidates, "/")
}

// Rule 3: /etc/ovh.conf -> /etc/pve/priv/ovh.conf is written through, and stays a link.
func TestWriteThroughSafeLinkKeepsIt(t *testing.T) {
	root := trustedDir(t)
	etc, priv := filepath.Join(root, "etc"), filepath.Join(root, "pve", "priv")
	for _, d := range []string{etc, priv} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	target := filepath.Join(priv, "ovh.conf")
	writePlain(t, target, "old key", 0o600)
	link := filepath.Join(etc, "ovh.conf")
	if err := os.Symlink("../pve/priv/ovh.conf", link); err != nil {
		t.Fatal(err)
	}
	w, err := Write(link, []byte("new key"), Options{Mode: 0o600, Backup: true})
	if err != nil {
		t.Fatal(err)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v %v", info.Mode(), err)
	}
	assertFile(t, target, "new key", 0o600)
	if w.Path != target || w.Backup != BackupName(target, 0) {
		t.Errorf("Written = %+v, want the target and its backup beside it", w)
	}
	assertFile(t, BackupName(target, 0), "old key", 0o600)
	assertOnly(t, etc, "ovh.conf")
}

// Rule 3: every way a link can be planted or redirected by someone else is refused,
// and nothing is written anywhere.
func TestUnsafeLinksRefused(t *testing.T) {
	const nobody = 65534
	tests := []struct {
		name  string
		setup func(t *testing.T, linkDir, targetDir, target string)
	}{
		{"link in a world-writable directory", func(t *testing.T, linkDir, _, _ string) { chmod(t, linkDir, 0o777) }},
		{"link in a group-writable directory", func(t *testing.T, linkDir, _, _ string) { chmod(t, linkDir, 0o775) }},
		{"target in a world-writable directory", func(t *testing.T, _, targetDir, _ string) { chmod(t, targetDir, 0o1777) }},
		{"target writable by others", func(t *testing.T, _, _, target string) { chmod(t, target, 0o666) }},
		{"target owned by another user", func(t *testing.T, _, _, target string) { chown(t, target, nobody) }},
		{"target directory owned by another user", func(t *testing.T, _, targetDir, _ string) { chown(t, targetDir, nobody) }},
		{"link owned by another user", func(t *testing.T, linkDir, _, _ string) {
			if err := os.Lchown(filepath.Join(linkDir, "out"), nobody, nobody); err != nil {
				skipOutsideCI(t, "lchown needs root: "+err.Error())
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := trustedDir(t)
			linkDir, targetDir := filepath.Join(root, "links"), filepath.Join(root, "secret")
			for _, d := range []string{linkDir, targetDir} {
				if err := os.Mkdir(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			target := filepath.Join(targetDir, "shadow")
			writePlain(t, target, "root only", 0o600)
			if err := os.Symlink(target, filepath.Join(linkDir, "out")); err != nil {
				t.Fatal(err)
			}
			tt.setup(t, linkDir, targetDir, target)
			_, err := Write(filepath.Join(linkDir, "out"), []byte("attacker's"), Options{Mode: 0o644, Backup: true})
			if !errors.Is(err, ErrUnsafeLink) {
				t.Fatalf("Write = %v, want ErrUnsafeLink", err)
			}
			if got, _ := os.ReadFile(target); string(got) != "root only" {
				t.Errorf("the target was written: %q", got)
			}
			assertOnly(t, linkDir, "out")
			assertOnly(t, targetDir, "shadow")
		})
	}
}

func TestLinkLoopRefused(t *testing.T) {
	root := trustedDir(t)
	a, b := filepath.Join(root, "a"), filepath.Join(root, "b")
	if err := os.Symlink(b, a); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(a, b); err != nil {
		t.Fatal(err)
	}
	if _, err := Resolve(a); !errors.Is(err, ErrUnsafeLink) {
		t.Errorf("Resolve(loop) = %v", err)
	}
}

func chmod(t *testing.T, path string, mode fs.FileMode) {
	t.Helper()
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

func chown(t *testing.T, path string, uid int) {
	t.Helper()
	if err := os.Chown(path, uid, uid); err != nil {
		skipOutsideCI(t, "chown needs root: "+err.Error())
	}
}
