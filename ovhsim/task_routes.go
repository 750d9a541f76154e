package ovhsim

import (
	"fmt"
	"net/http"
)

func (s *Sim) registerTaskRoutes() {
	s.handle("POST /dedicated/server/{sn}/reboot", s.postReboot)
	s.handle("GET /dedicated/server/{sn}/task", s.listTasks)
	s.handle("GET /dedicated/server/{sn}/task/{taskId}", s.getTask)
	s.handle("POST /dedicated/server/{sn}/task/{taskId}/cancel", s.cancelTask)
}

// postReboot starts a hard reboot of the {sn} server.
func (s *Sim) postReboot(r *http.Request, c *call) (any, *apiError) {
	srv, err := s.serverFromPath(r)
	if err != nil {
		return nil, err
	}
	t, err := s.startReboot(srv, apiActor(c))
	if err != nil {
		return nil, err
	}
	if forced, ok := s.takeFault(FaultTaskEnd, r.Method, r.URL.Path); ok {
		t.end = forced.TaskEnd
	}
	// The reply always shows init, as OVH's does, even when the durations are zero.
	return t.view(taskState{status: taskInit, lastUpdate: t.start}), nil
}

// startReboot starts a hard reboot into the netboot the server is set to now
// (or, in the at-boot model, when it reaches doing). Like OVH it refuses a
// second one while a reboot is unfinished, unless the simulator was configured
// to allow it. Called with s.mu held, after settle.
func (s *Sim) startReboot(srv *server, actor string) (*task, *apiError) {
	now := s.now()
	if !s.cfg.AllowConcurrentReboots {
		for _, t := range srv.tasks {
			if st := t.state(now); st.pending() {
				return nil, classError(http.StatusBadRequest, "Client::BadRequest::TaskAlreadyExists",
					fmt.Sprintf("Task %d of type %s with status %s is already running on server %s",
						t.id, functionHardReboot, st.status, srv.info.Name))
			}
		}
	}
	booted, _ := srv.bootByID(*srv.info.BootID)
	s.lastTaskID++
	t := &task{id: s.lastTaskID, start: now, durations: s.durations, lag: s.powerOffLag, kernel: booted.Kernel, end: taskDone}
	srv.tasks = append(srv.tasks, t)
	s.noteReboot(srv, t, actor)
	return t, nil
}

func (s *Sim) listTasks(r *http.Request, _ *call) (any, *apiError) {
	srv, err := s.serverFromPath(r)
	if err != nil {
		return nil, err
	}
	query := r.URL.Query()
	function, status := query.Get("function"), query.Get("status")
	now := s.now()
	ids := []int64{}
	for _, t := range srv.tasks {
		if (function == "" || function == functionHardReboot) && (status == "" || status == t.state(now).status) {
			ids = append(ids, t.id)
		}
	}
	return ids, nil
}

func (s *Sim) getTask(r *http.Request, c *call) (any, *apiError) {
	t, err := s.taskFromPath(r)
	if err != nil {
		return nil, err
	}
	view := t.view(t.state(s.now()))
	s.noteTaskRead(s.servers[r.PathValue("sn")], t, view.Status, apiActor(c))
	return view, nil
}

// cancelTask cancels a task that has not started; OVH's refusal for later
// states is assumed to be a 400 (reference §7 item 15).
func (s *Sim) cancelTask(r *http.Request, _ *call) (any, *apiError) {
	t, err := s.taskFromPath(r)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if st := t.state(now); st.status != taskInit && st.status != taskTodo {
		return nil, badRequest(fmt.Sprintf("Task %d cannot be cancelled in status %s", t.id, st.status))
	}
	t.cancelledAt = now
	return nil, nil
}

// Called with s.mu held.
func (s *Sim) taskFromPath(r *http.Request) (*task, *apiError) {
	srv, err := s.serverFromPath(r)
	if err != nil {
		return nil, err
	}
	id, err := pathInt(r, "taskId")
	if err != nil {
		return nil, err
	}
	for _, t := range srv.tasks {
		if t.id == id {
			return t, nil
		}
	}
	return nil, notFound("taskId", id)
}
