package ovhapi

import "github.com/ovhfence/ovhfence/atomicfile"

// ConfigFileMode keeps the credentials file readable by root only (DESIGN.md D4).
const ConfigFileMode = 0o600

// WriteConfigFile stores cfg at path in ovh.conf's format, mode 0600, through
// atomicfile, keeping a numbered backup (at most 0600) of a file it replaces.
// Keys that the file could not hold as they are (CheckKeyText) are refused.
func WriteConfigFile(path string, cfg Config) (atomicfile.Written, error) {
	if err := CheckKeyText(cfg); err != nil {
		return atomicfile.Written{}, err
	}
	return atomicfile.Write(path, FormatConfigFile(cfg), atomicfile.Options{Mode: ConfigFileMode, Backup: true})
}
