package tui

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/ovhfence/ovhfence/cluster"
	"github.com/ovhfence/ovhfence/fencing"
	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/wizard"
)

const (
	sn1 = "ns567890.ip-123-22-44.eu"
	sn2 = "ns567891.ip-123-22-45.eu"
	sn3 = "ns567892.ip-123-22-46.eu"
)

// fakeClientSecret is the service account's secret the fake runner creates.
const fakeClientSecret = "CS1secret"

// fakeRunner answers every effect with fixed, plausible results and records
// what it was asked.
type fakeRunner struct {
	mu    sync.Mutex
	works []wizard.Work
}

func (f *fakeRunner) Run(_ context.Context, work wizard.Work, progress func(wizard.Result)) wizard.Result {
	f.mu.Lock()
	f.works = append(f.works, work)
	f.mu.Unlock()
	return fakeResult(work, progress)
}

func (f *fakeRunner) count(kind wizard.Work) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, w := range f.works {
		if fmt.Sprintf("%T", w) == fmt.Sprintf("%T", kind) {
			n++
		}
	}
	return n
}

var fakeBoots = map[string]fencing.BootIDs{
	sn1: {Rescue: 230242, Power: 95083, Disk: 1, RescueDescription: "Customer rescue system (Debian-12-based)", PowerDescription: "Power-off server"},
	sn2: {Rescue: 230311, Power: 95117, Disk: 1, RescueDescription: "Customer rescue system (Debian-12-based)", PowerDescription: "Power-off server"},
	sn3: {Rescue: 1122, Power: 95160, Disk: 1, RescueDescription: "Rescue64 pro", PowerDescription: "Power-off server"},
}

func fakeResult(work wizard.Work, progress func(wizard.Result)) wizard.Result {
	switch w := work.(type) {
	case wizard.EffectPreflight:
		return wizard.PreflightFound{Preflight: wizard.Preflight{
			Detected: []cluster.Target{cluster.TargetPcs}, ClusterName: "demo",
			Nodes: []string{"node1", "node2", "node3"}, NodesSource: "/etc/corosync/corosync.conf",
		}}
	case wizard.EffectSyncTime:
		return wizard.TimeSynced{Skew: 400 * time.Millisecond}
	case wizard.EffectProveAppKey:
		return wizard.AppKeyProven{}
	case wizard.EffectRequestKey:
		return wizard.KeyRequested{Request: ovhapi.ConsumerKeyRequest{
			ConsumerKey: "ck" + w.Purpose, ValidationURL: "https://eu.api.ovh.com/auth/?credentialToken=" + w.Purpose,
		}}
	case wizard.EffectWaitKey:
		return wizard.KeyValidated{}
	case wizard.EffectDiscoverServers:
		return wizard.ServersFound{Servers: []wizard.ServerInfo{
			{Name: sn1, Reverse: "node1.example.net", Datacenter: "gra1", State: "ok"},
			{Name: sn2, Reverse: "node2.example.net", Datacenter: "rbx8", State: "ok"},
			{Name: sn3, Reverse: "node3.example.net", Datacenter: "sbg3", State: "ok"},
		}}
	case wizard.EffectDiscoverBoots:
		return wizard.BootsFound{Boots: fakeBoots}
	case wizard.EffectCheckKey:
		return wizard.KeyChecked{}
	case wizard.EffectCreateAccount:
		return wizard.AccountCreated{ClientID: "cid1", ClientSecret: fakeClientSecret, PolicyID: "pol1"}
	case wizard.EffectCheckAccount:
		return wizard.KeyChecked{}
	case wizard.EffectStatusAll:
		power := map[string]fencing.Power{}
		for _, t := range w.Targets {
			power[t.Server] = fencing.PowerOn
		}
		return wizard.StatusRead{Power: power}
	case wizard.EffectFenceCycle:
		if progress != nil {
			progress(wizard.FenceProgress{Line: w.Target.Server + ": task done (4.1s)"})
		}
		return wizard.FenceCycled{Off: 4100 * time.Millisecond, On: 5200 * time.Millisecond}
	case wizard.EffectPreview:
		return wizard.Previewed{Files: []wizard.File{
			{Path: "/tmp/out/demo.cluster", Content: []byte("[cluster]\n"), Purpose: "the cluster file"},
			{Path: "/etc/ovh.conf", Content: []byte("secret"), Secret: true, Purpose: "the OVH keys, mode 0600"},
			{Path: "/tmp/out/fence-demo-pcs.sh", Content: []byte("pcs stonith create …\n"), Purpose: "pcs commands"},
		}, Next: []string{"Next steps on Pacemaker (pcs):", "  1. Run it once on one node:   sh /tmp/out/fence-demo-pcs.sh"}}
	case wizard.EffectWrite:
		paths := make([]string, len(w.Files))
		for i, f := range w.Files {
			paths[i] = f.Path
		}
		return wizard.Wrote{Paths: paths, LogPath: "/tmp/out/ovhfence-setup.log"}
	}
	panic(fmt.Sprintf("fake runner: %T", work))
}
