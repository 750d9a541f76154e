package setup

import (
	"time"

	"github.com/ovhfence/ovhfence/fencing"
)

// fireDrill times the live test's real off and return to disk, each from the
// reboot request to the verified read-back (in poweroff mode that includes
// the wait for powerState poweroff): the cluster file's reboot_time, which
// sizes the agent's polling and Pacemaker's timeouts (issue 12).
type fireDrill struct {
	now       func() time.Time
	requested time.Time // when our reboot request was answered; zero: none yet
}

// newFireDrill times on clock, the fencer's (nil: the wall clock).
func newFireDrill(clock fencing.Clock) *fireDrill {
	if clock == nil {
		return &fireDrill{now: time.Now}
	}
	return &fireDrill{now: clock.Now}
}

// observe notes the request: the fencer reports "reboot" only for the hard
// reboot its own request created (one it follows is not timed), and the
// last one counts when it had to ask again.
func (d *fireDrill) observe(ev fencing.Event) {
	if ev.Step == "reboot" {
		d.requested = d.now()
	}
}

// verified is the time from the last request to now, when the action has
// just returned verified; 0 when it asked for no reboot (already off).
func (d *fireDrill) verified() time.Duration {
	if d.requested.IsZero() {
		return 0
	}
	took := d.now().Sub(d.requested)
	d.requested = time.Time{}
	return took
}
