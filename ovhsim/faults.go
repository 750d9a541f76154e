package ovhsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"time"
)

// Fault kinds (reference §3.5, §7 items 14 and 16).
const (
	FaultStatus500 = "status500" // answer 500 with a JSON body
	FaultHTML503   = "html503"   // answer 503 with an HTML body, as a load balancer does
	FaultStatus429 = "status429" // answer 429 Too Many Requests
	FaultLatency   = "latency"   // delay the answer by Latency
	FaultDrop      = "drop"      // close the connection without answering
	FaultSlowTime  = "slowTime"  // delay GET /auth/time by Latency
	FaultTask404   = "task404"   // answer task GETs with 404, as OVH transiently does
	FaultTask500   = "task500"   // answer task GETs with 500
	FaultPurgeDone = "purgeDone" // forget done tasks PurgeAfter after they finish
	FaultTaskEnd   = "taskEnd"   // end the next reboot tasks in TaskEnd instead of done
)

// Fault is an injected misbehaviour. Method and Path (a glob on the path
// relative to /1.0, like a rule's) restrict where it fires; empty means any,
// except for the kinds that have a natural target (see withDefaults). Count
// is how many times it fires; 0 means until cleared.
type Fault struct {
	Kind   string `json:"kind"`
	Method string `json:"method,omitempty"`
	Path   string `json:"path,omitempty"`
	Count  int    `json:"count,omitempty"`
	// After lets the first After matching calls through untouched, so a test
	// can fail the second reboot request without racing the first.
	After      int           `json:"after,omitempty"`
	Latency    time.Duration `json:"-"` // latency, slowTime
	TaskEnd    string        `json:"taskEnd,omitempty"`
	PurgeAfter time.Duration `json:"-"` // purgeDone
}

// faultJSON carries the durations as strings such as "2s".
type faultJSON struct {
	*faultFields
	Latency    jsonDuration `json:"latency,omitempty"`
	PurgeAfter jsonDuration `json:"purgeAfter,omitempty"`
}

type faultFields Fault // Fault without its JSON methods

// MarshalJSON writes the durations as strings such as "2s".
func (f Fault) MarshalJSON() ([]byte, error) {
	return json.Marshal(faultJSON{(*faultFields)(&f), jsonDuration(f.Latency), jsonDuration(f.PurgeAfter)})
}

// UnmarshalJSON reads the durations as strings such as "2s".
func (f *Fault) UnmarshalJSON(data []byte) error {
	aux := faultJSON{faultFields: (*faultFields)(f)}
	if err := json.Unmarshal(data, &aux); err != nil {
		return err
	}
	f.Latency, f.PurgeAfter = time.Duration(aux.Latency), time.Duration(aux.PurgeAfter)
	return nil
}

// check reports a fault that could never fire as meant.
func (f Fault) check() error {
	switch f.Kind {
	case FaultStatus500, FaultHTML503, FaultStatus429, FaultDrop, FaultTask404, FaultTask500, FaultPurgeDone,
		FaultForeignTask, FaultEmptyBody, FaultNullBody, FaultOtherReboot, FaultOtherFunction, FaultForeignServer:
	case FaultLatency, FaultSlowTime:
		if f.Latency <= 0 {
			return fmt.Errorf("ovhsim: fault %s needs a positive latency", f.Kind)
		}
	case FaultTaskEnd:
		if f.TaskEnd != taskOVHError && f.TaskEnd != taskCustomerError && f.TaskEnd != taskCancelled {
			return fmt.Errorf("ovhsim: fault taskEnd needs taskEnd ovhError, customerError or cancelled, not %q", f.TaskEnd)
		}
	default:
		return fmt.Errorf("ovhsim: unknown fault kind %q", f.Kind)
	}
	if f.Count < 0 || f.After < 0 {
		return fmt.Errorf("ovhsim: fault count %d or after %d is negative", f.Count, f.After)
	}
	return nil
}

// withDefaults aims the kinds that only make sense on one route at it.
func (f Fault) withDefaults() Fault {
	target := map[string]Rule{
		FaultSlowTime:      {Method: http.MethodGet, Path: "/auth/time"},
		FaultTask404:       {Method: http.MethodGet, Path: "/dedicated/server/*/task/*"},
		FaultTask500:       {Method: http.MethodGet, Path: "/dedicated/server/*/task/*"},
		FaultForeignTask:   {Method: http.MethodGet, Path: "/dedicated/server/*/task/*"},
		FaultOtherReboot:   {Method: http.MethodGet, Path: "/dedicated/server/*/task/*"},
		FaultOtherFunction: {Method: http.MethodGet, Path: "/dedicated/server/*/task/*"},
		FaultForeignServer: {Method: http.MethodGet, Path: "/dedicated/server/*"},
		FaultTaskEnd:       {Method: http.MethodPost, Path: "/dedicated/server/*/reboot"},
	}[f.Kind]
	if f.Method == "" {
		f.Method = target.Method
	}
	if f.Path == "" {
		f.Path = target.Path
	}
	return f
}

func (f Fault) matches(method, apiPath string) bool {
	return (f.Method == "" || f.Method == method) && (f.Path == "" || globMatch(f.Path, apiPath))
}

// activeFault is a fault with its remaining uses.
type activeFault struct {
	Fault
	left   int // meaningful only when Count > 0
	passed int // matching calls let through, up to After
}

// use spends one firing and reports whether the fault is now used up.
func (a *activeFault) use() (exhausted bool) {
	if a.Count == 0 {
		return false
	}
	a.left--
	return a.left <= 0
}

// AddFault injects a fault. It panics on a fault that could never fire as
// meant (an unknown kind, say), like regexp.MustCompile: that is a bug in
// the caller, which is a test. The HTTP control surface reports it instead.
func (s *Sim) AddFault(f Fault) {
	if err := f.check(); err != nil {
		panic(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &activeFault{Fault: f.withDefaults(), left: f.Count})
}

// ClearFaults removes every injected fault.
func (s *Sim) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// takeFault spends one firing of the first fault of kind matching the call.
// Called with s.mu held.
func (s *Sim) takeFault(kind, method, apiPath string) (Fault, bool) {
	for i, a := range s.faults {
		if a.Kind == kind && a.matches(method, apiPath) {
			if a.passed < a.After {
				a.passed++
				continue
			}
			if a.use() {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
			return a.Fault, true
		}
	}
	return Fault{}, false
}

// activeFault finds a standing fault of kind without spending it.
// Called with s.mu held.
func (s *Sim) activeFault(kind string) (Fault, bool) {
	for _, a := range s.faults {
		if a.Kind == kind {
			return a.Fault, true
		}
	}
	return Fault{}, false
}

// answeringKinds are the faults that answer in place of the API.
var answeringKinds = []string{FaultDrop, FaultStatus500, FaultHTML503, FaultStatus429, FaultTask404, FaultTask500, FaultForeignTask, FaultEmptyBody, FaultNullBody,
	FaultOtherReboot, FaultOtherFunction, FaultForeignServer}

// injectFault applies the delays and at most one answering fault that match
// the call, and reports whether the call has been answered.
func (s *Sim) injectFault(w *statusRecorder, r *http.Request, apiPath string) bool {
	s.mu.Lock()
	var delay time.Duration
	for _, kind := range []string{FaultLatency, FaultSlowTime} {
		if f, ok := s.takeFault(kind, r.Method, apiPath); ok {
			delay += f.Latency
		}
	}
	var answer Fault
	var foreign dedicated
	for _, kind := range answeringKinds {
		if kind == FaultForeignServer && path.Dir(apiPath) != "/dedicated/server" {
			continue // only a server's own GET can answer another server
		}
		if f, ok := s.takeFault(kind, r.Method, apiPath); ok {
			if kind == FaultForeignServer {
				if foreign, ok = s.foreignServer(path.Base(apiPath)); !ok {
					continue
				}
			}
			answer = f
			break
		}
	}
	s.mu.Unlock()

	select {
	case <-time.After(delay):
	case <-r.Context().Done():
		return true // the client gave up waiting
	}
	switch answer.Kind {
	case FaultDrop:
		w.drop = true
	case FaultStatus500, FaultTask500:
		writeError(w, errInternalError)
	case FaultStatus429:
		writeError(w, errTooManyCalls)
	case FaultTask404:
		writeError(w, notFound("taskId", path.Base(apiPath)))
	case FaultForeignServer:
		writeJSON(w, http.StatusOK, foreign)
	case FaultHTML503:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(html503))
	default:
		return writeBodyFault(w, answer.Kind, apiPath)
	}
	return true
}

const html503 = "<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n"

// dropConnection closes the connection without a response, as a crashed
// backend does; the client sees an EOF.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // HTTP/2 or a recorder: abort the stream instead
	}
	conn.Close()
}

// jsonDuration is a time.Duration written in JSON as a string like "1.5s".
type jsonDuration time.Duration

func (d jsonDuration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

func (d *jsonDuration) UnmarshalJSON(data []byte) error {
	var text string
	if err := json.Unmarshal(data, &text); err != nil {
		return fmt.Errorf("duration must be a string such as \"2s\": %w", err)
	}
	parsed, err := time.ParseDuration(text)
	*d = jsonDuration(parsed)
	return err
}
