package ovhsim

import (
	"encoding/json"
	"time"
)

// Task states (reference §3.5).
const (
	taskInit          = "init"
	taskTodo          = "todo"
	taskDoing         = "doing"
	taskDone          = "done"
	taskCancelled     = "cancelled"
	taskCustomerError = "customerError"
	taskOVHError      = "ovhError"

	functionHardReboot = "hardReboot"
)

// Task is a dedicated-server task as OVH returns it (reference §3.4).
type Task struct {
	ID                    int64           `json:"taskId"`
	Function              string          `json:"function"`
	Status                string          `json:"status"`
	Comment               string          `json:"comment"`
	StartDate             time.Time       `json:"startDate"`
	LastUpdate            time.Time       `json:"lastUpdate"`
	DoneDate              *time.Time      `json:"doneDate"`
	NeedSchedule          bool            `json:"needSchedule"`
	Note                  *string         `json:"note"`
	PlannedInterventionID *int64          `json:"plannedInterventionId"`
	Tags                  json.RawMessage `json:"tags"` // always null here
	TicketReference       *string         `json:"ticketReference"`
}

// task is a hardReboot task. Its status is not stored: it is computed from
// the clock, so the simulator needs no goroutines and a fake clock drives it.
type task struct {
	id          int64
	start       time.Time
	durations   Durations // fixed when the task is created
	kernel      string    // the netboot the server was set to when the reboot was asked
	end         string    // the status the timeline ends in: done, or a forced failure
	cancelledAt time.Time // zero unless cancelled
	applied     bool      // the end's effect on the server has been applied

	lag  time.Duration // power-off lag (realism.go), fixed when the task is created
	dark bool          // the power-off lag is over: the server went dark
}

// taskState is a task's status at one instant.
type taskState struct {
	status     string
	lastUpdate time.Time
	doneDate   time.Time // zero unless done
}

func (t *task) state(now time.Time) taskState {
	if !t.cancelledAt.IsZero() {
		return taskState{status: taskCancelled, lastUpdate: t.cancelledAt}
	}
	d := t.durations
	elapsed := now.Sub(t.start)
	switch {
	case elapsed < d.Init:
		return taskState{status: taskInit, lastUpdate: t.start}
	case elapsed < d.Init+d.Todo:
		return taskState{status: taskTodo, lastUpdate: t.start.Add(d.Init)}
	case elapsed < d.total():
		return taskState{status: taskDoing, lastUpdate: t.start.Add(d.Init + d.Todo)}
	}
	end := t.start.Add(d.total())
	if t.end == taskDone {
		return taskState{status: taskDone, lastUpdate: end, doneDate: end}
	}
	return taskState{status: t.end, lastUpdate: end}
}

func (st taskState) pending() bool {
	return st.status == taskInit || st.status == taskTodo || st.status == taskDoing
}

func (t *task) view(st taskState) Task {
	return Task{
		ID:         t.id,
		Function:   functionHardReboot,
		Status:     st.status,
		Comment:    "Reboot asked",
		StartDate:  ovhDate(t.start),
		LastUpdate: ovhDate(st.lastUpdate),
		DoneDate:   ovhDatePtr(st.doneDate),
	}
}

// settle applies the effect of tasks that have finished since the server was
// last looked at, then forgets done tasks a purgeDone fault has aged out.
// Called with s.mu held.
func (s *Sim) settle(srv *server) {
	now := s.now()
	for _, t := range srv.tasks {
		s.advanceTruth(srv, t, now)
		st := t.state(now)
		srv.goDark(t, now)
		if t.applied || st.pending() {
			continue
		}
		t.applied = true
		if st.status == taskDone {
			srv.bootedKernel = t.kernel
			srv.info.PowerState = powerOn
			if t.dark {
				srv.info.PowerState = powerOff
			}
		}
	}
	purge, ok := s.activeFault(FaultPurgeDone)
	if !ok {
		return
	}
	kept := srv.tasks[:0]
	for _, t := range srv.tasks {
		st := t.state(now)
		if st.status != taskDone || now.Sub(st.doneDate) < purge.PurgeAfter {
			kept = append(kept, t)
		}
	}
	srv.tasks = kept
}

// ServerState is what the simulated hardware did, for tests and the
// /_sim/servers endpoint.
type ServerState struct {
	Name         string `json:"name"`
	BootID       int64  `json:"bootId"`
	BootedKernel string `json:"bootedKernel"` // the netboot the last finished reboot started
	PowerState   string `json:"powerState"`
	Tasks        []Task `json:"tasks"`
}

// ServerState reports server sn as of the simulated clock.
func (s *Sim) ServerState(sn string) (ServerState, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	srv := s.servers[sn]
	if srv == nil {
		return ServerState{}, false
	}
	s.settle(srv)
	state := ServerState{
		Name:         sn,
		BootID:       *srv.info.BootID,
		BootedKernel: srv.bootedKernel,
		PowerState:   srv.info.PowerState,
		Tasks:        []Task{},
	}
	now := s.now()
	for _, t := range srv.tasks {
		state.Tasks = append(state.Tasks, t.view(t.state(now)))
	}
	return state, true
}
