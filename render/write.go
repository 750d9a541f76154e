package render

import (
	"io/fs"

	"github.com/ovhfence/ovhfence/atomicfile"
)

// ClusterConfNewName is the file Proxmox VE 3 activates from the HA tab (reference/peers-proxmox.md §1.2).
const ClusterConfNewName = "cluster.conf.new"

// File modes of what ovhfence renders besides ovh.conf: none of these holds a secret.
const (
	ClusterConfMode fs.FileMode = 0o640
	ScriptMode      fs.FileMode = 0o755
	CrmFileMode     fs.FileMode = 0o644
)

// WriteFile stores a rendered file through atomicfile with mode, keeping a numbered backup of a file it replaces.
func WriteFile(path string, data []byte, mode fs.FileMode) error {
	_, err := atomicfile.Write(path, data, atomicfile.Options{Mode: mode, Backup: true})
	return err
}
