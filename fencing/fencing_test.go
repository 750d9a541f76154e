package fencing

import (
	"context"
	"strings"
	"testing"
	"time"
)

func testFencer(api *fakeAPI) *Fencer {
	// RebootTime at the poll interval: the fake's tasks move one state per read.
	return &Fencer{API: api, PollInterval: time.Millisecond, RebootTime: time.Millisecond, Timeout: 2 * time.Second}
}

func rescueTarget() Target {
	return Target{Server: "ns1.ip-1-2-3.eu", Mode: ModeRescue}
}

func TestOff(t *testing.T) {
	tests := []struct {
		name        string
		setup       func(*fakeAPI)
		target      Target
		wantAlready bool
		wantBoot    int64
		wantPower   string
		wantReboots int
		wantErr     string
	}{
		{name: "rescue mode discovers the rescue-customer netboot", target: rescueTarget(),
			wantBoot: 46371, wantPower: "poweron", wantReboots: 1},
		{name: "rescue mode with configured IDs", target: Target{Server: "ns1.ip-1-2-3.eu", Mode: ModeRescue, Boots: BootIDs{Rescue: 203323}},
			wantBoot: 203323, wantPower: "poweron", wantReboots: 1},
		{name: "poweroff mode ends powered off", target: Target{Server: "ns1.ip-1-2-3.eu", Mode: ModePoweroff},
			wantBoot: 95083, wantPower: "poweroff", wantReboots: 1},
		{name: "already powered off on the off netboot needs no reboot", target: rescueTarget(),
			setup: func(f *fakeAPI) { f.server.PowerState, f.server.BootID = "poweroff", 46371 }, wantAlready: true, wantBoot: 46371, wantPower: "poweroff"},
		{name: "powered off but set to its disk may start again: fence it", target: Target{Server: "ns1.ip-1-2-3.eu", Mode: ModePoweroff},
			setup: func(f *fakeAPI) { f.server.PowerState = "poweroff" }, wantBoot: 95083, wantPower: "poweroff", wantReboots: 1},
		{name: "a rescue boot setting alone proves nothing: reboot anyway", target: rescueTarget(),
			setup: func(f *fakeAPI) { f.server.BootID = 46371 }, wantBoot: 46371, wantPower: "poweron", wantReboots: 1},
		{name: "a pending reboot is followed, then ours is sent", target: rescueTarget(),
			setup: func(f *fakeAPI) { f.startTask("init", 1) }, wantBoot: 46371, wantPower: "poweron", wantReboots: 1},
		{name: "task in ovhError fails", target: rescueTarget(),
			setup: func(f *fakeAPI) { f.endStatus = "ovhError" }, wantReboots: 1, wantErr: `ended in "ovhError"`},
		{name: "task cancelled fails", target: rescueTarget(),
			setup: func(f *fakeAPI) { f.endStatus = "cancelled" }, wantReboots: 1, wantErr: `ended in "cancelled"`},
		{name: "task never done times out", target: rescueTarget(),
			setup: func(f *fakeAPI) { f.stuck = true }, wantReboots: 1, wantErr: "gave up waiting"},
		{name: "boot changed behind our back fails verification", target: rescueTarget(),
			setup: func(f *fakeAPI) { f.bootAfter = 1 }, wantReboots: 1, wantErr: "someone changed it"},
		{name: "boot change refused", target: rescueTarget(),
			setup: func(f *fakeAPI) { f.failOn = "SetBoot 46371" }, wantErr: "setting netboot 46371"},
		{name: "the disk as off netboot is refused (issue 8 item 3)", target: Target{Server: "ns1.ip-1-2-3.eu", Mode: ModeRescue, Boots: BootIDs{Rescue: 1}},
			wantErr: "is its disk netboot"},
		{name: "a power netboot in rescue mode is refused (issue 8 item 3)", target: Target{Server: "ns1.ip-1-2-3.eu", Mode: ModeRescue, Boots: BootIDs{Rescue: 95083}},
			wantErr: `not "rescue"`},
		{name: "a rescue netboot in poweroff mode is refused (issue 8 item 3)", target: Target{Server: "ns1.ip-1-2-3.eu", Mode: ModePoweroff, Boots: BootIDs{Power: 46371}},
			wantErr: `not "power"`},
		{name: "a netboot the key may not read is not type-checked", target: Target{Server: "ns1.ip-1-2-3.eu", Mode: ModeRescue, Boots: BootIDs{Rescue: 46371}},
			setup: func(f *fakeAPI) { f.bootDenied = true }, wantBoot: 46371, wantPower: "poweron", wantReboots: 1},
		{name: "poweroff mode without a power netboot", target: Target{Server: "ns1.ip-1-2-3.eu", Mode: ModePoweroff},
			setup: func(f *fakeAPI) { delete(f.boots, 95083) }, wantBoot: 1, wantErr: "no power netboot"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI()
			if tt.setup != nil {
				tt.setup(api)
			}
			f := testFencer(api)
			if tt.wantErr == "gave up waiting" {
				f.Timeout = 30 * time.Millisecond
			}
			res, err := f.Off(context.Background(), tt.target)
			if got := api.count("Reboot"); got != tt.wantReboots {
				t.Errorf("reboots = %d, want %d (%s)", got, tt.wantReboots, api.trace())
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Off: %v (%s)", err, api.trace())
			}
			if res.Already != tt.wantAlready {
				t.Errorf("Already = %v, want %v", res.Already, tt.wantAlready)
			}
			if api.server.BootID != tt.wantBoot || api.server.PowerState != tt.wantPower {
				t.Errorf("server boot %d %s, want %d %s", api.server.BootID, api.server.PowerState, tt.wantBoot, tt.wantPower)
			}
		})
	}
}

func TestOnAndReboot(t *testing.T) {
	api := newFakeAPI()
	api.server.BootID, api.server.PowerState = 95083, "poweroff"
	f := testFencer(api)
	res, err := f.On(context.Background(), rescueTarget())
	if err != nil || res.Already {
		t.Fatalf("On from poweroff: %+v %v", res, err)
	}
	if api.server.BootID != 1 || api.server.PowerState != "poweron" {
		t.Fatalf("after On: boot %d %s", api.server.BootID, api.server.PowerState)
	}
	if res, err = f.On(context.Background(), rescueTarget()); err != nil || res.Already {
		t.Fatalf("On when on: %+v %v", res, err)
	}
	if api.count("Reboot") != 2 {
		t.Fatalf("reboots after two On = %d, want 2: on always reboots", api.count("Reboot"))
	}

	api = newFakeAPI()
	f = testFencer(api)
	if _, err := f.Reboot(context.Background(), rescueTarget(), MethodCycle); err != nil {
		t.Fatal(err)
	}
	if api.count("Reboot") != 1 || api.count("SetBoot 1") != 1 {
		t.Fatalf("cycle: %s", api.trace())
	}

	api = newFakeAPI()
	f = testFencer(api)
	if _, err := f.Reboot(context.Background(), rescueTarget(), MethodOnOff); err != nil {
		t.Fatal(err)
	}
	if api.count("Reboot") != 2 || api.count("SetBoot 46371") != 1 || api.count("SetBoot 1") != 1 {
		t.Fatalf("onoff: %s", api.trace())
	}
}

// Issue 8 item 2: Status: OFF only with proof; a rescue setting alone is ON.
func TestStatus(t *testing.T) {
	tests := []struct {
		name  string
		boot  int64
		power string
		setup func(*fakeAPI)
		want  Power
	}{
		{"disk and powered on", 1, "poweron", nil, PowerOn},
		{"powered off on the power netboot, nothing pending", 95083, "poweroff", nil, PowerOff},
		{"powered off on the power netboot after a done reboot", 95083, "poweroff", func(f *fakeAPI) { f.startTask("done", 95083) }, PowerOff},
		{"powered off but set to its disk", 1, "poweroff", nil, PowerOn},
		{"set to rescue and powered on: cannot tell, ON", 46371, "poweron", nil, PowerOn},
		{"set to the power netboot but powered on", 95083, "poweron", nil, PowerOn},
		{"powered off with a hard reboot pending", 95083, "poweroff", func(f *fakeAPI) { f.startTask("todo", 1) }, PowerOn},
		{"powered off with a hard reboot stuck in doing", 95083, "poweroff", func(f *fakeAPI) {
			f.startTask("doing", 1)
			f.stuck = true
		}, PowerOn},
		{"powered off, key may not list tasks", 95083, "poweroff", func(f *fakeAPI) { f.tasksDenied = true }, PowerOn},
		{"rescue netboot not readable by the key", 203323, "poweron", func(f *fakeAPI) { f.bootDenied = true }, PowerOn},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI()
			api.server.BootID, api.server.PowerState = tt.boot, tt.power
			if tt.setup != nil {
				tt.setup(api)
			}
			got, err := testFencer(api).Status(context.Background(), Target{Server: "ns1.ip-1-2-3.eu"})
			if err != nil || got != tt.want {
				t.Fatalf("Status = %v, %v; want %v (%s)", got, err, tt.want, api.trace())
			}
		})
	}
}

func TestListFallsBackToRules(t *testing.T) {
	api := newFakeAPI()
	api.listDenied = true
	plugs, err := testFencer(api).List(context.Background())
	if err != nil || len(plugs) != 1 || plugs[0].Name != "ns1.ip-1-2-3.eu" {
		t.Fatalf("List = %v, %v", plugs, err)
	}
}

func TestDiscoverBoots(t *testing.T) {
	ids, err := DiscoverBoots(context.Background(), newFakeAPI(), "ns1.ip-1-2-3.eu")
	if err != nil || ids.Rescue != 46371 || ids.Power != 95083 || ids.Disk != 1 {
		t.Fatalf("DiscoverBoots = %+v, %v", ids, err)
	}
}
