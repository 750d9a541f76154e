// Package atomicfile replaces files so that a crash or a power cut leaves either the
// old content or the new one, never a torn file (DESIGN.md D8).
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// Options says how Write treats the file.
type Options struct {
	// Mode is the permission of the new file; it is set with chmod, so the umask does not narrow it.
	Mode fs.FileMode
	// Backup keeps the replaced content, if any, as "<path>.bak" with its old mode.
	Backup bool
}

// BackupPath is where Write keeps the previous content of path.
func BackupPath(path string) string { return path + ".bak" }

// Write stores data at path: a temporary file in the same directory is written,
// chmod'ed, fsync'ed and renamed over path, then the directory is fsync'ed so the
// rename itself survives a crash.
func Write(path string, data []byte, opts Options) error {
	if opts.Backup {
		if err := backup(path); err != nil {
			return err
		}
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	committed := false
	defer func() {
		if !committed {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(opts.Mode); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	committed = true
	return syncDir(dir)
}

// backup copies the current content of path to its .bak, itself atomically. A
// copy rather than a rename keeps path in place until the new content lands.
func backup(path string) error {
	old, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("back up %s: %w", path, err)
	}
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("back up %s: %w", path, err)
	}
	return Write(BackupPath(path), old, Options{Mode: info.Mode().Perm()})
}

// syncDir makes a rename in dir durable. Some file systems (FUSE ones such as
// Proxmox's /etc/pve among them) cannot fsync a directory; the rename is then as
// durable as they make it, which is not an error.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	defer d.Close()
	err = d.Sync()
	if err == nil || errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP) || errors.Is(err, syscall.ENOSYS) {
		return nil
	}
	return fmt.Errorf("sync %s: %w", dir, err)
}
