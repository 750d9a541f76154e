package fencing

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// A server OVH reports as hacked, blocked or in error is logged, and fencing
// goes on: off and on still reboot it and verify.
func TestNonOKStateIsLoggedAndFencingProceeds(t *testing.T) {
	for _, state := range []string{"ok", "error", "hacked", "hackedBlocked"} {
		api := newFakeAPI()
		api.server.State = state
		f := testFencer(api)
		var logged []string
		f.Logf = func(format string, args ...any) { logged = append(logged, fmt.Sprintf(format, args...)) }
		if _, err := f.Off(context.Background(), rescueTarget()); err != nil {
			t.Fatalf("%s: off: %v", state, err)
		}
		if _, err := f.On(context.Background(), rescueTarget()); err != nil {
			t.Fatalf("%s: on: %v", state, err)
		}
		warned := 0
		for _, line := range logged {
			if strings.Contains(line, "in state "+state+" (not ok)") {
				warned++
			}
		}
		if want := map[bool]int{true: 0, false: 2}[state == "ok"]; warned != want || api.count("Reboot") != 2 {
			t.Errorf("%s: %d warnings (want %d), %d reboots (want 2): %q", state, warned, want, api.count("Reboot"), logged)
		}
	}
}
