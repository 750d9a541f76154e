package ovhsim

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// LoggedRequest is one OVH call as the simulator saw it. It never holds a
// secret: of the signature headers only the names are kept, and the consumer
// key is masked to its last four characters.
type LoggedRequest struct {
	Seq         int       `json:"seq"`
	Time        time.Time `json:"time"`
	Method      string    `json:"method"`
	Path        string    `json:"path"` // as requested, /1.0 or /v1 included
	Query       string    `json:"query,omitempty"`
	Headers     []string  `json:"headers"` // canonical names of the headers present
	AppKey      string    `json:"appKey,omitempty"`
	ConsumerKey string    `json:"consumerKey,omitempty"` // masked
	Body        string    `json:"body,omitempty"`
	Status      int       `json:"status"` // 0 when the connection was dropped
	Auth        string    `json:"auth"`   // public, application, signed, faulted or "denied: <message>"
}

// HasHeader reports whether the request carried header name.
func (l LoggedRequest) HasHeader(name string) bool {
	return slices.Contains(l.Headers, http.CanonicalHeaderKey(name))
}

// maxLoggedRequests bounds the log of a long sandbox session.
const maxLoggedRequests = 10000

func newLogEntry(r *http.Request, body []byte) LoggedRequest {
	names := make([]string, 0, len(r.Header))
	for name := range r.Header {
		names = append(names, name)
	}
	slices.Sort(names)
	return LoggedRequest{
		Method:      r.Method,
		Path:        r.URL.Path,
		Query:       r.URL.RawQuery,
		Headers:     names,
		AppKey:      r.Header.Get("X-Ovh-Application"),
		ConsumerKey: maskKey(r.Header.Get("X-Ovh-Consumer")),
		Body:        string(body),
	}
}

// maskKey keeps the last four characters of a key, enough to tell keys apart.
func maskKey(key string) string {
	if len(key) <= 4 {
		return strings.Repeat("*", len(key))
	}
	return "****" + key[len(key)-4:]
}

func (s *Sim) appendLog(entry LoggedRequest) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logSeq++
	entry.Seq, entry.Time = s.logSeq, s.now()
	s.log = append(s.log, entry)
	if len(s.log) > maxLoggedRequests {
		s.log = slices.Delete(s.log, 0, len(s.log)-maxLoggedRequests)
	}
}

// Requests returns the request log, oldest first.
func (s *Sim) Requests() []LoggedRequest {
	return s.requestsSince(0)
}

func (s *Sim) requestsSince(seq int) []LoggedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []LoggedRequest{}
	for _, entry := range s.log {
		if entry.Seq > seq {
			out = append(out, entry)
		}
	}
	return out
}

// ClearRequests empties the request log; sequence numbers keep counting.
func (s *Sim) ClearRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
}
