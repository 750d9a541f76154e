package ovhsim

import (
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"strconv"
	"time"
)

// The control surface lets tests and the sandbox drive the simulator over
// HTTP. It is not OVH: no signatures, plain JSON errors ({"error": "..."}).
func (s *Sim) registerControlRoutes() {
	routes := map[string]controlHandler{
		"GET /_sim/requests":                   s.controlRequests,
		"DELETE /_sim/requests":                s.controlClearRequests,
		"GET /_sim/servers/{sn}":               s.controlServer,
		"POST /_sim/faults":                    s.controlAddFault,
		"DELETE /_sim/faults":                  s.controlClearFaults,
		"POST /_sim/credentials/{ck}/validate": s.controlValidate,
		"POST /_sim/credentials/{ck}/refuse":   s.controlCredentialState(s.RefuseCredential),
		"POST /_sim/credentials/{ck}/expire":   s.controlCredentialState(s.ExpireCredential),
		"POST /_sim/durations":                 s.controlDurations,
		"POST /_sim/time":                      s.controlTime,
		"POST /_sim/ratelimit":                 s.controlRateLimit,
		"POST /_sim/token":                     s.controlToken,
		controlPrefix:                          s.controlUnknown,
	}
	maps.Copy(routes, s.realismControlRoutes())
	maps.Copy(routes, s.groundTruthRoutes())
	maps.Copy(routes, s.iamControlRoutes())
	for pattern, h := range routes {
		s.control.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			result, status, err := h(r)
			if err != nil {
				writeJSON(w, status, map[string]string{"error": err.Error()})
				return
			}
			writeJSON(w, http.StatusOK, result)
		})
	}
}

// controlHandler returns a result, or an error with its HTTP status.
type controlHandler func(r *http.Request) (result any, status int, err error)

func controlOK(result any) (any, int, error) { return result, http.StatusOK, nil }

func controlFailed(status int, err error) (any, int, error) { return nil, status, err }

// decodeOptionalBody reads a JSON body into v; no body leaves v alone.
func decodeOptionalBody(r *http.Request, v any) error {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

func (s *Sim) controlUnknown(r *http.Request) (any, int, error) {
	return controlFailed(http.StatusNotFound, errors.New("no control call "+r.Method+" "+r.URL.Path))
}

func (s *Sim) controlRequests(r *http.Request) (any, int, error) {
	since := 0
	if text := r.URL.Query().Get("since"); text != "" {
		n, err := strconv.Atoi(text)
		if err != nil {
			return controlFailed(http.StatusBadRequest, errors.New("since must be a sequence number"))
		}
		since = n
	}
	return controlOK(s.requestsSince(since))
}

func (s *Sim) controlClearRequests(*http.Request) (any, int, error) {
	s.ClearRequests()
	return controlOK(nil)
}

func (s *Sim) controlServer(r *http.Request) (any, int, error) {
	state, found := s.ServerState(r.PathValue("sn"))
	if !found {
		return controlFailed(http.StatusNotFound, errors.New("no such server"))
	}
	return controlOK(state)
}

func (s *Sim) controlAddFault(r *http.Request) (any, int, error) {
	var f Fault
	if err := json.NewDecoder(r.Body).Decode(&f); err != nil {
		return controlFailed(http.StatusBadRequest, err)
	}
	if err := f.check(); err != nil {
		return controlFailed(http.StatusBadRequest, err)
	}
	s.AddFault(f)
	return controlOK(f.withDefaults())
}

func (s *Sim) controlClearFaults(*http.Request) (any, int, error) {
	s.ClearFaults()
	return controlOK(nil)
}

// controlValidate takes {"expiration": RFC3339 or null}; no body or null
// means unlimited validity.
func (s *Sim) controlValidate(r *http.Request) (any, int, error) {
	var body struct {
		Expiration *time.Time `json:"expiration"`
	}
	if err := decodeOptionalBody(r, &body); err != nil {
		return controlFailed(http.StatusBadRequest, err)
	}
	return credentialResult(s.ValidateCredential(r.PathValue("ck"), body.Expiration))
}

func (s *Sim) controlCredentialState(set func(ck string) error) controlHandler {
	return func(r *http.Request) (any, int, error) {
		return credentialResult(set(r.PathValue("ck")))
	}
}

// credentialResult never echoes the consumer key: it is a secret (D4).
func credentialResult(err error) (any, int, error) {
	if err != nil {
		return controlFailed(http.StatusNotFound, err)
	}
	return controlOK(nil)
}

func (s *Sim) controlDurations(r *http.Request) (any, int, error) {
	var body struct {
		Init  jsonDuration `json:"init"`
		Todo  jsonDuration `json:"todo"`
		Doing jsonDuration `json:"doing"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		return controlFailed(http.StatusBadRequest, err)
	}
	s.SetDurations(Durations{Init: time.Duration(body.Init), Todo: time.Duration(body.Todo), Doing: time.Duration(body.Doing)})
	return controlOK(nil)
}

func (s *Sim) controlTime(r *http.Request) (any, int, error) {
	var body struct {
		Offset jsonDuration `json:"offset"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		return controlFailed(http.StatusBadRequest, err)
	}
	s.SetTimeOffset(time.Duration(body.Offset))
	return controlOK(nil)
}

func (s *Sim) controlRateLimit(r *http.Request) (any, int, error) {
	var body struct {
		PerMinute int `json:"perMinute"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		return controlFailed(http.StatusBadRequest, err)
	}
	s.SetRateLimit(body.PerMinute)
	return controlOK(nil)
}

// tokenKeys is what /_sim/token hands back: the whole point is to give the
// secrets to the caller, like OVH's createToken page.
type tokenKeys struct {
	ApplicationKey    string `json:"applicationKey"`
	ApplicationSecret string `json:"applicationSecret"`
	ConsumerKey       string `json:"consumerKey"`
}

func (s *Sim) controlToken(r *http.Request) (any, int, error) {
	var body struct {
		Rules []Rule `json:"rules"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		return controlFailed(http.StatusBadRequest, err)
	}
	for _, rule := range body.Rules {
		if !validRuleMethod(rule.Method) {
			return controlFailed(http.StatusBadRequest, errors.New("invalid rule method "+strconv.Quote(rule.Method)))
		}
	}
	ak, as, ck := s.CreateToken(body.Rules)
	return controlOK(tokenKeys{ApplicationKey: ak, ApplicationSecret: as, ConsumerKey: ck})
}
