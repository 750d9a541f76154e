package render

import (
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/cluster"
)

// TestDiffAbsoluteName: an absolute name (setup's --cluster-conf) gets the
// header git diff --no-index prints for it, "a/etc/…", not "a//etc/…".
func TestDiffAbsoluteName(t *testing.T) {
	got := Diff("/etc/pve/cluster.conf", []byte("a\n"), []byte("b\n"))
	if want := "--- a/etc/pve/cluster.conf\n+++ b/etc/pve/cluster.conf\n"; !strings.HasPrefix(got, want) {
		t.Errorf("header:\n%s\nwant it to start with:\n%s", got, want)
	}
}

func TestDiff(t *testing.T) {
	tests := []struct {
		name, old, new, want string
	}{
		{"equal", "a\nb\n", "a\nb\n", ""},
		{"both empty", "", "", ""},
		{"new file", "", "a\nb\n", "--- a/f\n+++ b/f\n@@ -0,0 +1,2 @@\n+a\n+b\n"},
		{"file emptied", "a\n", "", "--- a/f\n+++ b/f\n@@ -1,1 +0,0 @@\n-a\n"},
		{"one line changed", "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nV\n6\n7\n8\n9\n",
			"--- a/f\n+++ b/f\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+V\n 6\n 7\n 8\n"},
		{"far apart changes make two hunks", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "X\n2\n3\n4\n5\n6\n7\n8\n9\nY\n",
			"--- a/f\n+++ b/f\n@@ -1,4 +1,4 @@\n-1\n+X\n 2\n 3\n 4\n@@ -7,4 +7,4 @@\n 7\n 8\n 9\n-10\n+Y\n"},
		{"missing final newline", "a\n", "a\nb", "--- a/f\n+++ b/f\n@@ -1,1 +1,2 @@\n a\n+b\n\\ No newline at end of file\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Diff("f", []byte(tt.old), []byte(tt.new)); got != tt.want {
				t.Errorf("Diff =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestDiffIsShortest checks on random inputs that the edits rebuild both sides and
// that their number is the minimum, n + m - 2·LCS.
func TestDiffIsShortest(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	randomLines := func() []string {
		lines := make([]string, rng.Intn(12))
		for i := range lines {
			lines[i] = string(rune('a'+rng.Intn(3))) + "\n"
		}
		return lines
	}
	for i := 0; i < 2000; i++ {
		a, b := randomLines(), randomLines()
		var gotA, gotB []string
		changes := 0
		for _, e := range lineEdits(a, b) {
			if e.op != opInsert {
				gotA = append(gotA, e.line)
			}
			if e.op != opDelete {
				gotB = append(gotB, e.line)
			}
			if e.op != opEqual {
				changes++
			}
		}
		if strings.Join(gotA, "") != strings.Join(a, "") || strings.Join(gotB, "") != strings.Join(b, "") {
			t.Fatalf("edits do not rebuild %q -> %q", a, b)
		}
		if want := len(a) + len(b) - 2*lcsLength(a, b); changes != want {
			t.Fatalf("%q -> %q: %d changes, shortest is %d", a, b, changes, want)
		}
	}
}

func lcsLength(a, b []string) int {
	table := make([][]int, len(a)+1)
	for i := range table {
		table[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				table[i][j] = table[i+1][j+1] + 1
			} else {
				table[i][j] = max(table[i+1][j], table[i][j+1])
			}
		}
	}
	return table[0][0]
}

// TestDiffMatchesGNUDiff compares the diff of a real merge with diff -u's.
func TestDiffMatchesGNUDiff(t *testing.T) {
	diffTool, err := exec.LookPath("diff")
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("GNU diff is not installed; CI installs it and runs this check")
		}
		t.Fatal("diff not found, and CI is set")
	}
	old := readFixture(t)
	merged := mustMerge(t, loadExample(t, "three-node", cluster.FenceRescue), old)
	dir := t.TempDir()
	oldPath, newPath := filepath.Join(dir, "old"), filepath.Join(dir, "new")
	if err := os.WriteFile(oldPath, old, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(newPath, merged, 0o600); err != nil {
		t.Fatal(err)
	}
	want, _ := exec.Command(diffTool, "-u", "--label", "a/cluster.conf", "--label", "b/cluster.conf", oldPath, newPath).Output()
	if got := Diff("cluster.conf", old, merged); got != string(want) {
		t.Errorf("Diff:\n%s\ndiff -u:\n%s", got, want)
	}
}

func TestClusterConfDiffMasksSecrets(t *testing.T) {
	old := []byte("<fencedevice agent=\"fence_ovh\" login=\"ab12345-ovh\"\n passwd=\"TOPSECRET\" name=\"fence01\" consumer_key='CK123456789'/>\n")
	merged := []byte("<fencedevice agent=\"fence_ovh\" name=\"fence01\" ovh_config=\"/etc/pve/priv/ovh.conf\"/>\n")
	diff := ClusterConfDiff("cluster.conf", old, merged)
	if strings.Contains(diff, "TOPSECRET") || strings.Contains(diff, "CK123456789") {
		t.Fatalf("a secret is in the diff:\n%s", diff)
	}
	if !strings.Contains(diff, `- passwd="****"`) || !strings.Contains(diff, `login="ab12345-ovh"`) || !strings.Contains(diff, `+<fencedevice agent="fence_ovh" name="fence01" ovh_config=`) {
		t.Fatalf("the diff lost what is not secret:\n%s", diff)
	}
}
