package campaign

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/ovhfence/ovhfence/ovhsim"
)

// faultKinds is every fault ovhsim offers.
var faultKinds = []string{
	ovhsim.FaultStatus500, ovhsim.FaultHTML503, ovhsim.FaultStatus429, ovhsim.FaultLatency, ovhsim.FaultDrop,
	ovhsim.FaultSlowTime, ovhsim.FaultTask404, ovhsim.FaultTask500, ovhsim.FaultPurgeDone, ovhsim.FaultTaskEnd,
	ovhsim.FaultForeignTask, ovhsim.FaultEmptyBody, ovhsim.FaultNullBody,
	ovhsim.FaultOtherReboot, ovhsim.FaultOtherFunction, ovhsim.FaultForeignServer,
}

// faultPaths are where a fault may be aimed; "" keeps its default target.
var faultPaths = []string{"", "", "/dedicated/server/*", "/dedicated/server/*/task/*", "/dedicated/server/*/task",
	"/dedicated/server/*/reboot", "/dedicated/server/*/boot/*", "/auth/time"}

var taskEnds = []string{"ovhError", "customerError", "cancelled"}

// chaos injects faults, changes task durations, sets boots by hand and
// reboots from the OVH manager until stop is closed.
func (p *phase) chaos(stop <-chan struct{}) {
	var sum Summary
	seq := 0
	defer func() {
		sum.Firings += p.firings(&seq)
		p.record(sum)
	}()
	for {
		select {
		case <-stop:
			return
		case <-time.After(time.Duration(10+p.rng.Intn(140)) * time.Millisecond):
		}
		srv := p.servers[p.rng.Intn(len(p.servers))]
		switch n := p.rng.Intn(1000); {
		case n < 300:
			p.sim.AddFault(p.randomFault())
			sum.Faults++
		case n < 380:
			p.sim.ClearFaults()
		case n < 560:
			p.sim.SetDurations(randomDurations(p.rng))
		case n < 575:
			boots := []int64{1, srv.seed.RescueBootID, srv.seed.IpxeBootID, srv.seed.PowerBootID}
			if p.sim.SetBootByHand(srv.seed.Name, boots[p.rng.Intn(len(boots))]) == nil {
				sum.Manual++
			}
		case n < 590:
			if _, err := p.sim.RebootByManager(srv.seed.Name); err == nil {
				sum.Manual++
			}
		case n < 600:
			sum.Firings += p.firings(&seq)
		case n < 615:
			sum.Manual += p.maskedReboot()
		}
	}
}

func (p *phase) randomFault() ovhsim.Fault {
	f := ovhsim.Fault{Kind: faultKinds[p.rng.Intn(len(faultKinds))], Count: 1 + p.rng.Intn(3)}
	switch f.Kind {
	case ovhsim.FaultLatency, ovhsim.FaultSlowTime:
		f.Latency = time.Duration(50+p.rng.Intn(2500)) * time.Millisecond
	case ovhsim.FaultTaskEnd:
		f.TaskEnd = taskEnds[p.rng.Intn(len(taskEnds))]
	case ovhsim.FaultPurgeDone:
		f.PurgeAfter = time.Duration(p.rng.Intn(1000)) * time.Millisecond
	}
	switch f.Kind {
	case ovhsim.FaultSlowTime, ovhsim.FaultTask404, ovhsim.FaultTask500, ovhsim.FaultTaskEnd, ovhsim.FaultPurgeDone, ovhsim.FaultForeignTask,
		ovhsim.FaultOtherReboot, ovhsim.FaultOtherFunction, ovhsim.FaultForeignServer:
	default:
		f.Path = faultPaths[p.rng.Intn(len(faultPaths))]
	}
	return f
}

// firings counts the API answers faults replaced since *seq, through the
// control surface's request log.
func (p *phase) firings(seq *int) int {
	resp, err := http.Get(p.url + "/_sim/requests?since=" + strconv.Itoa(*seq))
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	var log []ovhsim.LoggedRequest
	if json.NewDecoder(resp.Body).Decode(&log) != nil {
		return 0
	}
	n := 0
	for _, r := range log {
		if r.Auth == "faulted" {
			n++
		}
		*seq = r.Seq
	}
	return n
}

// maskedReboot sets a trap for a claim of off: on the poweroff-mode server, a
// reboot into the disk asked from the OVH manager and then hidden behind the
// power netboot set by hand, so that the server still reports poweroff and its
// off netboot while a reboot that will boot the disk is pending (in the request
// model; in the boot model it boots the power netboot). Set before an action
// starts, it is no excuse for a false claim. It returns the manual acts done.
func (p *phase) maskedReboot() int {
	for _, srv := range p.servers {
		if srv.mode != "poweroff" {
			continue
		}
		if p.sim.SetBootByHand(srv.seed.Name, 1) != nil {
			return 0
		}
		if _, err := p.sim.RebootByManager(srv.seed.Name); err != nil {
			return 1
		}
		if p.sim.SetBootByHand(srv.seed.Name, srv.seed.PowerBootID) != nil {
			return 2
		}
		return 3
	}
	return 0
}
