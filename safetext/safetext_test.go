package safetext

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain message", "plain message"},
		{"two\nlines\r\nand\ttab", "two lines  and tab"},
		{"x\nSuccess: Powered OFF", "x Success: Powered OFF"},
		{"\x1b[31mred\x1b[0m \x1b]0;title\x07", "[31mred[0m ]0;title"},
		{"nul\x00 del\x7f c1\u0085\u009b", "nul del c1"},
		{"bidi \u202egnp.exe\u202c", "bidi gnp.exe"},
		{"bad \xff utf8", "bad \uFFFD utf8"},
		{"accents éàü", "accents éàü"},
	}
	for _, tt := range tests {
		if got := Line(tt.in); got != tt.want {
			t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLineCaps(t *testing.T) {
	for _, in := range []string{strings.Repeat("a", 3<<20), strings.Repeat("é", 1000), strings.Repeat("\n", 1000) + strings.Repeat("€", 600)} {
		got := Line(in)
		if len(got) > MaxLen || !strings.HasSuffix(got, cut) || !utf8.ValidString(got) {
			t.Errorf("Line of %d bytes = %d bytes, valid UTF-8 %v, ends with %q", len(in), len(got), utf8.ValidString(got), got[max(0, len(got)-4):])
		}
	}
	// The cut lands where a 4-byte character would have started.
	if got := Line(strings.Repeat("a", MaxLen-len(cut)) + strings.Repeat("😀", 2)); len(got) > MaxLen || !strings.HasSuffix(got, cut) {
		t.Errorf("cut before a 4-byte character: %d bytes, %q", len(got), got[len(got)-8:])
	}
	exact := strings.Repeat("a", MaxLen)
	if Line(exact) != exact {
		t.Error("a text of exactly MaxLen bytes was cut")
	}
}

// FuzzClip states the invariant once: whatever comes in, what goes out is one
// line of valid UTF-8, within the limit, without a control or format
// character, and a clean text that fits comes out unchanged.
func FuzzClip(f *testing.F) {
	for _, seed := range []string{"", "a\nb", "\x1b[2J", "\u202e", "\xc3", strings.Repeat("é", 300), "aaaaa😀"} {
		f.Add(seed, uint16(MaxLen))
	}
	f.Fuzz(func(t *testing.T, in string, n uint16) {
		limit := len(cut) + 1 + int(n)%1024
		got := Clip(in, limit)
		if len(got) > limit || !utf8.ValidString(got) {
			t.Fatalf("Clip(%q, %d) = %q: %d bytes", in, limit, got, len(got))
		}
		for _, r := range got {
			if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
				t.Fatalf("Clip(%q) keeps %U", in, r)
			}
		}
		if len(in) <= limit && utf8.ValidString(in) && !strings.ContainsFunc(in, func(r rune) bool {
			return unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
		}) && got != in {
			t.Fatalf("Clip changed a clean text %q into %q", in, got)
		}
	})
}
