package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/tui"
	"github.com/ovhfence/ovhfence/wizard"
)

// TestCtrlCDuringTheFenceTestPrintsTheRecovery: Ctrl+C once the fence test
// started does not claim that nothing was written; it names the pending keys
// and prints the one command that brings the node back, whole.
func TestCtrlCDuringTheFenceTestPrintsTheRecovery(t *testing.T) {
	s := wizard.State{Step: wizard.StepLiveTest, Answers: wizard.Answers{FenceTest: "node2",
		Mapping: map[string]string{"node2": "ns567891.ip-123-22-45.eu"}}}
	s.Facts.FenceTesting = true
	s.Facts.Pending = "/etc/ovh.conf.pending"
	s.Facts.Recovery = "/usr/bin/ovhfence agent --action on --plug ns567891.ip-123-22-45.eu --ovh-config /etc/ovh.conf.pending --fence-mode rescue"
	var stdout, stderr bytes.Buffer
	if code := finish(s, tui.ErrInterrupted, &stdout, &stderr); code != 130 {
		t.Errorf("exit %d, want 130", code)
	}
	out := stderr.String()
	if strings.Contains(out, "nothing was written;") || !strings.Contains(out, "nothing was written but the keys in /etc/ovh.conf.pending") ||
		!strings.Contains(out, "\n"+s.Facts.Recovery+"\n") {
		t.Errorf("stderr after Ctrl+C:\n%s", out)
	}
}
