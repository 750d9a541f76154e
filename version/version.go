// Package version is ovhfence's one version: `ovhfence --version` and
// `fence_ovh -V` print it, and the Makefile names the Debian package after what
// the built binary prints, so the two cannot disagree.
package version

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// Number is the release. Debian orders versions, so it must stay a valid
// Debian upstream version (version_test.go checks).
const Number = "0.2.0"

// commit is stamped at link time by the Makefile:
// -ldflags "-X github.com/ovhfence/ovhfence/version.commit=abc1234".
var commit string

// Commit is the source commit: the stamped one, else the one `go build` records
// from a git checkout, else "unknown" (a tarball build, or a test binary).
func Commit() string {
	if commit != "" {
		return commit
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	var revision, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if revision == "" {
		return "unknown"
	}
	if len(revision) > 7 {
		revision = revision[:7]
	}
	if modified == "true" {
		revision += "-dirty"
	}
	return revision
}

// String is the one line --version prints, e.g. "ovhfence 0.2.0 (commit abc1234, go1.23.12)".
func String() string {
	return fmt.Sprintf("ovhfence %s (commit %s, %s)", Number, Commit(), runtime.Version())
}
