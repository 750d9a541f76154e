package ovhsim

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Today's netboot kernels besides those in servers.go (reference §3.3).
const (
	kernelRescue12Customer = "rescue12-customer" // today's Linux rescue
	kernelRescue64Pro      = "rescue64-pro"      // legacy servers
)

// rescueDescriptions are OVH's descriptions of the rescue kernels. Only
// rescue12-customer's is quoted from OVH (reference §3.3); the others are
// this simulator's guesses.
var rescueDescriptions = map[string]string{
	kernelRescue12Customer: "Customer rescue system (Debian-12-based)",
	kernelRescueCustomer:   "Rescue customer system (Linux)",
	kernelRescue64Pro:      "Rescue64 pro",
}

// rescueKernel is the seed's Linux rescue kernel, today's by default.
func (seed ServerSeed) rescueKernel() string {
	if seed.RescueKernel == "" {
		return kernelRescue12Customer
	}
	return seed.RescueKernel
}

// Netboot is one entry of a server's catalogue, as GET …/boot/{bootId} shows it.
type Netboot = boot

// SetCatalogue replaces server sn's netboot catalogue. The disk netboot (1)
// must stay, IDs must be unique, and the netboot the server is set to must
// remain in it: OVH never leaves a server on a netboot it does not offer.
func (s *Sim) SetCatalogue(sn string, boots []Netboot) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	srv := s.servers[sn]
	if srv == nil {
		return fmt.Errorf("no server %s", sn)
	}
	s.settle(srv)
	seen := map[int64]bool{}
	for _, b := range boots {
		if b.ID <= 0 || seen[b.ID] || b.Type == "" || b.Kernel == "" {
			return fmt.Errorf("netboot %+v: want a unique positive bootId, a bootType and a kernel", b)
		}
		seen[b.ID] = true
	}
	if !seen[diskBootID] {
		return errors.New("the catalogue must keep the disk netboot (bootId 1)")
	}
	if !seen[*srv.info.BootID] {
		return fmt.Errorf("the server is set to netboot %d, which the catalogue must keep", *srv.info.BootID)
	}
	srv.boots = append([]boot{}, boots...)
	return nil
}

// ServerFields are the server properties tests set by hand: what OVH or the
// datacentre changes (state) or the owner set in OVH's manager. Nil leaves
// a property alone.
type ServerFields struct {
	State          *string `json:"state"` // ok, error, hacked, hackedBlocked
	Monitoring     *bool   `json:"monitoring"`
	NoIntervention *bool   `json:"noIntervention"`
}

// SetServerFields changes server sn's state, monitoring or noIntervention.
func (s *Sim) SetServerFields(sn string, f ServerFields) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	srv := s.servers[sn]
	if srv == nil {
		return fmt.Errorf("no server %s", sn)
	}
	if f.State != nil && !validServerState(*f.State) {
		return fmt.Errorf("state %q: want ok, error, hacked or hackedBlocked", *f.State)
	}
	if f.State != nil {
		srv.info.State = *f.State
	}
	if f.Monitoring != nil {
		srv.info.Monitoring = *f.Monitoring
	}
	if f.NoIntervention != nil {
		srv.info.NoIntervention = *f.NoIntervention
	}
	return nil
}

// RealPowerOffLag is how long OVH keeps answering powerState "poweron" after
// a reboot into the power netboot was asked: "the machine only goes dark 143
// seconds later" (reference §3.6).
const RealPowerOffLag = 143 * time.Second

// SetPowerOffLag sets, for reboot tasks asked from now on, how long after the
// request a server rebooted into the power netboot goes dark. A lag shorter
// than the task's durations ends before the task is done, a longer one after;
// OVH does not document which happens, so clients must handle both. Zero
// makes it go dark when the task is done.
func (s *Sim) SetPowerOffLag(lag time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.powerOffLag = lag
}

// darkAt is when the server stops answering "poweron" after t, a reboot into
// the power netboot.
func (t *task) darkAt() time.Time {
	if t.lag == 0 {
		return t.start.Add(t.durations.total())
	}
	return t.start.Add(t.lag)
}

// goDark turns the server off once t's lag is over, if t is a reboot into the
// power netboot that is not failing and no later reboot was asked before the
// server went dark. Called with s.mu held.
func (srv *server) goDark(t *task, now time.Time) {
	if t.dark || t.kernel != kernelPoweroff || t.end != taskDone || !t.cancelledAt.IsZero() || now.Before(t.darkAt()) {
		return
	}
	for _, later := range srv.tasks {
		if later.start.After(t.start) && later.start.Before(t.darkAt()) {
			return
		}
	}
	t.dark = true
	srv.info.PowerState = powerOff
}

// realismControlRoutes are the control calls for catalogues, server fields
// and the power-off lag.
func (s *Sim) realismControlRoutes() map[string]controlHandler {
	return map[string]controlHandler{
		"PUT /_sim/servers/{sn}/boots": s.controlCatalogue,
		"PATCH /_sim/servers/{sn}":     s.controlServerFields,
		"POST /_sim/poweroff-lag":      s.controlPowerOffLag,
	}
}

func (s *Sim) controlCatalogue(r *http.Request) (any, int, error) {
	var boots []Netboot
	if err := json.NewDecoder(r.Body).Decode(&boots); err != nil {
		return controlFailed(http.StatusBadRequest, err)
	}
	if err := s.SetCatalogue(r.PathValue("sn"), boots); err != nil {
		return controlFailed(http.StatusBadRequest, err)
	}
	return controlOK(nil)
}

func (s *Sim) controlServerFields(r *http.Request) (any, int, error) {
	var f ServerFields
	if err := json.NewDecoder(r.Body).Decode(&f); err != nil {
		return controlFailed(http.StatusBadRequest, err)
	}
	if err := s.SetServerFields(r.PathValue("sn"), f); err != nil {
		return controlFailed(http.StatusBadRequest, err)
	}
	return controlOK(nil)
}

func (s *Sim) controlPowerOffLag(r *http.Request) (any, int, error) {
	var body struct {
		Lag jsonDuration `json:"lag"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		return controlFailed(http.StatusBadRequest, err)
	}
	if body.Lag < 0 {
		return controlFailed(http.StatusBadRequest, errors.New("lag must not be negative"))
	}
	s.SetPowerOffLag(time.Duration(body.Lag))
	return controlOK(nil)
}

// SandboxPowerOffLag is the lag the sandboxes use for reboot tasks of
// durations d: it ends a fifth of a task after the task is done, the case
// that catches a client trusting "done" alone (OVH documents neither order).
func SandboxPowerOffLag(d Durations) time.Duration { return d.total() * 6 / 5 }
