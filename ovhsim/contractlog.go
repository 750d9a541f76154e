package ovhsim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"sync"
)

// ContractLogEnv names a file every simulator appends its OVH calls to, one
// JSON object (ContractEntry) a line, with both bodies, so that a later step
// (test/contract) can check the union of all test runs against OVH's own API
// descriptions. Unset, nothing is recorded.
const ContractLogEnv = "OVHFENCE_CONTRACT_LOG"

// ContractEntry is one answered OVH call. Bodies never hold a secret the
// simulator did not mint for a test.
type ContractEntry struct {
	Method       string          `json:"method"`
	Path         string          `json:"path"`   // relative to /1.0, no query
	Routed       bool            `json:"routed"` // a simulator route served it
	RequestBody  string          `json:"requestBody,omitempty"`
	Status       int             `json:"status"`
	ResponseBody json.RawMessage `json:"responseBody,omitempty"`
}

// contractWriter keeps a copy of the answer's body when the contract log is on.
func contractWriter(w http.ResponseWriter) http.ResponseWriter {
	if os.Getenv(ContractLogEnv) == "" {
		return w
	}
	return &teeWriter{ResponseWriter: w}
}

type teeWriter struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (t *teeWriter) Write(b []byte) (int, error) {
	t.body.Write(b)
	return t.ResponseWriter.Write(b)
}

func (t *teeWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }

var contractLogMu sync.Mutex

// logContract appends the call to the contract log, if rec captured it. An
// answer an injected fault gave is left out: it is unlike OVH's on purpose.
func (s *Sim) logContract(r *http.Request, entry LoggedRequest, rec *statusRecorder) {
	tee, ok := rec.ResponseWriter.(*teeWriter)
	if !ok || entry.Status == 0 || entry.Auth == outcomeFaulted {
		return
	}
	path, ok := apiPath(r.URL.Path)
	if !ok {
		return
	}
	routed := r.Clone(r.Context())
	routed.URL.Path, routed.URL.RawPath = path, ""
	_, pattern := s.api.Handler(routed)
	line, err := json.Marshal(ContractEntry{
		Method: r.Method, Path: path, Routed: pattern != "",
		RequestBody: entry.Body, Status: entry.Status,
		ResponseBody: json.RawMessage(bytes.TrimSpace(tee.body.Bytes())),
	})
	if err != nil { // a body that is not JSON: keep it as a string
		line, _ = json.Marshal(ContractEntry{
			Method: r.Method, Path: path, Routed: pattern != "", RequestBody: entry.Body, Status: entry.Status,
			ResponseBody: mustMarshal(tee.body.String()),
		})
	}
	contractLogMu.Lock()
	defer contractLogMu.Unlock()
	f, err := os.OpenFile(os.Getenv(ContractLogEnv), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		panic("ovhsim: " + ContractLogEnv + ": " + err.Error())
	}
	defer f.Close()
	if _, err := f.Write(append(line, '\n')); err != nil {
		panic("ovhsim: " + ContractLogEnv + ": " + err.Error())
	}
}

func mustMarshal(v any) json.RawMessage {
	data, err := json.Marshal(v)
	if err != nil {
		panic("ovhsim: " + err.Error())
	}
	return data
}
