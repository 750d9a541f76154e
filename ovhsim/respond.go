package ovhsim

import (
	"encoding/json"
	"net/http"
)

// call is what an API handler knows about the request beyond *http.Request.
type call struct {
	body         []byte
	externalBase string
	cred         *credential     // the authenticated credential; nil on public routes
	account      *serviceAccount // the service account of a bearer token; nil otherwise
	after        func()          // runs once the handler has released the lock
}

type callKey struct{}

// apiHandler answers one OVH route while holding s.mu. A nil result is
// encoded as JSON null, which is how OVH answers "void" calls.
type apiHandler func(r *http.Request, c *call) (any, *apiError)

// handle registers h for pattern (a ServeMux pattern on the path relative to
// /1.0) and serialises it with the rest of the simulator.
func (s *Sim) handle(pattern string, h apiHandler) { s.handleOn(s.api, pattern, h) }

// handleOn is handle on mux (API v1 or v2). A service account's call passes
// the IAM gate first.
func (s *Sim) handleOn(mux *http.ServeMux, pattern string, h apiHandler) {
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		c := r.Context().Value(callKey{}).(*call)
		s.mu.Lock()
		err := s.checkIAM(c, pattern, r)
		var result any
		if err == nil {
			result, err = h(r, c)
		}
		s.mu.Unlock()
		if c.after != nil {
			c.after()
		}
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, result)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		// Only the simulator's own types are encoded, so this is a bug here.
		panic("ovhsim: encoding response: " + err.Error())
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(body)
}

func writeError(w http.ResponseWriter, e *apiError) { writeJSON(w, e.status, e) }

// statusRecorder remembers the status for the request log. Unwrap lets
// http.ResponseController reach the connection to drop it.
type statusRecorder struct {
	http.ResponseWriter
	status int
	// drop asks ServeHTTP to close the connection without an answer, once
	// the call is in the request log, so that a client seeing the EOF finds it there.
	drop bool
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
