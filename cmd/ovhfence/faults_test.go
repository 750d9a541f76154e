package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ovhfence/ovhfence/ovhsim"
)

// TestFaultMatrix injects every simulator fault into every fencing action. A fault
// either ends the run with exit 1 and one clear "Failed:" line, or — where it is
// transient and retrying is safe — the action succeeds after a retry. Never a
// Success that OVH did not confirm.
func TestFaultMatrix(t *testing.T) {
	const servers, reboots = "/dedicated/server/*", "/dedicated/server/*/reboot"
	faults := []struct {
		name  string
		fault ovhsim.Fault
		// outcome per action: "ok" (success, possibly after retries) or "fail".
		off, on, reboot, status, monitor string
		stderr                           string // what the Failed line must mention
	}{
		{"500 always", ovhsim.Fault{Kind: ovhsim.FaultStatus500, Path: servers}, "fail", "fail", "fail", "fail", "ok", "HTTP 500"},
		{"500 once", ovhsim.Fault{Kind: ovhsim.FaultStatus500, Path: servers, Count: 1}, "ok", "ok", "ok", "ok", "ok", ""},
		{"503 HTML always", ovhsim.Fault{Kind: ovhsim.FaultHTML503, Path: servers}, "fail", "fail", "fail", "fail", "ok", "HTTP 503"},
		{"429 always", ovhsim.Fault{Kind: ovhsim.FaultStatus429, Path: servers}, "fail", "fail", "fail", "fail", "ok", "429"},
		{"429 once", ovhsim.Fault{Kind: ovhsim.FaultStatus429, Path: servers, Count: 1}, "ok", "ok", "ok", "ok", "ok", ""},
		{"dropped connections", ovhsim.Fault{Kind: ovhsim.FaultDrop, Path: servers}, "fail", "fail", "fail", "fail", "ok", "EOF"},
		{"dropped once", ovhsim.Fault{Kind: ovhsim.FaultDrop, Path: servers, Count: 1}, "ok", "ok", "ok", "ok", "ok", ""},
		{"latency beyond the request timeout", ovhsim.Fault{Kind: ovhsim.FaultLatency, Path: servers, Latency: 10 * time.Second}, "fail", "fail", "fail", "fail", "ok", "timeout"},
		{"slow /auth/time", ovhsim.Fault{Kind: ovhsim.FaultSlowTime, Latency: 10 * time.Second}, "fail", "fail", "fail", "fail", "fail", "time"},
		{"all calls fail, monitor too", ovhsim.Fault{Kind: ovhsim.FaultStatus500, Path: "/auth/currentCredential"}, "ok", "ok", "ok", "ok", "fail", "HTTP 500"},
		// The reboot request itself: a lost answer is looked up among the server's
		// tasks (the fencing key may list them) before the request is sent again.
		{"reboot request answered 500 once", ovhsim.Fault{Kind: ovhsim.FaultStatus500, Method: "POST", Path: reboots, Count: 1}, "ok", "ok", "ok", "ok", "ok", ""},
		{"reboot request dropped once", ovhsim.Fault{Kind: ovhsim.FaultDrop, Method: "POST", Path: reboots, Count: 1}, "ok", "ok", "ok", "ok", "ok", ""},
		{"reboot request answered 503 always", ovhsim.Fault{Kind: ovhsim.FaultHTML503, Method: "POST", Path: reboots}, "fail", "fail", "fail", "ok", "ok", "HTTP 503"},
		{"transient task 404", ovhsim.Fault{Kind: ovhsim.FaultTask404, Count: 2}, "ok", "ok", "ok", "ok", "ok", ""},
		{"transient task 500", ovhsim.Fault{Kind: ovhsim.FaultTask500, Count: 2}, "ok", "ok", "ok", "ok", "ok", ""},
		{"task 404 for good", ovhsim.Fault{Kind: ovhsim.FaultTask404}, "fail", "fail", "fail", "ok", "ok", "task"},
		{"done tasks purged at once", ovhsim.Fault{Kind: ovhsim.FaultPurgeDone, PurgeAfter: time.Nanosecond}, "fail", "fail", "fail", "ok", "ok", "task"},
		{"task ends in ovhError", ovhsim.Fault{Kind: ovhsim.FaultTaskEnd, TaskEnd: "ovhError"}, "fail", "fail", "fail", "ok", "ok", "ovhError"},
		{"task ends in customerError", ovhsim.Fault{Kind: ovhsim.FaultTaskEnd, TaskEnd: "customerError"}, "fail", "fail", "fail", "ok", "ok", "customerError"},
		{"task cancelled", ovhsim.Fault{Kind: ovhsim.FaultTaskEnd, TaskEnd: "cancelled"}, "fail", "fail", "fail", "ok", "ok", "cancelled"},
	}
	for _, f := range faults {
		for _, action := range []struct{ name, want string }{
			{"off", f.off}, {"on", f.on}, {"reboot", f.reboot}, {"status", f.status}, {"monitor", f.monitor},
		} {
			f, action := f, action
			t.Run(f.name+"/"+action.name, func(t *testing.T) {
				t.Parallel()
				e := newSimEnv(t)
				s := seed(0)
				if action.name == "on" {
					e.setBootWithoutReboot(t, s.Name, s.RescueBootID) // status OFF, so on must reboot
				}
				e.sim.AddFault(f.fault)
				res := e.run(t, e.stdin(action.name, s.Name, append(bootParams(s), "shell_timeout=2", "login_timeout=2", "power_timeout=3")...))
				if action.want == "ok" {
					if res.code != 0 {
						t.Fatalf("want success, got code %d stdout %q stderr %q", res.code, res.stdout, res.stderr)
					}
					return
				}
				if res.code != 1 || strings.Contains(res.stdout, "Success") || strings.Contains(res.stdout, "Status:") {
					t.Fatalf("want failure, got code %d stdout %q stderr %q", res.code, res.stdout, res.stderr)
				}
				if strings.Count(res.stderr, "Failed: ") != 1 || !strings.Contains(strings.ToLower(res.stderr), strings.ToLower(f.stderr)) {
					t.Fatalf("want one Failed line mentioning %q, got %q", f.stderr, res.stderr)
				}
			})
		}
	}
}

// setBootWithoutReboot changes a server's netboot as someone in the OVH manager
// might, without rebooting it.
func (e *simEnv) setBootWithoutReboot(t *testing.T, sn string, bootID int64) {
	t.Helper()
	if err := e.apiClient(t).SetBoot(context.Background(), sn, bootID, ""); err != nil {
		t.Fatal(err)
	}
}
