package agent

import (
	"io"
	"strings"
	"testing"
)

// flood is a stdin of n bytes after its first lines, counting what is read of it.
type flood struct {
	n, read int
}

func (f *flood) Read(p []byte) (int, error) {
	if f.n == 0 {
		return 0, io.EOF
	}
	k := min(len(p), f.n)
	for i := range p[:k] {
		p[i] = 'x'
	}
	f.n -= k
	f.read += k
	return k, nil
}

// Item 10: stdin is read up to 64 KiB (cman sends a few hundred bytes); the
// lines before the cut are used, the rest is not even read.
func TestParseStdinCapsInput(t *testing.T) {
	f := &flood{n: 8 << 20}
	o, warnings := ParseStdin(io.MultiReader(strings.NewReader("action=status\nplug=ns1.ip-1-2-3.eu\n"), f))
	if action, _ := o.Get("action"); action != "status" {
		t.Errorf("action = %q, want the line before the flood", action)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "longer than 64 KiB") {
		t.Errorf("warnings = %q", warnings)
	}
	if f.read > MaxStdin {
		t.Errorf("read %d bytes of stdin, want at most %d", f.read, MaxStdin)
	}
	exact := strings.Repeat("#", MaxStdin-len("\naction=off\n")) + "\naction=off\n"
	o, warnings = ParseStdin(strings.NewReader(exact))
	if action, _ := o.Get("action"); len(warnings) != 0 || action != "off" {
		t.Errorf("a stdin of exactly 64 KiB: action %q, warnings %q", action, warnings)
	}
}
