package main

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"testing"

	"github.com/ovhfence/ovhfence/version"
)

// TestVersionLine: `ovhfence --version`, `ovhfence version` and `fence_ovh -V`
// print the same one line. That the Makefile stamps the right commit is checked by
// test/package/run.sh (go build records none in a git worktree).
func TestVersionLine(t *testing.T) {
	ovhfence := filepath.Join(filepath.Dir(fenceOVH), "ovhfence")
	var lines []string
	for _, argv := range [][]string{{ovhfence, "--version"}, {ovhfence, "version"}, {fenceOVH, "-V"}, {fenceOVH, "--version"}} {
		out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %v\n%s", argv, err, out)
		}
		lines = append(lines, string(out))
	}
	for _, line := range lines[1:] {
		if line != lines[0] {
			t.Fatalf("the version lines differ: %q", lines)
		}
	}
	want := regexp.MustCompile(`^ovhfence ` + regexp.QuoteMeta(version.Number) + ` \(commit ([0-9a-f]{7}(-dirty)?|unknown), ` +
		regexp.QuoteMeta(runtime.Version()) + `\)\n$`)
	if !want.MatchString(lines[0]) {
		t.Fatalf("version line %q, want %s", lines[0], want)
	}
}
