package campaign

import (
	"sort"
	"sync"
	"time"

	"github.com/ovhfence/ovhfence/ovhsim"
)

// Claims the agent prints, as the oracle knows them.
const (
	claimStatusOff  = "Status: OFF"
	claimStatusOn   = "Status: ON"
	claimPoweredOff = "Success: Powered OFF"
	claimAlreadyOff = "Success: Already OFF"
	claimPoweredOn  = "Success: Powered ON"
	claimAlreadyOn  = "Success: Already ON"
	claimRebooted   = "Success: Rebooted"
)

// claims are the lines the oracle judges; Status: ON is safe and never false.
var claims = map[string]bool{
	claimStatusOff: true, claimPoweredOff: true, claimAlreadyOff: true,
	claimPoweredOn: true, claimAlreadyOn: true, claimRebooted: true,
}

// truthLog is a copy of one server's ground-truth events, kept up to date.
type truthLog struct {
	sim    *ovhsim.Sim
	server string
	mu     sync.Mutex
	events []ovhsim.TruthEvent
}

// upToDate returns every event so far (settling the server first).
func (l *truthLog) upToDate() []ovhsim.TruthEvent {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, l.sim.TruthEvents(l.server, len(l.events))...)
	return l.events
}

// truthAt is ground truth at one instant.
type truthAt struct {
	os      string
	since   time.Time
	pending map[int64]string // task → the OS it is committed to boot, "" while unread
}

// taskLifetime bounds how far back a pending task can have started: tasks last
// at most 500 ms here; this leaves a wide margin.
const taskLifetime = 30 * time.Second

// stateAt replays events up to and including t. The server starts on its disk
// unless its first event (the simulator's seed) says otherwise.
func stateAt(events []ovhsim.TruthEvent, t time.Time) truthAt {
	end := sort.Search(len(events), func(i int) bool { return events[i].At.After(t) })
	st := truthAt{os: ovhsim.OSDisk, pending: map[int64]string{}}
	osFound := false
	closed := map[int64]bool{}
	for i := end - 1; i >= 0; i-- {
		e := events[i]
		if osFound && t.Sub(e.At) > taskLifetime {
			break
		}
		switch e.Kind {
		case ovhsim.EventUp, ovhsim.EventDown:
			if !osFound {
				osFound = true
				st.since = e.At
				st.os = e.OS
				if e.Kind == ovhsim.EventDown {
					st.os = ovhsim.OSBooting
				}
			}
			if e.Kind == ovhsim.EventUp {
				closed[e.Task] = true
			} else if _, seen := st.pending[e.Task]; !seen && !closed[e.Task] {
				st.pending[e.Task] = e.Into
			}
		case ovhsim.EventEnded:
			closed[e.Task] = true
		case ovhsim.EventReboot:
			if _, seen := st.pending[e.Task]; !seen && !closed[e.Task] {
				st.pending[e.Task] = e.Into
			}
		}
	}
	return st
}

// committedElsewhere reports whether a pending reboot is committed to boot an
// OS other than want.
func (st truthAt) committedElsewhere(want string) bool {
	for _, into := range st.pending {
		if into != "" && into != want {
			return true
		}
	}
	return false
}

// contradicts reports whether ground truth st contradicts claim, made by an
// action that started at start, on a server fenced in mode (package doc).
func contradicts(claim, mode string, st truthAt, start time.Time) bool {
	switch claim {
	case claimStatusOff, claimPoweredOff, claimAlreadyOff:
		if mode == "poweroff" {
			return !st.runsOrBoots(ovhsim.OSPoweroff)
		}
		_, toDisk := st.pendingInto(ovhsim.OSDisk)
		return st.os == ovhsim.OSDisk || toDisk
	case claimPoweredOn:
		return !st.runsOrBoots(ovhsim.OSDisk) || st.since.Before(start)
	case claimAlreadyOn:
		return !st.runsOrBoots(ovhsim.OSDisk)
	case claimRebooted:
		return st.os == ovhsim.OSDisk && st.since.Before(start)
	}
	return false
}

// runsOrBoots reports whether the server runs os, or is down in a reboot into
// it, with no pending reboot committed to anything else. (While it is down, the
// reboot that took it down is pending and committed: committedElsewhere also
// catches a reboot into another OS.)
func (st truthAt) runsOrBoots(os string) bool {
	return (st.os == os || st.os == ovhsim.OSBooting) && !st.committedElsewhere(os)
}

// pendingInto finds a pending reboot committed to boot os.
func (st truthAt) pendingInto(os string) (int64, bool) {
	for task, into := range st.pending {
		if into == os {
			return task, true
		}
	}
	return 0, false
}

// falseThroughout reports whether claim is contradicted at every instant of
// [from, to]: ground truth only changes at events, so it is enough to look at
// from and at each event inside the window.
func falseThroughout(events []ovhsim.TruthEvent, claim, mode string, start, from, to time.Time) bool {
	if !contradicts(claim, mode, stateAt(events, from), start) {
		return false
	}
	first := sort.Search(len(events), func(i int) bool { return events[i].At.After(from) })
	for _, e := range events[first:] {
		if e.At.After(to) {
			break
		}
		if !contradicts(claim, mode, stateAt(events, e.At), start) {
			return false
		}
	}
	return true
}

// becameFalse finds the event after which claim has been contradicted without
// a break up to at: when, and by whom, the claim became false.
func becameFalse(events []ovhsim.TruthEvent, claim, mode string, start, at time.Time) (ovhsim.TruthEvent, bool) {
	last := sort.Search(len(events), func(i int) bool { return events[i].At.After(at) })
	for i := last - 1; i >= 0; i-- {
		if !contradicts(claim, mode, stateAt(events, events[i].At.Add(-time.Nanosecond)), start) {
			return events[i], true
		}
	}
	return ovhsim.TruthEvent{}, false
}

// manualTouch finds a manual act on the server in [from, to]: a boot set by
// hand or a reboot asked in the OVH manager. The later effects of an act
// before from (a manager reboot coming up) are not acts: no excuse.
func manualTouch(events []ovhsim.TruthEvent, from, to time.Time) (ovhsim.TruthEvent, bool) {
	for i := len(events) - 1; i >= 0 && !events[i].At.Before(from); i-- {
		e := events[i]
		act := e.Kind == ovhsim.EventBoot || e.Kind == ovhsim.EventReboot
		if act && !e.At.After(to) && (e.Actor == ovhsim.ActorManual || e.Actor == ovhsim.ActorManager) {
			return e, true
		}
	}
	return ovhsim.TruthEvent{}, false
}
