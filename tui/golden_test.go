package tui

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// checkGolden compares a view with testdata/<name>.golden, or rewrites it with -update.
// The golden files double as text screenshots of every step, for review.
func checkGolden(t *testing.T, name, view string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(view), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != view {
		t.Errorf("view %s differs from %s:\n--- got ---\n%s\n--- want ---\n%s", name, path, view, want)
	}
}

// checkFits asserts the view fits the terminal: at most height lines of at most width columns.
func checkFits(t *testing.T, name, view string, width, height int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) > height {
		t.Errorf("%s: %d lines, more than %d", name, len(lines), height)
	}
	for i, l := range lines {
		if w := len([]rune(l)); w > width {
			t.Errorf("%s: line %d is %d columns wide: %q", name, i+1, w, l)
		}
	}
}
