package tui

import (
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/wizard"
)

// Step 4 warns about a server OVH reports as hacked, blocked or in error.
func TestServerLinesWarnAboutState(t *testing.T) {
	lines := serverLines([]wizard.ServerInfo{
		{Name: "ns1.example", State: "ok"},
		{Name: "ns2.example", State: "hackedBlocked"},
	})
	text := strings.Join(lines, "\n")
	if len(lines) != 4 || !strings.Contains(lines[3], "Warning: OVH reports server ns2.example in state hackedBlocked") ||
		strings.Contains(text, "ns1.example in state") {
		t.Fatalf("lines:\n%s", text)
	}
}
