package ovhsim

import (
	"net/http"
	"path"
	"strconv"
	"time"
)

// Fault kinds that answer 200 with a body that is not the one asked for.
const (
	FaultForeignTask = "foreignTask" // another task's body on a task GET
	FaultEmptyBody   = "emptyBody"   // {}
	FaultNullBody    = "nullBody"    // null
	// The next three are wrong in one field only, so that each of a client's
	// checks of a body is needed on its own.
	FaultOtherReboot   = "otherReboot"   // another hardReboot task's body (done) on a task GET
	FaultOtherFunction = "otherFunction" // the asked taskId, done, but another function
	FaultForeignServer = "foreignServer" // another server's body on a server GET (see foreignServer)
)

// writeBodyFault answers a call with 200 and a body that is not the one asked
// for: another task's (a reinstall, done), {} or null. A client must check that
// a body is the one it asked for and has the fields it reads. It reports
// whether kind was one of these faults.
func writeBodyFault(w http.ResponseWriter, kind, apiPath string) bool {
	switch kind {
	case FaultForeignTask:
		id, _ := strconv.ParseInt(path.Base(apiPath), 10, 64)
		done := ovhDate(time.Now())
		writeJSON(w, http.StatusOK, Task{
			ID: id + 1000, Function: "reinstallServer", Status: taskDone, Comment: "Reinstall asked",
			StartDate: done.Add(-time.Hour), LastUpdate: done, DoneDate: &done,
		})
	case FaultOtherReboot, FaultOtherFunction:
		id, _ := strconv.ParseInt(path.Base(apiPath), 10, 64)
		done := ovhDate(time.Now())
		task := Task{ID: id - 1, Function: "hardReboot", Status: taskDone, Comment: "Hard reboot asked",
			StartDate: done.Add(-time.Minute), LastUpdate: done, DoneDate: &done}
		if kind == FaultOtherFunction {
			task.ID, task.Function, task.Comment = id, "reinstallServer", "Reinstall asked"
		}
		writeJSON(w, http.StatusOK, task)
	case FaultEmptyBody:
		writeJSON(w, http.StatusOK, struct{}{})
	case FaultNullBody:
		writeJSON(w, http.StatusOK, nil)
	default:
		return false
	}
	return true
}

// foreignServer is the body of another server than sn: the first other one that
// reports powerState poweroff (the most misleading), else the next one. Called
// with s.mu held.
func (s *Sim) foreignServer(sn string) (dedicated, bool) {
	var others []*server
	for i, name := range s.serverNames {
		if name == sn {
			for j := 1; j < len(s.serverNames); j++ {
				others = append(others, s.servers[s.serverNames[(i+j)%len(s.serverNames)]])
			}
		}
	}
	if len(others) == 0 {
		return dedicated{}, false
	}
	for _, other := range others {
		s.settle(other)
		if other.info.PowerState == powerOff {
			return other.info.clone(), true
		}
	}
	return others[0].info.clone(), true
}
