package render

import (
	"github.com/ovhfence/ovhfence/atomicfile"
	"github.com/ovhfence/ovhfence/ovhapi"
)

// OVHConfMode keeps the credentials file readable by root only (DESIGN.md D4).
const OVHConfMode = 0o600

// OVHConf is the credentials file the agent reads through its ovh_config parameter.
func OVHConf(cfg ovhapi.Config) []byte {
	return ovhapi.FormatConfigFile(cfg)
}

// WriteOVHConf stores cfg at path, mode 0600, through atomicfile, keeping a
// numbered backup (at most 0600) of a file it replaces. Keys that the file
// could not hold as they are (ovhapi.CheckKeyText) are refused.
func WriteOVHConf(path string, cfg ovhapi.Config) (atomicfile.Written, error) {
	if err := ovhapi.CheckKeyText(cfg); err != nil {
		return atomicfile.Written{}, err
	}
	return atomicfile.Write(path, OVHConf(cfg), atomicfile.Options{Mode: OVHConfMode, Backup: true})
}
