package ovhapi

import (
	"context"
	"net"
	"net/http"
	"testing"
)

const (
	rebootRoute    = "POST /dedicated/server/ns1/reboot"
	taskListRoute  = "GET /dedicated/server/ns1/task"
	task41Route    = "GET /dedicated/server/ns1/task/41"
	task42Route    = "GET /dedicated/server/ns1/task/42"
	alreadyRunning = `{"class":"Client::BadRequest::TaskAlreadyExists","message":"Task 42 of type hardReboot with status todo is already running on server ns1"}`
)

// dropConnection closes the connection without answering: the client cannot
// tell whether the POST was executed.
func dropConnection(w http.ResponseWriter, _ *http.Request, _ int) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.(*net.TCPConn).SetLinger(0)
		conn.Close()
	}
}

func TestReboot(t *testing.T) {
	tests := []struct {
		name         string
		routes       map[string]handlerFunc
		wantPOSTs    int
		wantTask     int64
		wantFollowed bool
		wantKind     Kind // KindUnknown = success
	}{
		{
			name:      "accepted",
			routes:    map[string]handlerFunc{rebootRoute: replyAll(200, taskJSON(42, TaskInit))},
			wantPOSTs: 1, wantTask: 42,
		},
		{
			name: "task already exists: follows the task named in the message",
			routes: map[string]handlerFunc{
				rebootRoute: replyAll(400, alreadyRunning),
				task42Route: replyAll(200, taskJSON(42, TaskDoing)),
			},
			wantPOSTs: 1, wantTask: 42, wantFollowed: true,
		},
		{
			name: "task already exists, unparsable message: follows the newest pending hardReboot",
			routes: map[string]handlerFunc{
				rebootRoute:   replyAll(400, `{"class":"Client::BadRequest::TaskAlreadyExists","message":"A task is already running"}`),
				taskListRoute: replyAll(200, `[41,42]`),
				task42Route:   replyAll(200, taskJSON(42, TaskTodo)),
			},
			wantPOSTs: 1, wantTask: 42, wantFollowed: true,
		},
		{
			name: "task already exists for a reinstall: fails",
			routes: map[string]handlerFunc{
				rebootRoute: replyAll(400, `{"class":"Client::BadRequest::TaskAlreadyExists","message":"Task 9 of type reinstallServer with status todo is already running on server ns1"}`),
			},
			wantPOSTs: 1, wantKind: KindTaskAlreadyExists,
		},
		{
			name: "500 with a pending task: follows it without a second POST",
			routes: map[string]handlerFunc{
				rebootRoute:   replyAll(500, status500),
				taskListRoute: replyAll(200, `[42,41]`),
				task42Route:   replyAll(200, taskJSON(42, TaskInit)),
			},
			wantPOSTs: 1, wantTask: 42, wantFollowed: true,
		},
		{
			name: "dropped connection with a pending task: follows it without a second POST",
			routes: map[string]handlerFunc{
				rebootRoute:   dropConnection,
				taskListRoute: replyAll(200, `[42]`),
				task42Route:   replyAll(200, taskJSON(42, TaskInit)),
			},
			wantPOSTs: 1, wantTask: 42, wantFollowed: true,
		},
		{
			name: "500 and the newest hardReboot is done: POSTs again",
			routes: map[string]handlerFunc{
				rebootRoute:   replySequence(replyAll(503, html503), replyAll(200, taskJSON(43, TaskInit))),
				taskListRoute: replyAll(200, `[41]`),
				task41Route:   replyAll(200, taskJSON(41, TaskDone)),
			},
			wantPOSTs: 2, wantTask: 43,
		},
		{
			name: "500 and no hardReboot task at all: POSTs again",
			routes: map[string]handlerFunc{
				rebootRoute:   replySequence(replyAll(500, status500), replyAll(200, taskJSON(43, TaskInit))),
				taskListRoute: replyAll(200, `[]`),
			},
			wantPOSTs: 2, wantTask: 43,
		},
		{
			// Its hint must name the missing rule (GET …/task), not blame OVH.
			name: "500 and the task list is not granted: fails without a second POST",
			routes: map[string]handlerFunc{
				rebootRoute:   replyAll(500, status500),
				taskListRoute: replyAll(403, notGranted),
			},
			wantPOSTs: 1, wantKind: KindNotGranted,
		},
		{
			name: "500 on every POST with no pending task: bounded by MaxAttempts",
			routes: map[string]handlerFunc{
				rebootRoute:   replyAll(500, status500),
				taskListRoute: replyAll(200, `[]`),
			},
			wantPOSTs: 4, wantKind: KindServer,
		},
		{
			name: "200 null: the lost answer is looked up and the pending task followed",
			routes: map[string]handlerFunc{
				rebootRoute:                         replyAll(200, `null`),
				taskListRoute:                       replyAll(200, `[41]`),
				"GET /dedicated/server/ns1/task/41": replyAll(200, taskJSON(41, TaskTodo)),
			},
			wantPOSTs: 1, wantTask: 41, wantFollowed: true,
		},
		{
			name: "200 with another function's task is no reboot task: looked up, none, POSTs again",
			routes: map[string]handlerFunc{
				rebootRoute:   replySequence(replyAll(200, `{"taskId":5,"function":"reinstallServer","status":"todo"}`), replyAll(200, taskJSON(42, TaskInit))),
				taskListRoute: replyAll(200, `[]`),
			},
			wantPOSTs: 2, wantTask: 42,
		},
		{
			name: "429: POSTs again without a lookup",
			routes: map[string]handlerFunc{
				rebootRoute: replySequence(replyAll(429, `{"message":"Too many requests"}`), replyAll(200, taskJSON(42, TaskInit))),
			},
			wantPOSTs: 2, wantTask: 42,
		},
		{
			name:      "not granted: fails at once",
			routes:    map[string]handlerFunc{rebootRoute: replyAll(403, notGranted)},
			wantPOSTs: 1, wantKind: KindNotGranted,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI(t)
			for route, h := range tt.routes {
				f.handle(route, h)
			}
			task, followed, err := f.client(fastRetries).Reboot(context.Background(), "ns1")
			if got := f.count(rebootRoute); got != tt.wantPOSTs {
				t.Errorf("%d reboot POSTs; want %d", got, tt.wantPOSTs)
			}
			if tt.wantKind != KindUnknown {
				if KindOf(err) != tt.wantKind {
					t.Fatalf("Reboot() = %+v, %v, %v; want an error of kind %v", task, followed, err, tt.wantKind)
				}
				return
			}
			if err != nil || task.ID != tt.wantTask || followed != tt.wantFollowed || task.Function != FunctionHardReboot {
				t.Fatalf("Reboot() = %+v, followed %v, %v; want task %d followed %v", task, followed, err, tt.wantTask, tt.wantFollowed)
			}
		})
	}
}

func TestRebootFollowsNamedTaskWhenItCannotBeRead(t *testing.T) {
	f := newFakeAPI(t)
	f.handle(rebootRoute, replyAll(400, alreadyRunning))
	f.handle(task42Route, replyAll(404, taskNotFound))
	task, followed, err := f.client(fastRetries).Reboot(context.Background(), "ns1")
	if err != nil || !followed || task.ID != 42 || task.Status != TaskTodo || task.Function != FunctionHardReboot {
		t.Fatalf("Reboot() = %+v, %v, %v; want the task named in the message", task, followed, err)
	}
}
