package campaign

import (
	"testing"
	"time"

	"github.com/ovhfence/ovhfence/ovhsim"
)

// TestUnobservableABA pins the A-B-A class of the package doc on hand-built
// ground truth: the race itself is classified, and each near miss is not (it
// stays a false claim that fails the campaign).
func TestUnobservableABA(t *testing.T) {
	t0 := time.Unix(1_800_000_000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	const x, y, z = "key ****xxxx", "key ****yyyy", "key ****zzzz"
	const rescue, disk, power = 230242, 1, 95083
	boot := func(ms int, actor string, id int64) ovhsim.TruthEvent {
		return ovhsim.TruthEvent{At: at(ms), Kind: ovhsim.EventBoot, Actor: actor, BootID: id}
	}
	read := func(ms int, actor string, id int64) ovhsim.TruthEvent {
		return ovhsim.TruthEvent{At: at(ms), Kind: ovhsim.EventRead, Actor: actor, BootID: id}
	}
	poll := func(ms int, actor string, task int64, status string) ovhsim.TruthEvent {
		return ovhsim.TruthEvent{At: at(ms), Kind: ovhsim.EventTaskRead, Actor: actor, Task: task, Status: status}
	}
	reboot := func(ms int, actor string, task int64, into string) ovhsim.TruthEvent {
		return ovhsim.TruthEvent{At: at(ms), Kind: ovhsim.EventReboot, Actor: actor, Task: task, Into: into}
	}
	down := func(ms int, task int64, into string) ovhsim.TruthEvent {
		return ovhsim.TruthEvent{At: at(ms), Kind: ovhsim.EventDown, Task: task, Into: into}
	}
	up := func(ms int, task int64, os string) ovhsim.TruthEvent {
		return ovhsim.TruthEvent{At: at(ms), Kind: ovhsim.EventUp, Task: task, OS: os}
	}
	// X's off (started at 0, claim printed at 400): X writes rescue at 10, Y's
	// on writes the disk at 20, X's reboot at 30 reads it, Z's off writes
	// rescue back at 40; X reads rescue at 50 and 300; the reboot brings up
	// the disk. Each near miss changes one thing.
	aba := []ovhsim.TruthEvent{
		boot(10, x, rescue), boot(20, y, disk), reboot(30, x, 7, ovhsim.OSDisk), boot(40, z, rescue),
		read(50, x, rescue), down(100, 7, ovhsim.OSDisk), up(200, 7, ovhsim.OSDisk), read(300, x, rescue),
	}
	replace := func(i int, e ovhsim.TruthEvent) []ovhsim.TruthEvent {
		out := append([]ovhsim.TruthEvent(nil), aba...)
		out[i] = e
		return out
	}
	insert := func(i int, e ovhsim.TruthEvent) []ovhsim.TruthEvent {
		out := append([]ovhsim.TruthEvent(nil), aba[:i]...)
		out = append(out, e)
		return append(out, aba[i:]...)
	}
	tests := []struct {
		name   string
		events []ovhsim.TruthEvent
		start  int
		want   bool
	}{
		{"A-B-A", aba, 0, true},
		{"restored by the agent that wrote B", replace(3, boot(40, y, rescue)), 0, true},
		{"B still visible at the agent's first read after the request", insert(4, read(35, x, disk)), 0, false},
		{"B visible at a later read", replace(7, read(300, x, disk)), 0, false},
		{"a poll of the task between the request and the agent's first read (no read right after the request)", insert(4, poll(45, x, 7, "init")), 0, false},
		{"B seen by a read between B and the request", insert(2, read(25, x, disk)), 0, false},
		{"set back only after the agent's first read", []ovhsim.TruthEvent{
			boot(10, x, rescue), boot(20, y, disk), reboot(30, x, 7, ovhsim.OSDisk), read(35, x, disk), boot(40, z, rescue),
			down(100, 7, ovhsim.OSDisk), up(200, 7, ovhsim.OSDisk), read(300, x, rescue)}, 0, false},
		{"B before the agent's own PUT", []ovhsim.TruthEvent{
			boot(5, y, disk), boot(10, x, rescue), reboot(30, x, 7, ovhsim.OSDisk), boot(40, z, rescue),
			read(50, x, rescue), down(100, 7, ovhsim.OSDisk), up(200, 7, ovhsim.OSDisk), read(300, x, rescue)}, 0, false},
		{"the reboot read the agent's own value; a later reboot of another agent brought the disk", []ovhsim.TruthEvent{
			boot(10, x, rescue), reboot(30, x, 7, ovhsim.OSRescue), read(50, x, rescue), down(100, 7, ovhsim.OSRescue),
			up(200, 7, ovhsim.OSRescue), boot(210, y, disk), reboot(220, y, 8, ovhsim.OSDisk), boot(230, z, rescue),
			down(240, 8, ovhsim.OSDisk), up(250, 8, ovhsim.OSDisk), read(300, x, rescue)}, 0, false},
		{"the last write before the request is the agent's own", replace(1, boot(20, x, disk)), 0, false},
		{"B wrote the agent's own netboot", replace(1, boot(20, y, rescue)), 0, false},
		{"no read of the agent after the request", []ovhsim.TruthEvent{aba[0], aba[1], aba[2], aba[3], aba[5], aba[6]}, 0, false},
		{"the agent's PUT was before the action", aba, 15, false},
		{"read at boot, after the netboot was set back (the reboot read A)", replace(2, reboot(30, x, 7, "")), 0, false},
		{"the reboot is another agent's", replace(2, reboot(30, z, 7, ovhsim.OSDisk)), 0, false},
		{"the agent's netboot is the power netboot (poweroff mode: powerState shows the disk)",
			[]ovhsim.TruthEvent{boot(10, x, power), aba[1], aba[2], boot(40, z, power), read(50, x, power), aba[5], aba[6], read(300, x, power)}, 0, false},
		{"the other netboot is the power netboot (an on: powerState shows it)",
			[]ovhsim.TruthEvent{boot(10, x, disk), boot(20, y, power), reboot(30, x, 7, ovhsim.OSPoweroff), boot(40, z, disk), read(50, x, disk),
				down(100, 7, ovhsim.OSPoweroff), up(200, 7, ovhsim.OSPoweroff), read(300, x, disk)}, 0, false},
		{"the server came up from another reboot", insert(7, up(250, 9, ovhsim.OSDisk)), 0, false},
		{"claimed while our reboot was still running (down, not yet up)", []ovhsim.TruthEvent{aba[0], aba[1], aba[2], aba[3], aba[4], aba[5], aba[7]}, 0, false},
		{"another reboot asked after ours, pending at the claim (the last look lists it)", insert(7, reboot(250, z, 9, ovhsim.OSRescue)), 0, false},
	}
	// The same race in the at-boot model: X's reboot at 30 reads nothing; Y
	// writes the disk at 60, after X's read at 50; the task goes down at 100
	// and reads it; Z writes rescue back at 110, before X's read at 300.
	abaBoot := []ovhsim.TruthEvent{
		boot(10, x, rescue), reboot(30, x, 7, ""), read(50, x, rescue), boot(60, y, disk),
		down(100, 7, ovhsim.OSDisk), boot(110, z, rescue), up(200, 7, ovhsim.OSDisk), read(300, x, rescue),
	}
	atBoot := func(events ...ovhsim.TruthEvent) []ovhsim.TruthEvent { return events }
	tests = append(tests, []struct {
		name   string
		events []ovhsim.TruthEvent
		start  int
		want   bool
	}{
		{"at boot: A-B-A", abaBoot, 0, true},
		{"at boot: one poll of the task (begun) between the boot and the agent's read", atBoot(abaBoot[0], abaBoot[1], abaBoot[2], abaBoot[3],
			abaBoot[4], abaBoot[5], poll(150, x, 7, "doing"), abaBoot[6], abaBoot[7]), 0, true},
		{"at boot: two polls of the task between the boot and the agent's read (no read at the poll that saw it begin)", atBoot(abaBoot[0],
			abaBoot[1], abaBoot[2], abaBoot[3], abaBoot[4], abaBoot[5], poll(150, x, 7, "doing"), poll(190, x, 7, "doing"), abaBoot[6], abaBoot[7]), 0, false},
		{"at boot: another agent's polls do not count", atBoot(abaBoot[0], abaBoot[1], abaBoot[2], abaBoot[3],
			abaBoot[4], abaBoot[5], poll(150, y, 7, "doing"), poll(190, z, 7, "doing"), abaBoot[6], abaBoot[7]), 0, true},
		{"at boot: B seen by a read between B and the boot", atBoot(abaBoot[0], abaBoot[1], abaBoot[2], abaBoot[3],
			read(80, x, disk), abaBoot[4], abaBoot[5], abaBoot[6], abaBoot[7]), 0, false},
		{"at boot: set back only after the agent's first read after the boot", atBoot(abaBoot[0], abaBoot[1], abaBoot[2], abaBoot[3],
			abaBoot[4], read(105, x, disk), abaBoot[5], abaBoot[6], abaBoot[7]), 0, false},
		{"at boot: no read of the agent after the boot", abaBoot[:7], 0, false},
		{"at boot: B written after the boot (the boot read A)", atBoot(abaBoot[0], abaBoot[1], abaBoot[2],
			down(55, 7, ovhsim.OSRescue), abaBoot[3], abaBoot[5], up(200, 7, ovhsim.OSRescue), abaBoot[7]), 0, false},
		{"at boot: another reboot asked after ours, pending at the claim", atBoot(abaBoot[0], abaBoot[1], abaBoot[2], abaBoot[3],
			abaBoot[4], abaBoot[5], abaBoot[6], reboot(250, z, 9, ""), abaBoot[7]), 0, false},
		{"at boot: B before the request, no read right after it (the read it owes would show B)", atBoot(boot(10, x, rescue), boot(20, y, disk),
			reboot(30, x, 7, ""), down(100, 7, ovhsim.OSDisk), boot(110, z, rescue), up(200, 7, ovhsim.OSDisk), poll(250, x, 7, "done"), read(300, x, rescue)), 0, false},
		{"at boot: the task never went down", atBoot(abaBoot[0], abaBoot[1], abaBoot[2], abaBoot[3], abaBoot[5], abaBoot[7]), 0, false},
		{"at boot: the last write before the boot is the agent's own", atBoot(abaBoot[0], abaBoot[1], abaBoot[2], abaBoot[3],
			boot(90, x, disk), abaBoot[4], abaBoot[5], abaBoot[6], abaBoot[7]), 0, false},
	}...)
	for _, tc := range tests {
		race, got := unobservableABA(tc.events, x, power, at(tc.start), at(400))
		if got != tc.want {
			t.Errorf("%s: classified %v, want %v (%s)", tc.name, got, tc.want, race)
		}
	}
	if race, _ := unobservableABA(aba, x, power, at(0), at(400)); race.other.Actor != y || race.back.Actor != z || race.firstRead.At != at(50) {
		t.Errorf("the race found is %s", race)
	}
	if race, _ := unobservableABA(abaBoot, x, power, at(0), at(400)); race.other.Actor != y || race.moment.Kind != ovhsim.EventDown || race.back.Actor != z || race.firstRead.At != at(300) {
		t.Errorf("the at-boot race found is %s", race)
	}
	// The claims it excuses are false by the oracle's own definition.
	for name, events := range map[string][]ovhsim.TruthEvent{"at request": aba, "at boot": abaBoot} {
		if !falseThroughout(events, claimPoweredOff, "rescue", at(0), at(300), at(400)) {
			t.Errorf("%s: the A-B-A's Powered OFF is not false: the test proves nothing", name)
		}
	}
}
