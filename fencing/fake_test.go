package fencing

import (
	"context"
	"fmt"
	"strings"

	"github.com/ovhfence/ovhfence/ovhapi"
)

// fakeAPI is a scripted single-server OVH: each GetTask advances the reboot task one
// state, and the task's final state applies the boot that was set when it started.
type fakeAPI struct {
	server     ovhapi.Server
	boots      map[int64]ovhapi.Boot
	task       *ovhapi.Task
	taskBoot   int64
	endStatus  string       // what the task ends in; "" = done
	pending    *ovhapi.Task // a hardReboot someone else started, followed by the first Reboot
	calls      []string
	failOn     string // a call name that returns an error
	stuck      bool   // the task never leaves "doing"
	bootAfter  int64  // if set, someone changes the boot to this while the task runs
	listDenied bool   // ListServers is not granted to the key
	bootDenied bool   // GetBoot is not granted to the key
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
	if f.failOn == name {
		return &ovhapi.Error{Kind: ovhapi.KindServer, Status: 500, Message: "injected"}
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
	return f.server, f.call("GetServer")
}

func (f *fakeAPI) ListBoots(_ context.Context, _ string, bootType string) ([]int64, error) {
	var ids []int64
	for _, id := range []int64{1, 46371, 203323, 95083} {
		if bootType == "" || f.boots[id].Type == bootType {
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

func (f *fakeAPI) Reboot(context.Context, string) (ovhapi.Task, bool, error) {
	if err := f.call("Reboot"); err != nil {
		return ovhapi.Task{}, false, err
	}
	if f.pending != nil {
		task := *f.pending
		f.pending = nil
		f.task, f.taskBoot = &task, 1 // started before our boot change: boots the disk
		return task, true, nil
	}
	id := int64(100)
	if f.task != nil {
		id = f.task.ID + 1
	}
	f.task = &ovhapi.Task{ID: id, Function: "hardReboot", Status: "init"}
	f.taskBoot = f.server.BootID
	return *f.task, false, nil
}

func (f *fakeAPI) GetTask(_ context.Context, _ string, id int64) (ovhapi.Task, error) {
	if err := f.call("GetTask"); err != nil {
		return ovhapi.Task{}, err
	}
	next := map[string]string{"init": "todo", "todo": "doing"}
	if s, ok := next[f.task.Status]; ok {
		f.task.Status = s
	} else if f.task.Status == "doing" && !f.stuck {
		f.task.Status = "done"
		if f.endStatus != "" {
			f.task.Status = f.endStatus
		} else if f.boots[f.taskBoot].Kernel == "poweroff" {
			f.server.PowerState = "poweroff"
		} else {
			f.server.PowerState = "poweron"
		}
		if f.bootAfter != 0 {
			f.server.BootID = f.bootAfter
		}
	}
	return *f.task, nil
}

func (f *fakeAPI) CurrentCredential(context.Context) (ovhapi.Credential, error) {
	return ovhapi.Credential{Status: "validated", Rules: ovhapi.FencingRules(f.server.Name)}, f.call("CurrentCredential")
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
