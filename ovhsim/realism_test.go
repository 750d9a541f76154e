package ovhsim

import (
	"net/http"
	"slices"
	"testing"
	"time"
)

func serverField(t *testing.T, sim *Sim, k keys, field string) any {
	t.Helper()
	return decode[map[string]any](t, ovhCall(sim, k, "GET", "/1.0/dedicated/server/"+sn1, ""))[field]
}

// The power-off lag (reference §3.6), counted from the reboot request, ending
// before or after the task is done: powerState reads poweroff exactly from
// the end of the lag, whatever the task says.
func TestPowerOffLag(t *testing.T) {
	const total = 5 * time.Second // DefaultDurations
	for _, lag := range []time.Duration{0, 2 * time.Second, 4 * time.Second, 8 * time.Second, RealPowerOffLag} {
		sim, clock := newTestSim(t, Config{PowerOffLag: lag})
		k := adminKeys(sim)
		task := reboot(t, sim, k, sn1, 95083)
		dark := lag
		if lag == 0 {
			dark = total
		}
		for elapsed := time.Duration(0); elapsed <= dark+total; elapsed += 500 * time.Millisecond {
			got := serverField(t, sim, k, "powerState")
			want := "poweron"
			if elapsed >= dark {
				want = "poweroff"
			}
			if got != want {
				t.Fatalf("lag %v, %v after the request (task %s): powerState %v, want %s",
					lag, elapsed, getTask(t, sim, k, sn1, task.ID).Status, got, want)
			}
			clock.Advance(500 * time.Millisecond)
		}
	}
}

// A reboot asked before the server went dark wins: it never goes dark.
func TestPowerOffLagPreemptedByALaterReboot(t *testing.T) {
	sim, clock := newTestSim(t, Config{PowerOffLag: 20 * time.Second})
	k := adminKeys(sim)
	reboot(t, sim, k, sn1, 95083)
	clock.Advance(10 * time.Second) // done, still lit
	reboot(t, sim, k, sn1, 1)
	clock.Advance(time.Minute)
	if got := serverField(t, sim, k, "powerState"); got != "poweron" {
		t.Fatalf("powerState %v after the disk reboot, want poweron", got)
	}
}

func TestControlPowerOffLag(t *testing.T) {
	sim, clock := newTestSim(t, Config{})
	k := adminKeys(sim)
	wantStatus(t, control(sim, "POST", "/_sim/poweroff-lag", `{"lag":"-1s"}`), http.StatusBadRequest)
	wantStatus(t, control(sim, "POST", "/_sim/poweroff-lag", `{"lag":"9s"}`), http.StatusOK)
	reboot(t, sim, k, sn1, 95083)
	clock.Advance(6 * time.Second)
	if task := getTask(t, sim, k, sn1, sim.lastTaskID); task.Status != "done" || serverField(t, sim, k, "powerState") != "poweron" {
		t.Fatalf("6 s in: task %s, powerState %v; want done and still poweron", task.Status, serverField(t, sim, k, "powerState"))
	}
	clock.Advance(3 * time.Second)
	if got := serverField(t, sim, k, "powerState"); got != "poweroff" {
		t.Fatalf("9 s in: powerState %v, want poweroff", got)
	}
}

func TestControlCatalogue(t *testing.T) {
	sim, _ := newTestSim(t, Config{})
	k := adminKeys(sim)
	base := "/_sim/servers/" + sn1 + "/boots"
	for _, bad := range []string{
		`[{"bootId":5,"bootType":"rescue","kernel":"rescue12-customer"}]`,                                           // no disk
		`[{"bootId":1,"bootType":"harddisk","kernel":"hd"},{"bootId":1,"bootType":"rescue","kernel":"ipxe-shell"}]`, // twice
		`[{"bootId":1,"bootType":"harddisk","kernel":"hd"},{"bootId":7,"bootType":"rescue"}]`,                       // no kernel
		`{"bootId":1}`, // not a list
	} {
		wantStatus(t, control(sim, "PUT", base, bad), http.StatusBadRequest)
	}
	wantStatus(t, control(sim, "PUT", base, `[{"bootId":1,"bootType":"harddisk","description":"Boot to disk","kernel":"hd"},
		{"bootId":203323,"bootType":"rescue","description":"iPXE shell","kernel":"ipxe-shell"}]`), http.StatusOK)
	if got := decode[[]int64](t, ovhCall(sim, k, "GET", "/1.0/dedicated/server/"+sn1+"/boot", "")); !slices.Equal(got, []int64{1, 203323}) {
		t.Errorf("boots = %v, want [1 203323]", got)
	}
	wantStatus(t, ovhCall(sim, k, "GET", "/1.0/dedicated/server/"+sn1+"/boot/230242", ""), http.StatusNotFound)
	// The server may not be left on a netboot the catalogue drops.
	wantStatus(t, ovhCall(sim, k, "PUT", "/1.0/dedicated/server/"+sn1, `{"bootId":203323}`), http.StatusOK)
	wantStatus(t, control(sim, "PUT", base, `[{"bootId":1,"bootType":"harddisk","kernel":"hd"}]`), http.StatusBadRequest)
	wantStatus(t, control(sim, "PUT", "/_sim/servers/nope/boots", `[{"bootId":1,"bootType":"harddisk","kernel":"hd"}]`), http.StatusBadRequest)
}

func TestControlServerFields(t *testing.T) {
	sim, _ := newTestSim(t, Config{})
	k := adminKeys(sim)
	for _, state := range []string{"hacked", "hackedBlocked", "error", "ok"} {
		wantStatus(t, control(sim, "PATCH", "/_sim/servers/"+sn1, `{"state":"`+state+`"}`), http.StatusOK)
		if got := serverField(t, sim, k, "state"); got != state {
			t.Errorf("state %v, want %s", got, state)
		}
	}
	wantStatus(t, control(sim, "PATCH", "/_sim/servers/"+sn1, `{"state":"sleeping"}`), http.StatusBadRequest)
	wantStatus(t, control(sim, "PATCH", "/_sim/servers/"+sn1, `{"monitoring":false,"noIntervention":true}`), http.StatusOK)
	if serverField(t, sim, k, "monitoring") != false || serverField(t, sim, k, "noIntervention") != true || serverField(t, sim, k, "state") != "ok" {
		t.Errorf("monitoring/noIntervention not set, or state changed")
	}
}
