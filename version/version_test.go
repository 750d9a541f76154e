package version

import (
	"regexp"
	"testing"
)

// debianUpstream is Debian policy §5.6.12's upstream_version without an epoch
// or a revision: it starts with a digit and uses only these characters.
var debianUpstream = regexp.MustCompile(`^[0-9][A-Za-z0-9.+~]*$`)

func TestNumberIsADebianVersion(t *testing.T) {
	if !debianUpstream.MatchString(Number) {
		t.Errorf("Number %q is not a Debian upstream version; dpkg-deb would refuse the package", Number)
	}
}

func TestString(t *testing.T) {
	line := regexp.MustCompile(`^ovhfence [0-9][A-Za-z0-9.+~]* \(commit ([0-9a-f]{7}(-dirty)?|unknown), go[0-9][^ ()]*\)$`)
	if got := String(); !line.MatchString(got) {
		t.Errorf("String() = %q, want one line like %q", got, "ovhfence 0.2.0 (commit abc1234, go1.23.12)")
	}
	defer func(saved string) { commit = saved }(commit)
	commit = "abc1234"
	if got := Commit(); got != "abc1234" {
		t.Errorf("a stamped commit must win: Commit() = %q", got)
	}
}
