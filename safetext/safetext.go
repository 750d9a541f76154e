// Package safetext makes text that ovhfence did not write — OVH's error
// messages and validation URLs above all — safe to show: on one line, without
// terminal escapes, and bounded. A message holding "\nSuccess: Powered OFF"
// must never print a line a reader (or a fencer) takes for the agent's own.
package safetext

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxLen is the most bytes Line returns: an OVH message is a sentence, and a
// 3 MiB one is an attack or a bug, not something to print.
const MaxLen = 512

// cut ends a shortened text.
const cut = "…"

// Line returns s fit to show on one line: newlines, carriage returns and tabs
// become spaces; every other control character (C0, DEL, C1, so no ANSI escape
// sequence survives) and Unicode format character (bidirectional overrides
// among them) is dropped; invalid UTF-8 becomes U+FFFD; and the result is cut
// to at most MaxLen bytes, on a character boundary, ending with "…".
func Line(s string) string { return Clip(s, MaxLen) }

// Clip is Line with another bound than MaxLen, for lines that hold more than
// one outside text (a log line). limit must leave room for "…".
func Clip(s string, limit int) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			r = ' '
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			continue
		}
		if b.Len()+utf8.RuneLen(r) > limit {
			return shorten(b.String(), limit)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// shorten cuts s, already at most limit bytes, so that it and cut fit in limit.
func shorten(s string, limit int) string {
	end := limit - len(cut)
	if end >= len(s) {
		return s + cut
	}
	for end > 0 && !utf8.RuneStart(s[end]) {
		end--
	}
	return s[:end] + cut
}
