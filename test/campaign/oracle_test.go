package campaign

import (
	"testing"
	"time"

	"github.com/ovhfence/ovhfence/ovhsim"
)

// TestOracle pins the claim definitions of the package doc on small histories.
func TestOracle(t *testing.T) {
	t0 := time.Unix(1_800_000_000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	// A reboot into rescue at 100 (read at request), down at 200, up at 300;
	// then a reboot read at boot (500), down into disk at 600, up at 700.
	events := []ovhsim.TruthEvent{
		{At: at(100), Kind: ovhsim.EventReboot, Task: 1, Into: ovhsim.OSRescue},
		{At: at(200), Kind: ovhsim.EventDown, Task: 1, Into: ovhsim.OSRescue},
		{At: at(300), Kind: ovhsim.EventUp, Task: 1, OS: ovhsim.OSRescue},
		{At: at(500), Kind: ovhsim.EventReboot, Task: 2},
		{At: at(600), Kind: ovhsim.EventDown, Task: 2, Into: ovhsim.OSDisk},
		{At: at(700), Kind: ovhsim.EventUp, Task: 2, OS: ovhsim.OSDisk},
		{At: at(800), Kind: ovhsim.EventBoot, BootID: 46371, Actor: ovhsim.ActorManual},
	}
	tests := []struct {
		claim, mode string
		start, when int
		false       bool
	}{
		{claimStatusOff, "rescue", 0, 50, true},      // disk
		{claimStatusOff, "rescue", 0, 150, true},     // disk, and a reboot committed to rescue does not help
		{claimStatusOff, "rescue", 0, 250, false},    // booting into rescue
		{claimPoweredOff, "rescue", 0, 400, false},   // rescue
		{claimAlreadyOff, "rescue", 0, 550, false},   // rescue; the pending reboot has not read its netboot
		{claimAlreadyOff, "rescue", 0, 650, true},    // going down into disk
		{claimStatusOff, "poweroff", 0, 400, true},   // rescue is not powered off
		{claimPoweredOn, "rescue", 0, 750, false},    // disk booted after the start
		{claimPoweredOn, "rescue", 720, 750, true},   // disk booted before the start
		{claimAlreadyOn, "rescue", 720, 750, false},  // disk
		{claimAlreadyOn, "rescue", 0, 400, true},     // rescue
		{claimRebooted, "rescue", 0, 750, false},     // a new disk OS
		{claimRebooted, "rescue", 720, 750, true},    // the same disk OS
		{claimRebooted, "rescue", 450, 550, false},   // rescue: the node's OS is not running
		{claimPoweredOn, "rescue", 0, 650, false},    // going down into the disk, after the start
		{claimPoweredOn, "rescue", 0, 250, true},     // going down into rescue
		{claimStatusOff, "poweroff", 0, 250, true},   // going down into rescue is not powering off
		{claimAlreadyOn, "rescue", 0, 50, false},     // disk at the start
		{claimStatusOff, "rescue", 0, 1000, true},    // rescue set by hand without a reboot: still disk
		{claimAlreadyOn, "rescue", 0, 1000, false},   // still disk
		{claimStatusOff, "rescue", 0, 100_000, true}, // long after, still disk
	}
	for _, tc := range tests {
		st := stateAt(events, at(tc.when))
		if got := contradicts(tc.claim, tc.mode, st, at(tc.start)); got != tc.false {
			t.Errorf("%q (%s) started at %d, printed at %d (state %+v): false = %v, want %v", tc.claim, tc.mode, tc.start, tc.when, st, got, tc.false)
		}
	}
	// The window: false only if false throughout.
	if falseThroughout(events, claimStatusOff, "rescue", at(0), at(150), at(250)) {
		t.Errorf("Status: OFF printed between 150 and 250 may have been printed while booting into rescue")
	}
	if !falseThroughout(events, claimStatusOff, "rescue", at(0), at(20), at(90)) {
		t.Errorf("Status: OFF printed between 20 and 90 is false throughout")
	}
	if _, touched := manualTouch(events, at(0), at(790)); touched {
		t.Errorf("no manual act before 800")
	}
	if _, touched := manualTouch(events, at(750), at(850)); !touched {
		t.Errorf("the boot set by hand at 800 is a manual act")
	}
	// A server the simulator seeds powered off starts off: its first event says so.
	seededOff := []ovhsim.TruthEvent{{At: at(0), Kind: ovhsim.EventUp, Actor: ovhsim.ActorSeed, OS: ovhsim.OSPoweroff}}
	if st := stateAt(seededOff, at(50)); contradicts(claimStatusOff, "poweroff", st, at(10)) {
		t.Errorf("Status: OFF of a server seeded powered off is false (state %+v)", st)
	}
}

// TestRetriedAfter4xx pins the retry check on hand-built request logs.
func TestRetriedAfter4xx(t *testing.T) {
	boot := ovhsim.LoggedRequest{Method: "GET", Path: "/1.0/dedicated/server/ns1/boot/95117", Status: 403}
	dropped := boot
	dropped.Status = 0
	task := ovhsim.LoggedRequest{Method: "GET", Path: "/1.0/dedicated/server/ns1/task/7", Status: 404}
	list := ovhsim.LoggedRequest{Method: "GET", Path: "/1.0/dedicated/server/ns1/task", Query: "function=hardReboot", Status: 200}
	reboot := ovhsim.LoggedRequest{Method: "POST", Path: "/1.0/dedicated/server/ns1/reboot", Status: 400}
	limited := list
	limited.Status = 429
	tests := []struct {
		name string
		log  []ovhsim.LoggedRequest
		want bool
	}{
		{"a 403 sent again", []ovhsim.LoggedRequest{boot, boot}, true},
		{"a 403 sent again after a dropped try", []ovhsim.LoggedRequest{boot, dropped, boot}, true},
		{"a drop logged after the 403 of the transport's own new try", []ovhsim.LoggedRequest{boot, dropped, list}, false},
		{"a young task's 404", []ovhsim.LoggedRequest{task, task}, false},
		{"a 429", []ovhsim.LoggedRequest{limited, limited}, false},
		{"TaskAlreadyExists followed by the task list", []ovhsim.LoggedRequest{reboot, list, reboot}, false},
	}
	for _, tc := range tests {
		if _, got := retriedAfter4xx(tc.log); got != tc.want {
			t.Errorf("%s: retried = %v, want %v", tc.name, got, tc.want)
		}
	}
}
