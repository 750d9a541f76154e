package render

import "io/fs"

// ClusterConfNewName is the file Proxmox VE 3 activates from the HA tab (reference/peers-proxmox.md §1.2).
const ClusterConfNewName = "cluster.conf.new"

// File modes of what ovhfence renders besides ovh.conf: none of these holds a secret.
const (
	ClusterConfMode fs.FileMode = 0o640
	ScriptMode      fs.FileMode = 0o755
	CrmFileMode     fs.FileMode = 0o644
)
