// Package atomicfile is ovhfence's one write path (DESIGN.md D8). Its contract,
// each rule tested in atomicfile_test.go:
//
//  1. A file is replaced whole: a temporary file in the same directory is
//     written, chmod'ed, fsync'ed and renamed over it, then the directory is
//     fsync'ed. A crash, a kill -9, a full or a read-only file system leaves the
//     old content or the new one, never a torn file; on an error the old file is
//     untouched and the temporary file removed.
//  2. "-", /dev/stdout and /dev/stderr are streams and /dev/null discards; any
//     other path that exists and is not a regular file (a device, a FIFO, a
//     directory, a socket) is refused, by Resolve, before the caller does any work.
//  3. A symbolic link is followed only when the link, its target and every
//     directory on both paths are owned by root or the running user and not
//     writable by group or others; the target is then replaced in its own
//     directory and the link stays. Any other link is refused.
//  4. Temporary files and backups are created exclusively (O_EXCL) and without
//     following links (O_NOFOLLOW), mode 0600 until the content is complete.
//  5. A backup never overwrites anything: the first is "<file>.bak", later ones
//     "<file>.bak.1", "<file>.bak.2"…; content and mode come from one open file,
//     and its mode is the old mode narrowed to the new file's (a 0644 ovh.conf
//     is backed up 0600).
//  6. This package's own temporary files older than an hour in the target
//     directory, left by a kill, are removed.
//  7. Appending (debug files) opens the path without following links, creates
//     it 0600, and refuses what is not a regular file.
package atomicfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Options says how Write treats the file.
type Options struct {
	// Mode is the permission of the new file; it is set with chmod, so the umask does not narrow it.
	Mode fs.FileMode
	// Backup keeps the replaced content, if any, in a new numbered backup (rule 5).
	Backup bool
}

// ErrNotRegular is a path that is neither a regular file nor absent (rule 2).
var ErrNotRegular = errors.New("not a regular file: refusing to replace it")

// ErrUnsafeLink is a symbolic link that is not followed (rule 3).
var ErrUnsafeLink = errors.New("unsafe symbolic link")

// Kind is what a Destination is.
type Kind int

const (
	File    Kind = iota // a regular file, existing or not
	Stdout              // "-" or /dev/stdout
	Stderr              // /dev/stderr
	Discard             // /dev/null
)

// Destination is an output path that Resolve has checked.
type Destination struct {
	Path string // as given
	Kind Kind
	// target is, for a File, the path replaced: Path, or the final target of a safe link.
	target string
}

// Resolve checks path as an output (rules 2 and 3) without writing anything,
// so a command can refuse a bad --out before it calls an API.
func Resolve(path string) (Destination, error) {
	switch path {
	case "-", "/dev/stdout":
		return Destination{Path: path, Kind: Stdout}, nil
	case "/dev/stderr":
		return Destination{Path: path, Kind: Stderr}, nil
	case "/dev/null":
		return Destination{Path: path, Kind: Discard}, nil
	case "":
		return Destination{}, errors.New("empty path")
	}
	target, err := followSafeLinks(path)
	if err != nil {
		return Destination{}, err
	}
	info, err := os.Lstat(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		dir, err := os.Stat(filepath.Dir(target))
		if err != nil {
			return Destination{}, fmt.Errorf("%s: %w", path, err)
		}
		if !dir.IsDir() {
			return Destination{}, fmt.Errorf("%s: %s is not a directory", path, filepath.Dir(target))
		}
	case err != nil:
		return Destination{}, fmt.Errorf("%s: %w", path, err)
	case !info.Mode().IsRegular():
		return Destination{}, fmt.Errorf("%s (%s): %w", path, describe(info.Mode()), ErrNotRegular)
	}
	return Destination{Path: path, Kind: File, target: target}, nil
}

// Write sends data to d: to the stream, nowhere, or into the file by Write.
func (d Destination) Write(data []byte, opts Options, stdout, stderr io.Writer) (Written, error) {
	switch d.Kind {
	case Stdout:
		_, err := stdout.Write(data)
		return Written{}, err
	case Stderr:
		_, err := stderr.Write(data)
		return Written{}, err
	case Discard:
		return Written{}, nil
	}
	return Write(d.Path, data, opts)
}

// Written says where Write put things.
type Written struct {
	Path   string // the file replaced: the path given or a safe link's target; "" for a stream
	Backup string // the backup made of the old content; "" if none
}

// Write stores data in the regular file at path (rules 1, 3–6). A stream or
// /dev/null is refused here: only Destination.Write knows where they go.
func Write(path string, data []byte, opts Options) (Written, error) {
	d, err := Resolve(path)
	if err != nil {
		return Written{}, fmt.Errorf("write %s: %w", path, err)
	}
	if d.Kind != File {
		return Written{}, fmt.Errorf("write %s: %w", path, ErrNotRegular)
	}
	dir := filepath.Dir(d.target)
	removeStaleTemps(dir, time.Now())
	w := Written{Path: d.target}
	if opts.Backup {
		if w.Backup, err = backup(d.target, opts.Mode); err != nil {
			return Written{}, err
		}
	}
	if err := replace(d.target, data, opts.Mode); err != nil {
		if w.Backup != "" {
			os.Remove(w.Backup) // the old content is still in place: its copy is noise
		}
		return Written{}, fmt.Errorf("write %s: %w", path, err)
	}
	return w, syncDir(dir)
}

// replace renames a complete temporary file over target.
func replace(target string, data []byte, mode fs.FileMode) error {
	tmp, err := createTemp(target)
	if err != nil {
		return err
	}
	if err := fill(tmp, data, mode); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// fill writes, chmods, fsyncs and closes f.
func fill(f *os.File, data []byte, mode fs.FileMode) error {
	_, err := f.Write(data)
	if err == nil {
		err = f.Chmod(mode)
	}
	if err == nil {
		err = f.Sync()
	}
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	return err
}

// tempMarker names this package's temporary files: ".<name>.ovhfence-tmp-<16 hex>".
const tempMarker = ".ovhfence-tmp-"

// staleAfter: a temporary file this old is left by a killed run, not a running one.
const staleAfter = time.Hour

func createTemp(target string) (*os.File, error) {
	var random [8]byte
	for range 10 {
		if _, err := rand.Read(random[:]); err != nil {
			return nil, err
		}
		name := filepath.Join(filepath.Dir(target), "."+filepath.Base(target)+tempMarker+hex.EncodeToString(random[:]))
		f, err := createExclusive(name)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, errors.New("no free temporary file name")
}

// createExclusive makes a new file, mode 0600, never following a link nor opening an existing file.
func createExclusive(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, 0o600)
}

func isOwnTemp(name string) bool {
	i := strings.LastIndex(name, tempMarker)
	if !strings.HasPrefix(name, ".") || i <= 1 {
		return false
	}
	suffix := name[i+len(tempMarker):]
	_, err := hex.DecodeString(suffix)
	return len(suffix) == 16 && err == nil
}

// removeStaleTemps deletes this package's temporary files in dir that a killed
// run left (rule 6). It is best effort: a failure leaves them for the next run.
func removeStaleTemps(dir string, now time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !isOwnTemp(e.Name()) || !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err == nil && now.Sub(info.ModTime()) > staleAfter && ownedByUs(info) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// BackupName is the n-th backup of path: "<path>.bak", then "<path>.bak.1"…
func BackupName(path string, n int) string {
	if n == 0 {
		return path + ".bak"
	}
	return path + ".bak." + strconv.Itoa(n)
}

// backup copies target's content into a new backup (rule 5) and returns its
// path, or "" when target does not exist. A copy rather than a rename keeps
// target in place until the new content lands.
func backup(target string, newMode fs.FileMode) (string, error) {
	old, err := os.OpenFile(target, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("back up %s: %w", target, err)
	}
	defer old.Close()
	info, err := old.Stat()
	if err != nil {
		return "", fmt.Errorf("back up %s: %w", target, err)
	}
	if !info.Mode().IsRegular() {
		return "", fmt.Errorf("back up %s: %w", target, ErrNotRegular)
	}
	content, err := io.ReadAll(old)
	if err != nil {
		return "", fmt.Errorf("back up %s: %w", target, err)
	}
	for n := 0; ; n++ {
		name := BackupName(target, n)
		f, err := createExclusive(name)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("back up %s: %w", target, err)
		}
		if err := fill(f, content, info.Mode().Perm()&newMode.Perm()); err != nil {
			os.Remove(name)
			return "", fmt.Errorf("back up %s: %w", target, err)
		}
		return name, nil
	}
}

// OpenAppend opens path for appending (rule 7): created 0600, never through a
// link, refused when it is not a regular file.
func OpenAppend(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0o600)
	if errors.Is(err, syscall.ELOOP) {
		return nil, fmt.Errorf("%s: %w: a debug file is never opened through a link", path, ErrUnsafeLink)
	}
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err == nil && !info.Mode().IsRegular() {
		err = fmt.Errorf("%s (%s): %w", path, describe(info.Mode()), ErrNotRegular)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
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

func describe(mode fs.FileMode) string {
	switch {
	case mode.IsDir():
		return "a directory"
	case mode&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case mode&fs.ModeSocket != 0:
		return "a socket"
	case mode&fs.ModeDevice != 0:
		return "a device"
	case mode&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "not a regular file"
}
