package fencing

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ovhfence/ovhfence/ovhapi"
)

// fakeAPI is a scripted single-server OVH: each GetTask of a task advances it one
// state, and a task that ends done boots the netboot that was set when it was
// requested (the simulator's "at request" model).
type fakeAPI struct {
	server         ovhapi.Server
	boots          map[int64]ovhapi.Boot
	tasks          []*fakeTask
	task           *ovhapi.Task // the newest task, as the tests read it
	endStatus      string       // what the tasks end in; "" = done
	calls          []string
	failOn         string                        // call names that return an error, comma-separated
	stuck          bool                          // tasks never leave "doing"
	bootAfter      int64                         // if set, someone changes the boot to this while the task runs
	listDenied     bool                          // ListServers is not granted to the key
	bootDenied     bool                          // GetBoot is not granted to the key
	tasksDenied    bool                          // ListTasks is not granted to the key
	taskBody       func(ovhapi.Task) ovhapi.Task // rewrites what GetTask answers
	beforeReboot   func(f *fakeAPI, n int)       // runs before Reboot call n (1-based): another agent's move
	beforeServer   func(f *fakeAPI)              // runs before each GetServer: another agent's move
	beforeList     func(f *fakeAPI)              // runs before each ListTasks: another agent's move
	rules          []ovhapi.Rule                 // CurrentCredential's rules; nil = FencingRules
	initialRunning int64                         // what the server runs before any listed task; 0 = the disk
	notFound       int                           // GetTask answers 404 this many times first
	failures       int                           // GetTask answers 500 this many times first
	abaDuring      int64                         // set this netboot while a task runs (it boots it), and the old one back before it ends
	abaSaved       int64
}

// running is the netboot the server runs: what the last task that ended done
// started (the ground truth the claims are checked against).
func (f *fakeAPI) running() int64 {
	boot := max(f.initialRunning, 1)
	for _, t := range f.tasks {
		if t.Status == "done" {
			boot = t.boot
		}
	}
	return boot
}

type fakeTask struct {
	ovhapi.Task
	boot int64 // the netboot it starts when done
}

func newFakeAPI() *fakeAPI {
	return &fakeAPI{
		server: ovhapi.Server{Name: "ns1.ip-1-2-3.eu", PowerState: "poweron", BootID: 1},
		boots: map[int64]ovhapi.Boot{
			1:      {ID: 1, Type: "harddisk", Kernel: "hd"},
			46371:  {ID: 46371, Type: "rescue", Kernel: "rescue-customer"},
			203323: {ID: 203323, Type: "rescue", Kernel: "ipxe-shell"},
			95083:  {ID: 95083, Type: "power", Kernel: "poweroff"},
		},
	}
}

func (f *fakeAPI) call(name string) error {
	f.calls = append(f.calls, name)
	if slices.Contains(strings.Split(f.failOn, ","), name) {
		return &ovhapi.Error{Kind: ovhapi.KindBadRequest, Status: 400, Message: "injected"}
	}
	return nil
}

func (f *fakeAPI) ListServers(context.Context) ([]string, error) {
	if err := f.call("ListServers"); err != nil {
		return nil, err
	}
	if f.listDenied {
		return nil, &ovhapi.Error{Kind: ovhapi.KindNotGranted, Status: 403, Message: "This call has not been granted"}
	}
	return []string{f.server.Name}, nil
}

func (f *fakeAPI) GetServer(_ context.Context, sn string) (ovhapi.Server, error) {
	if f.beforeServer != nil {
		f.beforeServer(f)
	}
	return f.server, f.call("GetServer")
}

func (f *fakeAPI) ListBoots(_ context.Context, _ string, bootType string) ([]int64, error) {
	var ids []int64
	for _, id := range []int64{1, 46371, 203323, 95083} {
		if _, ok := f.boots[id]; ok && (bootType == "" || f.boots[id].Type == bootType) {
			ids = append(ids, id)
		}
	}
	return ids, f.call("ListBoots")
}

func (f *fakeAPI) GetBoot(_ context.Context, _ string, id int64) (ovhapi.Boot, error) {
	if f.bootDenied {
		return ovhapi.Boot{}, &ovhapi.Error{Kind: ovhapi.KindNotGranted, Status: 403, Message: "This call has not been granted"}
	}
	boot, ok := f.boots[id]
	if !ok {
		return boot, &ovhapi.Error{Kind: ovhapi.KindNotFound, Status: 404}
	}
	return boot, f.call("GetBoot")
}

func (f *fakeAPI) SetBoot(_ context.Context, _ string, id int64, _ string) error {
	if err := f.call(fmt.Sprintf("SetBoot %d", id)); err != nil {
		return err
	}
	f.server.BootID = id
	return nil
}

// startTask records a hardReboot that boots boot when done.
func (f *fakeAPI) startTask(status string, boot int64) *fakeTask {
	id := int64(100)
	if n := len(f.tasks); n > 0 {
		id = f.tasks[n-1].ID + 1
	}
	t := &fakeTask{Task: ovhapi.Task{ID: id, Function: "hardReboot", Status: status}, boot: boot}
	f.tasks = append(f.tasks, t)
	f.task = &t.Task
	return t
}

func (f *fakeAPI) pendingTask() *fakeTask {
	for _, t := range f.tasks {
		if t.Pending() {
			return t
		}
	}
	return nil
}

func (f *fakeAPI) Reboot(context.Context, string) (ovhapi.Task, bool, error) {
	if err := f.call("Reboot"); err != nil {
		return ovhapi.Task{}, false, err
	}
	if f.beforeReboot != nil {
		f.beforeReboot(f, f.count("Reboot"))
	}
	if p := f.pendingTask(); p != nil {
		return p.Task, true, nil // TaskAlreadyExists, followed
	}
	return f.startTask("init", f.server.BootID).Task, false, nil
}

func (f *fakeAPI) GetTask(_ context.Context, _ string, id int64) (ovhapi.Task, error) {
	if err := f.call("GetTask"); err != nil {
		return ovhapi.Task{}, err
	}
	var t *fakeTask
	for _, candidate := range f.tasks {
		if candidate.ID == id {
			t = candidate
		}
	}
	if t == nil || f.notFound > 0 {
		f.notFound--
		return ovhapi.Task{}, &ovhapi.Error{Kind: ovhapi.KindNotFound, Status: 404}
	}
	if f.failures > 0 {
		f.failures--
		return ovhapi.Task{}, &ovhapi.Error{Kind: ovhapi.KindServer, Status: 500}
	}
	f.advance(t)
	if f.taskBody != nil {
		return f.taskBody(t.Task), nil
	}
	return t.Task, nil
}

func (f *fakeAPI) advance(t *fakeTask) {
	next := map[string]string{"init": "todo", "todo": "doing"}
	if s, ok := next[t.Status]; ok {
		t.Status = s
		if s == "doing" && f.abaDuring != 0 {
			f.abaSaved, f.server.BootID, t.boot = f.server.BootID, f.abaDuring, f.abaDuring
		}
		return
	}
	if f.abaSaved != 0 {
		f.server.BootID, f.abaSaved = f.abaSaved, 0
	}
	if t.Status != "doing" || f.stuck {
		return
	}
	t.Status = "done"
	if f.endStatus != "" {
		t.Status = f.endStatus
	} else if f.boots[t.boot].Kernel == "poweroff" {
		f.server.PowerState = "poweroff"
	} else {
		f.server.PowerState = "poweron"
	}
	if f.bootAfter != 0 {
		f.server.BootID = f.bootAfter
	}
}

func (f *fakeAPI) ListTasks(_ context.Context, _ string, function, _ string) ([]int64, error) {
	if f.beforeList != nil {
		f.beforeList(f)
	}
	if err := f.call("ListTasks"); err != nil {
		return nil, err
	}
	if f.tasksDenied {
		return nil, &ovhapi.Error{Kind: ovhapi.KindNotGranted, Status: 403, Message: "This call has not been granted"}
	}
	ids := []int64{}
	for _, t := range f.tasks {
		if function == "" || t.Function == function {
			ids = append(ids, t.ID)
		}
	}
	slices.Reverse(ids) // OVH lists in no promised order
	return ids, nil
}

func (f *fakeAPI) CurrentCredential(context.Context) (ovhapi.Credential, error) {
	rules := f.rules
	if rules == nil {
		rules = ovhapi.FencingRules(f.server.Name)
	}
	return ovhapi.Credential{Status: "validated", Rules: rules}, f.call("CurrentCredential")
}

func (f *fakeAPI) count(name string) int {
	n := 0
	for _, c := range f.calls {
		if c == name {
			n++
		}
	}
	return n
}

func (f *fakeAPI) trace() string { return strings.Join(f.calls, ", ") }
