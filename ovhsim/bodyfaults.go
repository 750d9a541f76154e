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
	case FaultEmptyBody:
		writeJSON(w, http.StatusOK, struct{}{})
	case FaultNullBody:
		writeJSON(w, http.StatusOK, nil)
	default:
		return false
	}
	return true
}
