package render

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/aymanbagabas/go-udiff/lcs"
)

// diffContext is the number of unchanged lines shown around each change, as in diff -u.
const diffContext = 3

// Diff is a unified diff from old to new of the file name, or "" when they are
// equal. It is shown before a file is replaced, like Proxmox's "Pending changes".
func Diff(name string, old, new []byte) string {
	a, b := splitLines(string(old)), splitLines(string(new))
	edits := lineEdits(a, b)
	var out strings.Builder
	for _, h := range hunks(edits) {
		if out.Len() == 0 {
			fmt.Fprintf(&out, "--- a/%s\n+++ b/%s\n", name, name)
		}
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", hunkRange(h.aStart, h.aLen), hunkRange(h.bStart, h.bLen))
		for _, e := range h.edits {
			out.WriteString(string(e.op) + e.line)
			if !strings.HasSuffix(e.line, "\n") {
				out.WriteString("\n\\ No newline at end of file\n")
			}
		}
	}
	return out.String()
}

// splitLines keeps each line's "\n", so a missing final newline is a difference too.
func splitLines(s string) []string {
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

type editOp byte

const (
	opEqual  editOp = ' '
	opDelete editOp = '-'
	opInsert editOp = '+'
)

type edit struct {
	op   editOp
	line string
}

// lineEdits is an edit script from a to b, line by line. go-udiff's lcs
// package (gopls's Myers variant) works in space linear in the input and bounds
// its search, so a file of thousands of changed lines costs megabytes, not the
// gigabytes a full Myers trace would. Lines are compared as small integers.
func lineEdits(a, b []string) []edit {
	ids := map[string]rune{}
	encode := func(lines []string) []rune {
		out := make([]rune, len(lines))
		for i, l := range lines {
			id, ok := ids[l]
			if !ok {
				id = rune(len(ids))
				ids[l] = id
			}
			out[i] = id
		}
		return out
	}
	var edits []edit
	x := 0
	for _, d := range lcs.DiffRunes(encode(a), encode(b)) {
		for ; x < d.Start; x++ {
			edits = append(edits, edit{opEqual, a[x]})
		}
		for ; x < d.End; x++ {
			edits = append(edits, edit{opDelete, a[x]})
		}
		for y := d.ReplStart; y < d.ReplEnd; y++ {
			edits = append(edits, edit{opInsert, b[y]})
		}
	}
	for ; x < len(a); x++ {
		edits = append(edits, edit{opEqual, a[x]})
	}
	return edits
}

// hunk is a run of edits with its place in both files (0-based starts).
type hunk struct {
	aStart, aLen, bStart, bLen int
	edits                      []edit
}

// hunks groups changes with diffContext unchanged lines around them, merging
// groups whose contexts touch.
func hunks(edits []edit) []hunk {
	// aAt[i], bAt[i]: line numbers in a and b where edits[i] applies.
	aAt, bAt := make([]int, len(edits)+1), make([]int, len(edits)+1)
	var changes []int
	for i, e := range edits {
		aAt[i+1], bAt[i+1] = aAt[i], bAt[i]
		if e.op != opInsert {
			aAt[i+1]++
		}
		if e.op != opDelete {
			bAt[i+1]++
		}
		if e.op != opEqual {
			changes = append(changes, i)
		}
	}
	var out []hunk
	for i := 0; i < len(changes); {
		last := i
		for last+1 < len(changes) && changes[last+1]-changes[last] <= 2*diffContext+1 {
			last++
		}
		from := max(changes[i]-diffContext, 0)
		to := min(changes[last]+diffContext+1, len(edits))
		out = append(out, hunk{
			aStart: aAt[from], aLen: aAt[to] - aAt[from],
			bStart: bAt[from], bLen: bAt[to] - bAt[from],
			edits: edits[from:to],
		})
		i = last + 1
	}
	return out
}

// hunkRange is a hunk header's "start,length", 1-based; an empty range names the
// line before it, as diff -u does.
func hunkRange(start, length int) string {
	if length == 0 {
		return fmt.Sprintf("%d,0", start)
	}
	return fmt.Sprintf("%d,%d", start+1, length)
}

// secretAttribute matches, case-insensitively, the cluster.conf attributes that
// may hold a secret of any fence agent: every name containing passwd,
// password, secret or community (passwd, snmp_priv_passwd, community…), and
// OVH's consumer_key and the old fork's ovhcustomerkey. The merge drops ours,
// but the diff shows old lines and other agents' devices.
var secretAttribute = regexp.MustCompile(`(?i)(\s[\w.:-]*(?:passwd|password|secret|community)[\w.:-]*|\sconsumer_key|\sovhcustomerkey)(\s*=\s*)("[^"]*"|'[^']*')`)

// ClusterConfDiff is Diff for cluster.conf, with the values of secret attributes
// masked on both sides, so that showing it never prints a password (DESIGN.md D4).
func ClusterConfDiff(name string, old, new []byte) string {
	mask := func(b []byte) []byte { return secretAttribute.ReplaceAll(b, []byte(`$1$2"****"`)) }
	return Diff(name, mask(old), mask(new))
}
