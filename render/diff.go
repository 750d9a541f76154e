package render

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/aymanbagabas/go-udiff/lcs"
)

// diffContext is the number of unchanged lines shown around each change, as in diff -u.
const diffContext = 3

// Diff is a unified diff from old to new of the file name, or "" when they are
// equal. It is shown before a file is replaced, like Proxmox's "Pending changes".
func Diff(name string, old, new []byte) string {
	a, b := splitLines(string(old)), splitLines(string(new))
	hs := hunks(lineEdits(a, b))
	var out strings.Builder
	out.Grow(diffSize(name, hs))
	// An absolute name is shown as git diff --no-index shows it: "a/etc/…".
	name = strings.TrimLeft(name, "/")
	for _, h := range hs {
		if out.Len() == 0 {
			fmt.Fprintf(&out, "--- a/%s\n+++ b/%s\n", name, name)
		}
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", hunkRange(h.aStart, h.aLen), hunkRange(h.bStart, h.bLen))
		for _, e := range h.edits {
			out.WriteByte(byte(e.op))
			out.WriteString(e.line)
			if !strings.HasSuffix(e.line, "\n") {
				out.WriteString("\n\\ No newline at end of file\n")
			}
		}
	}
	return out.String()
}

// diffSize is about the length of the diff of hs, so that it is built in one allocation.
func diffSize(name string, hs []hunk) int {
	size := 2*len(name) + 16
	for _, h := range hs {
		size += 48
		for _, e := range h.edits {
			size += 1 + len(e.line) + 1
		}
	}
	return size
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

// ClusterConfDiff is Diff for cluster.conf, with the values of secret attributes
// masked on both sides, so that showing it never prints a password (DESIGN.md D4).
func ClusterConfDiff(name string, old, new []byte) string {
	return Diff(name, maskSecrets(old), maskSecrets(new))
}

// maskSecrets replaces with "****" the quoted value of every attribute that
// may hold a secret of any fence agent: its name, after a space, contains
// passwd, password, secret or community (passwd, snmp_priv_passwd,
// community…), whatever the case, or is OVH's consumer_key or the old fork's
// ovhcustomerkey. The merge drops ours, but the diff shows old lines and other
// agents' devices. One pass over the bytes: a regular expression took ten
// times as long as the diff itself on a 2 MB cluster.conf.
func maskSecrets(b []byte) []byte {
	var out []byte
	last := 0
	for i := bytes.IndexByte(b, '='); i >= 0; i = nextByte(b, '=', i+1) {
		end := i
		for end > 0 && isSpaceByte(b[end-1]) {
			end--
		}
		start := end
		for start > 0 && isNameByte(b[start-1]) {
			start--
		}
		if start == end || start == 0 || !isSpaceByte(b[start-1]) || !isSecretName(b[start:end]) {
			continue
		}
		open := i + 1
		for open < len(b) && isSpaceByte(b[open]) {
			open++
		}
		if open >= len(b) || (b[open] != '"' && b[open] != '\'') {
			continue
		}
		length := bytes.IndexByte(b[open+1:], b[open])
		if length < 0 {
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(b))
		}
		out = append(append(out, b[last:open]...), `"****"`...)
		last = open + 1 + length + 1
		i = last - 1
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// nextByte is the index of c in b at or after from, or -1.
func nextByte(b []byte, c byte, from int) int {
	if from >= len(b) {
		return -1
	}
	if j := bytes.IndexByte(b[from:], c); j >= 0 {
		return from + j
	}
	return -1
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isNameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == ':' || c == '-'
}

func isSecretName(name []byte) bool {
	if len(name) < len("secret") { // the shortest: most attributes (name, agent, plug…) stop here
		return false
	}
	var buf [64]byte
	var lower []byte
	if len(name) > len(buf) {
		lower = bytes.ToLower(name)
	} else { // no allocation for the usual short names
		lower = buf[:len(name)]
		for i, c := range name {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			lower[i] = c
		}
	}
	return string(lower) == "consumer_key" || string(lower) == "ovhcustomerkey" || bytes.Contains(lower, []byte("passwd")) ||
		bytes.Contains(lower, []byte("password")) || bytes.Contains(lower, []byte("secret")) || bytes.Contains(lower, []byte("community"))
}
