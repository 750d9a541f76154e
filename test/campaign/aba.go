package campaign

import (
	"fmt"
	"time"

	"github.com/ovhfence/ovhfence/ovhsim"
)

// abaRace is the ground truth of an unobservable A-B-A (package doc): agent X
// wrote netboot A, another actor wrote B, X's reboot read B (at the request or
// when it began), the netboot was set back to A before X's next read, and X
// never saw B.
type abaRace struct {
	ours, other, reboot, moment, back, firstRead ovhsim.TruthEvent
}

func (r abaRace) String() string {
	return fmt.Sprintf("%s wrote netboot %d at %s; %s wrote %d at %s; %s asked reboot task %d at %s, which read %d at %s (into %s); "+
		"%s set %d back at %s; %s's first read after that, at %s, showed %d, as did every later one",
		r.ours.Actor, r.ours.BootID, clock(r.ours.At), r.other.Actor, r.other.BootID, clock(r.other.At),
		r.reboot.Actor, r.reboot.Task, clock(r.reboot.At), r.other.BootID, clock(r.moment.At), r.moment.Into,
		r.back.Actor, r.back.BootID, clock(r.back.At), r.firstRead.Actor, clock(r.firstRead.At), r.firstRead.BootID)
}

// unobservableABA reports whether a false claim that actor printed by to, in an
// action that started at start, is an unobservable A-B-A of the netboot. The
// definition is the package doc's, checked in this order:
//  1. R, actor's last hard reboot request in [start, to], read its netboot at
//     a moment M: R itself in the at-request model (its into is known at
//     once), the going down of R's task in the at-boot model;
//  2. the netboot M read, the last write before M, is B, written by another
//     actor; A, actor's own last write before R, is inside the action, before
//     B, and another netboot than B;
//  3. actor read the server after M, and every read of actor after B, up to
//     to, showed A: the netboot was set back to A before actor's first read
//     after M, and no read of actor ever showed B; and actor made the reads
//     its protocol owes: one right after R (no poll of R's task by actor
//     before it), and, at boot, one right after the poll that saw R's task
//     begun or done (at most one poll between M and the first read after M);
//  4. the claim is false because of R: the last time the server went down or
//     came up, by to, was R's coming up (done), and no hard reboot was asked
//     after R (the agent's last look lists any, so it is observable);
//  5. neither A nor B is the power netboot (power): a reboot into or out of
//     it changes the powerState the agent reads back, so it is observable.
//
// Events are in the order they happened (writes, requests and reads are
// recorded as they happen, under the simulator's lock), so "before" is an
// index comparison, never a clock one.
func unobservableABA(events []ovhsim.TruthEvent, actor string, power int64, start, to time.Time) (abaRace, bool) {
	end := len(events)
	for end > 0 && events[end-1].At.After(to) {
		end--
	}
	r := lastIndex(events[:end], func(e ovhsim.TruthEvent) bool { return e.Kind == ovhsim.EventReboot && e.Actor == actor })
	if r < 0 || events[r].At.Before(start) {
		return abaRace{}, false
	}
	race := abaRace{reboot: events[r]}
	m := r
	if events[r].Into == "" { // read at boot: M is when R's task went down
		m = firstIndex(events[r:end], func(e ovhsim.TruthEvent) bool { return e.Kind == ovhsim.EventDown && e.Task == race.reboot.Task })
		if m < 0 {
			return abaRace{}, false
		}
		m += r
	}
	race.moment = events[m]
	w := lastIndex(events[:m], func(e ovhsim.TruthEvent) bool { return e.Kind == ovhsim.EventBoot })
	if w < 0 || events[w].Actor == actor {
		return abaRace{}, false
	}
	race.other = events[w]
	// w is the last write before M, so actor's last write before R comes before it.
	p := lastIndex(events[:r], func(e ovhsim.TruthEvent) bool { return e.Kind == ovhsim.EventBoot && e.Actor == actor })
	if p < 0 || events[p].At.Before(start) || events[p].BootID == race.other.BootID ||
		events[p].BootID == power || race.other.BootID == power {
		return abaRace{}, false
	}
	race.ours = events[p]
	for i := w + 1; i < end; i++ {
		e := events[i]
		switch {
		case e.Kind == ovhsim.EventBoot && i > m && race.firstRead.Kind == "":
			race.back = e // the last write before the first read after M
		case e.Kind != ovhsim.EventRead || e.Actor != actor:
		case e.BootID != race.ours.BootID:
			return abaRace{}, false // actor saw something else than A: observable
		case i > m && race.firstRead.Kind == "":
			race.firstRead = e
		}
	}
	afterR, readAfterR := pollsBeforeRead(events[r+1:end], actor, race.reboot.Task)
	afterM, readAfterM := pollsBeforeRead(events[m+1:end], actor, race.reboot.Task)
	if race.firstRead.Kind == "" || !readAfterR || afterR > 0 || !readAfterM || afterM > 1 {
		return abaRace{}, false
	}
	moved := lastIndex(events[:end], func(e ovhsim.TruthEvent) bool { return e.Kind == ovhsim.EventDown || e.Kind == ovhsim.EventUp })
	newest := lastIndex(events[:end], func(e ovhsim.TruthEvent) bool { return e.Kind == ovhsim.EventReboot })
	if moved < r || events[moved].Task != race.reboot.Task || events[moved].Kind != ovhsim.EventUp || newest != r {
		return abaRace{}, false
	}
	return race, true
}

// pollsBeforeRead counts actor's polls of task before its first read of the
// server in events, and reports whether there is such a read.
func pollsBeforeRead(events []ovhsim.TruthEvent, actor string, task int64) (int, bool) {
	polls := 0
	for _, e := range events {
		switch {
		case e.Actor != actor:
		case e.Kind == ovhsim.EventRead:
			return polls, true
		case e.Kind == ovhsim.EventTaskRead && e.Task == task:
			polls++
		}
	}
	return polls, false
}

// firstIndex is the index of the first event that matches, or -1.
func firstIndex(events []ovhsim.TruthEvent, match func(ovhsim.TruthEvent) bool) int {
	for i, e := range events {
		if match(e) {
			return i
		}
	}
	return -1
}

// lastIndex is the index of the last event that matches, or -1.
func lastIndex(events []ovhsim.TruthEvent, match func(ovhsim.TruthEvent) bool) int {
	for i := len(events) - 1; i >= 0; i-- {
		if match(events[i]) {
			return i
		}
	}
	return -1
}
