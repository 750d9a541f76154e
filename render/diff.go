package render

import (
	"fmt"
	"regexp"
	"strings"
)

// diffContext is the number of unchanged lines shown around each change, as in diff -u.
const diffContext = 3

// Diff is a unified diff from old to new of the file name, or "" when they are
// equal. It is shown before a file is replaced, like Proxmox's "Pending changes".
func Diff(name string, old, new []byte) string {
	a, b := splitLines(string(old)), splitLines(string(new))
	edits := myers(a, b)
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

// myers finds a shortest edit script from a to b (Myers, "An O(ND) Difference
// Algorithm and Its Variations", 1986): for each number of edits d it extends the
// furthest-reaching path on every diagonal k = x - y, then walks the saved
// frontiers back from the end.
func myers(a, b []string) []edit {
	n, m := len(a), len(b)
	offset := n + m + 1
	v := make([]int, 2*offset+1) // v[offset+k]: furthest x reached on diagonal k
	var trace [][]int
	for d := 0; d <= n+m; d++ {
		trace = append(trace, append([]int(nil), v...))
		for k := -d; k <= d; k += 2 {
			x := v[offset+k-1] + 1 // step right from diagonal k-1: a deletion
			if k == -d || (k != d && v[offset+k-1] < v[offset+k+1]) {
				x = v[offset+k+1] // step down from diagonal k+1: an insertion
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			v[offset+k] = x
			if x >= n && y >= m {
				return backtrack(trace, a, b, offset)
			}
		}
	}
	return nil // not reached: d = n+m always ends the search
}

func backtrack(trace [][]int, a, b []string, offset int) []edit {
	var edits []edit
	x, y := len(a), len(b)
	for d := len(trace) - 1; d >= 0; d-- {
		v := trace[d]
		k := x - y
		prevK := k - 1
		if k == -d || (k != d && v[offset+k-1] < v[offset+k+1]) {
			prevK = k + 1
		}
		prevX := v[offset+prevK]
		prevY := prevX - prevK
		for x > prevX && y > prevY {
			edits = append(edits, edit{opEqual, a[x-1]})
			x, y = x-1, y-1
		}
		if d > 0 {
			if x == prevX {
				edits = append(edits, edit{opInsert, b[y-1]})
			} else {
				edits = append(edits, edit{opDelete, a[x-1]})
			}
		}
		x, y = prevX, prevY
	}
	for i, j := 0, len(edits)-1; i < j; i, j = i+1, j-1 {
		edits[i], edits[j] = edits[j], edits[i]
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

// secretAttribute matches the cluster.conf attributes that may hold an OVH secret
// or an old SOAP password: the merge drops them, but the diff shows old lines.
var secretAttribute = regexp.MustCompile(`\b(passwd|password|application_secret|consumer_key|ovhcustomerkey)(\s*=\s*)("[^"]*"|'[^']*')`)

// ClusterConfDiff is Diff for cluster.conf, with the values of secret attributes
// masked on both sides, so that showing it never prints a password (DESIGN.md D4).
func ClusterConfDiff(name string, old, new []byte) string {
	mask := func(b []byte) []byte { return secretAttribute.ReplaceAll(b, []byte(`$1$2"****"`)) }
	return Diff(name, mask(old), mask(new))
}
