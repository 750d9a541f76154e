package ovhsim

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Ground truth is what the simulated hardware really did, as opposed to what
// the API shows: which OS a server runs, since when, and who caused each
// change. The randomized campaign (test/campaign) checks every claim of
// fence_ovh against it.

// Operating systems a server can be running, as ground truth names them.
const (
	OSDisk     = "disk"     // the server's own OS, from its disk: the cluster node
	OSRescue   = "rescue"   // OVH's customer rescue system
	OSIpxe     = "ipxe"     // the iPXE shell (a netboot of type rescue)
	OSPoweroff = "poweroff" // the power netboot: the server is off
	OSBooting  = "booting"  // a hard reboot has taken it down and it is not up yet
)

// Ground-truth event kinds.
const (
	EventBoot   = "boot"   // the netboot setting was written (BootID, possibly unchanged)
	EventReboot = "reboot" // a hard reboot was requested (Task; Into when the netboot is read at request)
	EventDown   = "down"   // the reboot reached doing: the server went down (Into is now fixed)
	EventUp     = "up"     // the reboot is done: the server runs OS
	EventEnded  = "ended"  // the reboot ended in Status (ovhError, customerError, cancelled) and changed nothing
	// EventRead: an API key read the server (GET /dedicated/server/{sn}) and was
	// shown netboot BootID. It changes nothing; it tells an oracle what an agent
	// could see, in order with the writes (test/campaign's unobservable A-B-A).
	EventRead = "read"
	// EventTaskRead: an API key read one of the server's tasks (GET
	// /dedicated/server/{sn}/task/{taskId}) and was shown Status. It changes
	// nothing; it tells an oracle when an agent polled its reboot.
	EventTaskRead = "taskread"
)

// Actors of ground-truth events other than API keys ("key ****abcd").
const (
	ActorManual  = "manual"  // a boot set by hand through /_sim/ (as in the OVH manager)
	ActorManager = "manager" // a hard reboot asked in the OVH manager, not through an API key
	ActorSeed    = "seed"    // the state the simulator started with
)

// Netboot read models: when OVH reads the netboot a hard reboot boots. OVH does
// not document it, so the simulator does both (DESIGN.md D10).
const (
	NetbootAtRequest = "request" // the netboot set when the reboot is asked (the default)
	NetbootAtBoot    = "boot"    // the netboot set when the reboot task reaches doing
)

// TruthEvent is one change of a server's ground truth.
type TruthEvent struct {
	At     time.Time `json:"at"`
	Kind   string    `json:"kind"`
	Actor  string    `json:"actor"`
	Task   int64     `json:"task,omitempty"`
	BootID int64     `json:"bootId,omitempty"`
	Into   string    `json:"into,omitempty"`   // reboot, down: the OS the reboot boots ("" while not yet read)
	OS     string    `json:"os,omitempty"`     // up: the OS now running
	Status string    `json:"status,omitempty"` // ended: the task's final status
}

func (e TruthEvent) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %-6s by %s", e.At.Format("15:04:05.000"), e.Kind, e.Actor)
	if e.Task != 0 {
		fmt.Fprintf(&b, " task %d", e.Task)
	}
	if e.Kind == EventBoot || e.Kind == EventRead {
		fmt.Fprintf(&b, " bootId %d", e.BootID)
	}
	if e.Into != "" {
		fmt.Fprintf(&b, " into %s", e.Into)
	}
	if e.OS != "" {
		fmt.Fprintf(&b, " runs %s", e.OS)
	}
	if e.Status != "" {
		fmt.Fprintf(&b, " status %s", e.Status)
	}
	return b.String()
}

// GroundTruth is a server's true state and its whole history.
type GroundTruth struct {
	Name   string       `json:"name"`
	OS     string       `json:"os"`
	Since  time.Time    `json:"since"`
	Events []TruthEvent `json:"events"` // oldest first
}

// serverTruth is the ground truth kept beside a server.
type serverTruth struct {
	os     string
	since  time.Time
	events []TruthEvent
	tasks  map[int64]*taskTruth
}

// taskTruth follows one reboot task through ground truth.
type taskTruth struct {
	actor  string
	read   bool   // the netboot has been read (at request, or when doing began)
	into   string // the OS the reboot boots, once read
	down   bool
	closed bool
}

// truthOf returns srv's ground truth, creating it at the seed state.
// Called with s.mu held.
func (s *Sim) truthOf(srv *server) *serverTruth {
	if s.truth == nil {
		s.truth = map[*server]*serverTruth{}
	}
	st := s.truth[srv]
	if st == nil {
		os := OSDisk
		if srv.bootedKernel == kernelPoweroff {
			os = OSPoweroff
		}
		st = &serverTruth{os: os, since: s.created, tasks: map[int64]*taskTruth{}}
		// The first event says what the server runs from the start, so that a
		// replay of the events alone (an oracle's) starts from it too.
		st.record(TruthEvent{At: s.created, Kind: EventUp, Actor: ActorSeed, OS: os})
		s.truth[srv] = st
	}
	return st
}

// record adds e in time order. A task's events are recorded when the server is
// next looked at, with the time they happened; every change settles first, so
// in practice each event lands at the end.
func (st *serverTruth) record(e TruthEvent) {
	i := len(st.events)
	for i > 0 && st.events[i-1].At.After(e.At) {
		i--
	}
	st.events = slices.Insert(st.events, i, e)
}

// osOf names the OS a netboot starts.
func osOf(b boot) string {
	switch {
	case b.Type == "harddisk":
		return OSDisk
	case b.Type == "power":
		return OSPoweroff
	case strings.Contains(b.Kernel, "ipxe"):
		return OSIpxe
	}
	return OSRescue
}

// apiActor names the API key that made call c.
func apiActor(c *call) string {
	if c != nil && c.account != nil {
		return "service account " + c.account.clientID
	}
	if c == nil || c.cred == nil {
		return "key ?"
	}
	return "key " + maskKey(c.cred.consumerKey)
}

// noteBootSet records that actor writes bootID. Called with s.mu held, after settle.
func (s *Sim) noteBootSet(srv *server, bootID int64, actor string) {
	s.truthOf(srv).record(TruthEvent{At: s.now(), Kind: EventBoot, Actor: actor, BootID: bootID})
}

// noteRead records that actor was shown srv's netboot. Called with s.mu held, after settle.
func (s *Sim) noteRead(srv *server, actor string) {
	e := TruthEvent{At: s.now(), Kind: EventRead, Actor: actor}
	if srv.info.BootID != nil {
		e.BootID = *srv.info.BootID
	}
	s.truthOf(srv).record(e)
}

// noteTaskRead records that actor was shown task t of srv in status. Called
// with s.mu held, after settle.
func (s *Sim) noteTaskRead(srv *server, t *task, status, actor string) {
	s.truthOf(srv).record(TruthEvent{At: s.now(), Kind: EventTaskRead, Actor: actor, Task: t.id, Status: status})
}

// noteReboot records a new reboot task; in the at-request model its netboot is
// read now. Called with s.mu held.
func (s *Sim) noteReboot(srv *server, t *task, actor string) {
	st := s.truthOf(srv)
	tt := &taskTruth{actor: actor}
	if s.netbootReadAt != NetbootAtBoot {
		b, _ := srv.bootByID(*srv.info.BootID)
		tt.read, tt.into = true, osOf(b)
	}
	st.tasks[t.id] = tt
	st.record(TruthEvent{At: t.start, Kind: EventReboot, Actor: actor, Task: t.id, Into: tt.into})
}

// advanceTruth brings task t's ground truth up to now: in the at-boot model it
// reads the netboot when doing begins (every boot change settles first, so the
// setting now is the setting then), the server goes down at doing and comes
// up at done; a task that ends otherwise changes nothing. Called with s.mu
// held, from settle, before the task's effect is applied.
func (s *Sim) advanceTruth(srv *server, t *task, now time.Time) {
	st := s.truthOf(srv)
	tt := st.tasks[t.id]
	if tt == nil || tt.closed {
		return
	}
	if !t.cancelledAt.IsZero() {
		tt.closed = true
		st.record(TruthEvent{At: t.cancelledAt, Kind: EventEnded, Actor: tt.actor, Task: t.id, Status: taskCancelled})
		return
	}
	doingAt := t.start.Add(t.durations.Init + t.durations.Todo)
	endAt := t.start.Add(t.durations.total())
	if now.Before(doingAt) {
		return
	}
	if !tt.read {
		b, _ := srv.bootByID(*srv.info.BootID)
		tt.read, tt.into, t.kernel = true, osOf(b), b.Kernel
	}
	if t.end != taskDone {
		if !now.Before(endAt) {
			tt.closed = true
			st.record(TruthEvent{At: endAt, Kind: EventEnded, Actor: tt.actor, Task: t.id, Status: t.end})
		}
		return
	}
	if !tt.down {
		tt.down = true
		st.os, st.since = OSBooting, doingAt
		st.record(TruthEvent{At: doingAt, Kind: EventDown, Actor: tt.actor, Task: t.id, Into: tt.into})
	}
	if !now.Before(endAt) {
		tt.closed = true
		st.os, st.since = tt.into, endAt
		st.record(TruthEvent{At: endAt, Kind: EventUp, Actor: tt.actor, Task: t.id, OS: tt.into})
	}
}

// GroundTruth reports what server sn really runs, since when, and its history.
func (s *Sim) GroundTruth(sn string) (GroundTruth, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	srv := s.servers[sn]
	if srv == nil {
		return GroundTruth{}, false
	}
	s.settle(srv)
	st := s.truthOf(srv)
	return GroundTruth{Name: sn, OS: st.os, Since: st.since, Events: slices.Clone(st.events)}, true
}

// TruthEvents returns server sn's ground-truth events from index from on.
// Unless Config.AllowConcurrentReboots lets reboot tasks overlap, events are
// only ever appended, so a caller can keep a copy up to date.
func (s *Sim) TruthEvents(sn string, from int) []TruthEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	srv := s.servers[sn]
	if srv == nil {
		return nil
	}
	s.settle(srv)
	events := s.truthOf(srv).events
	if from >= len(events) {
		return nil
	}
	return slices.Clone(events[from:])
}

// Now is the simulated OVH clock, which ground-truth times are on.
func (s *Sim) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now()
}

// SetNetbootReadAt chooses when reboot tasks created from now on read the
// netboot: NetbootAtRequest or NetbootAtBoot.
func (s *Sim) SetNetbootReadAt(model string) error {
	if model != NetbootAtRequest && model != NetbootAtBoot {
		return fmt.Errorf("ovhsim: netboot read model %q: want %q or %q", model, NetbootAtRequest, NetbootAtBoot)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.netbootReadAt = model
	return nil
}

// SetBootByHand writes server sn's netboot as its owner would in the OVH
// manager: no API key, no reboot.
func (s *Sim) SetBootByHand(sn string, bootID int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	srv := s.servers[sn]
	if srv == nil {
		return fmt.Errorf("ovhsim: no server %q", sn)
	}
	s.settle(srv)
	if _, ok := srv.bootByID(bootID); !ok {
		return fmt.Errorf("ovhsim: boot %d is not available for server %s", bootID, sn)
	}
	s.noteBootSet(srv, bootID, ActorManual)
	srv.info.BootID = &bootID
	return nil
}

// RebootByManager hard-reboots server sn as the OVH manager's button does: a
// hardReboot task not made through an API key. Like the API, it is refused
// while another reboot is unfinished.
func (s *Sim) RebootByManager(sn string) (Task, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	srv := s.servers[sn]
	if srv == nil {
		return Task{}, fmt.Errorf("ovhsim: no server %q", sn)
	}
	s.settle(srv)
	t, apiErr := s.startReboot(srv, ActorManager)
	if apiErr != nil {
		return Task{}, fmt.Errorf("ovhsim: %s", apiErr.Message)
	}
	return t.view(t.state(s.now())), nil
}

// truthState is the Sim's ground-truth part, guarded by Sim.mu.
type truthState struct {
	truth         map[*server]*serverTruth
	netbootReadAt string
	created       time.Time // when the seed state began
}

// initTruth starts ground truth at the seed state. Called from New.
func (s *Sim) initTruth() {
	s.created = s.now()
	s.netbootReadAt = NetbootAtRequest
	if s.cfg.NetbootReadAt == NetbootAtBoot {
		s.netbootReadAt = NetbootAtBoot
	}
}
