package atomicfile

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// maxLinks bounds a chain of links, as the kernel's ELOOP does.
const maxLinks = 40

// followSafeLinks returns the path Write replaces for path: path itself when it
// is not a link, else the final target of a chain of links that are all safe
// to follow (rule 3). A planted link in a directory others can write to would
// otherwise make root write (or back up) a file of the attacker's choosing.
func followSafeLinks(path string) (string, error) {
	p, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	for hops := 0; hops <= maxLinks; hops++ {
		info, err := os.Lstat(p)
		if err != nil || info.Mode()&fs.ModeSymlink == 0 {
			if hops > 0 {
				if err := trustedTarget(p, info); err != nil {
					return "", fmt.Errorf("%s: %w: %v", path, ErrUnsafeLink, err)
				}
			}
			return p, nil
		}
		if err := trustedDirs(filepath.Dir(p)); err != nil {
			return "", fmt.Errorf("%s: %w: %v", path, ErrUnsafeLink, err)
		}
		if !ownedByUs(info) {
			return "", fmt.Errorf("%s: %w: the link %s is owned by another user", path, ErrUnsafeLink, p)
		}
		dest, err := os.Readlink(p)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(p), dest)
		}
		p = filepath.Clean(dest)
	}
	return "", fmt.Errorf("%s: %w: more than %d links", path, ErrUnsafeLink, maxLinks)
}

// trustedTarget checks a link's final target, info being its Lstat (nil when absent).
func trustedTarget(p string, info fs.FileInfo) error {
	if err := trustedDirs(filepath.Dir(p)); err != nil {
		return err
	}
	if info == nil {
		return nil
	}
	return trusted(p, info)
}

// trustedDirs checks dir and every directory above it, both as written and
// with its own links resolved.
func trustedDirs(dir string) error {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return err
	}
	for _, start := range []string{dir, real} {
		for d := start; ; d = filepath.Dir(d) {
			info, err := os.Stat(d)
			if err != nil {
				return err
			}
			if err := trusted(d, info); err != nil {
				return err
			}
			if d == filepath.Dir(d) {
				break
			}
		}
	}
	return nil
}

// trusted: owned by root or the running user, and not writable by group or others.
func trusted(p string, info fs.FileInfo) error {
	if !ownedByUs(info) {
		return fmt.Errorf("%s is owned by another user", p)
	}
	if info.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("%s is writable by group or others (mode %04o)", p, info.Mode().Perm())
	}
	return nil
}

func ownedByUs(info fs.FileInfo) bool {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return false
	}
	return st.Uid == 0 || int(st.Uid) == os.Getuid()
}
