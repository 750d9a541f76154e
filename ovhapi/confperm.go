package ovhapi

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// PermissionError is an ovh.conf others could read or change: it holds a key
// that reboots servers. The agent warns about it, check fails on it, and the
// wizard and keys request refuse it, as ssh refuses a private key others can read.
type PermissionError struct {
	Path    string
	Problem string
}

func (e *PermissionError) Error() string {
	return fmt.Sprintf("%s %s: it holds a key that reboots servers; make it mode 0600, owned by the user running ovhfence (chmod 600 %s)",
		e.Path, e.Problem, e.Path)
}

// pmxcfsPrivate is Proxmox VE's root-only directory on pmxcfs, the FUSE file
// system that replicates /etc/pve: there modes and owners are fixed by
// pmxcfs, not by chmod, and only root can read it (reference/peers-proxmox.md).
const pmxcfsPrivate = "/etc/pve/priv/"

// fuseMagic is the f_type statfs reports for a FUSE file system such as pmxcfs.
const fuseMagic = 0x65735546

// onPmxcfsPrivate says whether path is a file of /etc/pve/priv on pmxcfs; a
// variable so that tests can play Proxmox.
var onPmxcfsPrivate = func(path string) bool {
	real, err := filepath.EvalSymlinks(path)
	if err != nil || !strings.HasPrefix(real, pmxcfsPrivate) {
		return false
	}
	var st syscall.Statfs_t
	return syscall.Statfs(real, &st) == nil && st.Type == fuseMagic
}

// CheckConfigPermissions returns a *PermissionError when the ovh.conf at path
// (its target, if a link) is readable or writable by group or others, or is
// owned by another user than the one running ovhfence. What pmxcfs reports
// for /etc/pve/priv is accepted.
func CheckConfigPermissions(path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	if onPmxcfsPrivate(path) {
		return nil
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return &PermissionError{Path: path, Problem: fmt.Sprintf("is readable or writable by group or others (mode %04o)", perm)}
	}
	if uid, ok := ownerOf(info); ok && uid != os.Geteuid() {
		return &PermissionError{Path: path, Problem: fmt.Sprintf("is owned by uid %d, not by the user running ovhfence (uid %d)", uid, os.Geteuid())}
	}
	return nil
}

func ownerOf(info fs.FileInfo) (int, bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(st.Uid), true
}
