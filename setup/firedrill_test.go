package setup

import (
	"context"
	"fmt"
	"math"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ovhfence/ovhfence/cluster"
	"github.com/ovhfence/ovhfence/fencing"
	"github.com/ovhfence/ovhfence/internal/fakeclock"
	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/ovhsim"
	"github.com/ovhfence/ovhfence/wizard"
)

// The fire drill (issue 12) on a fake clock shared with the simulator: 90 s
// reboot tasks and OVH's 143 s power-off lag. The live test's off and on are
// each the time from our reboot request to the verified read-back, as the
// simulator's own request log shows them; in poweroff mode the off includes
// the wait for powerState poweroff, so it is the longer.
func TestFireDrillMeasuresRequestToReadBack(t *testing.T) {
	clock := fakeclock.New(time.Now())
	// The client signs with the real clock; the window only has to cover the jumps.
	sim := ovhsim.New(ovhsim.Config{Now: clock.Now, TimestampWindow: 24 * time.Hour,
		Durations: ovhsim.Durations{Init: 5 * time.Second, Todo: 5 * time.Second, Doing: 80 * time.Second}, PowerOffLag: ovhsim.RealPowerOffLag})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	seed := ovhsim.DefaultServers()[0]
	ak, as, ck := sim.CreateToken(ovhsim.FencingRules(seed.Name))
	cfg := ovhapi.Config{Endpoint: srv.URL + "/1.0", ApplicationKey: ak, ApplicationSecret: as, ConsumerKey: ck}
	dir := t.TempDir()
	r := New(Options{Clock: clock, OutDir: dir, CredentialsPath: filepath.Join(dir, "ovh.conf")})

	result := r.Run(context.Background(), wizard.EffectFenceCycle{Config: cfg, Node: "node1",
		Target: fencing.Target{Server: seed.Name, Mode: fencing.ModePoweroff, Boots: fencing.BootIDs{Power: seed.PowerBootID, Disk: 1}}}, nil)
	cycled, ok := result.(wizard.FenceCycled)
	if !ok || cycled.Err != nil {
		t.Fatalf("%#v", result)
	}

	// Ground truth: each POST …/reboot, and the last read of the server before
	// the next one (or the end) is that phase's verified read-back.
	server := "/1.0/dedicated/server/" + seed.Name
	var posts, readBacks []time.Time
	for _, req := range sim.Requests() {
		switch {
		case req.Method == "POST" && req.Path == server+"/reboot":
			posts = append(posts, req.Time)
			readBacks = append(readBacks, time.Time{})
		case req.Method == "GET" && req.Path == server && len(posts) > 0:
			readBacks[len(posts)-1] = req.Time
		}
	}
	if len(posts) != 2 {
		t.Fatalf("%d reboot requests, want off and on", len(posts))
	}
	wantOff, wantOn := readBacks[0].Sub(posts[0]), readBacks[1].Sub(posts[1])
	if cycled.Off != wantOff || cycled.On != wantOn {
		t.Errorf("measured off %s, on %s; the simulator saw %s and %s from request to read-back", cycled.Off, cycled.On, wantOff, wantOn)
	}
	if cycled.Off < ovhsim.RealPowerOffLag || cycled.On < 90*time.Second {
		t.Errorf("off %s, on %s: shorter than the power-off lag (%s) or the task (90 s)", cycled.Off, cycled.On, ovhsim.RealPowerOffLag)
	}

	// The longer, rounded up, flows into the cluster file and the rendered configuration.
	c := cluster.New("demo", cluster.TargetPcs)
	c.Nodes = []cluster.Node{cluster.NewNode("node1", seed.Name), cluster.NewNode("node2", ovhsim.DefaultServers()[1].Name)}
	c.Nodes[0].Delay = 15
	c.RecordRebootTime(cycled.Off, cycled.On)
	want := int(math.Ceil(max(cycled.Off, cycled.On).Seconds()))
	p, ok := r.preview(wizard.EffectPreview{Cluster: c, Config: cfg, Targets: []cluster.Target{cluster.TargetPcs, cluster.TargetCrm}}).(wizard.Previewed)
	if !ok || p.Err != nil || len(p.Files) != 4 {
		t.Fatalf("preview: %+v", p)
	}
	for i, wantText := range []string{fmt.Sprintf("\nreboot_time = %d\n", want), "", fmt.Sprintf(" reboot_time=%d ", want), fmt.Sprintf(" reboot_time=%d ", want)} {
		if !strings.Contains(string(p.Files[i].Content), wantText) {
			t.Errorf("%s lacks %q", p.Files[i].Path, wantText)
		}
	}
	if next := strings.Join(p.Next, "\n"); !strings.Contains(next, fmt.Sprintf("from a hard reboot of %d s (measured", want)) {
		t.Errorf("the next steps do not give the timeouts' reason:\n%s", next)
	}
}
