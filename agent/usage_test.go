package agent

import (
	"strings"
	"testing"
)

func TestUsage(t *testing.T) {
	text := Usage("1.2.3")
	if !strings.HasPrefix(text, "fence_ovh 1.2.3: ") {
		t.Errorf("first line does not name the agent and version: %q", text[:strings.Index(text, "\n")])
	}
	for _, want := range []string{"\nUsage:\n\tfence_ovh [options]\n", "\nOptions:\n", "\nCommands (with -o):\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("usage lacks %q", want)
		}
	}
	for _, opt := range optionTable {
		listed := strings.Contains(text, "\n   "+opt.mixed+" ") || strings.Contains(text, "\n   "+opt.mixed+"\n")
		if listed == opt.obsolete {
			t.Errorf("%s listed: %v; want it listed unless obsolete", opt.mixed, listed)
		}
	}
	for _, c := range agentCommands {
		if !strings.Contains(text, "\n   "+c.name+" ") {
			t.Errorf("usage lacks command %s", c.name)
		}
	}
	for _, line := range strings.Split(text, "\n") {
		if len(line) > usageWidth {
			t.Errorf("line longer than %d columns: %q", usageWidth, line)
		}
	}
}

func TestWriteUsageEntry(t *testing.T) {
	tests := []struct{ name, desc, want string }{
		{"-q, --quiet", "Be quiet", "   -q, --quiet                    Be quiet\n"},
		{"--stonith-status-sleep=[seconds]", "Sleep", "   --stonith-status-sleep=[seconds]\n                                  Sleep\n"},
		{"x", strings.Repeat("word ", 12), "   x                              word word word word word word word word word\n" +
			"                                  word word word\n"},
	}
	for _, tt := range tests {
		var b strings.Builder
		writeUsageEntry(&b, tt.name, tt.desc)
		if b.String() != tt.want {
			t.Errorf("writeUsageEntry(%q, %q) =\n%q\nwant\n%q", tt.name, tt.desc, b.String(), tt.want)
		}
	}
}
