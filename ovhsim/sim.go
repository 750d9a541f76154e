package ovhsim

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Sim is the simulated OVH API. It is an http.Handler; all methods are safe
// for concurrent use.
type Sim struct {
	cfg Config // with defaults applied; never changed after New

	api     *http.ServeMux // OVH routes, matched on the path relative to /1.0
	apiV2   *http.ServeMux // OVH's API v2 routes (iam.json), relative to /v2
	control *http.ServeMux // the /_sim/ test surface

	queryIDPrefix string
	querySeq      atomic.Int64

	mu                  sync.Mutex // guards everything below
	offset              time.Duration
	durations           Durations
	powerOffLag         time.Duration
	rateLimit           int
	apps                map[int64]*application
	creds               map[string]*credential // by consumer key
	servers             map[string]*server
	serverNames         []string // seed order, for stable listings
	faults              []*activeFault
	calls               map[string][]time.Time // per consumer key, for the rate budget
	log                 []LoggedRequest
	logSeq              int
	onCredentialRequest func(ck string)
	lastAppID           int64
	lastCredID          int64
	lastTaskID          int64
	truthState          // groundtruth.go
	iamState            // iam_routes.go
}

// New builds a simulator seeded from cfg.
func New(cfg Config) *Sim {
	cfg = cfg.withDefaults()
	s := &Sim{
		cfg:           cfg,
		api:           http.NewServeMux(),
		apiV2:         http.NewServeMux(),
		control:       http.NewServeMux(),
		queryIDPrefix: "EU.ext-1." + randomHex(4) + ".",
		durations:     cfg.Durations,
		powerOffLag:   cfg.PowerOffLag,
		rateLimit:     cfg.RateLimitPerMinute,
		apps:          map[int64]*application{},
		creds:         map[string]*credential{},
		servers:       map[string]*server{},
		calls:         map[string][]time.Time{},
		// Start IDs where OVH's published examples are (reference §2, §3.4).
		lastAppID:  105667,
		lastCredID: 498601348,
		lastTaskID: 29639478,
	}
	for i, seed := range cfg.Servers {
		s.servers[seed.Name] = newServer(seed, int64(1234567+i))
		s.serverNames = append(s.serverNames, seed.Name)
	}
	s.initTruth()
	s.initIAM()
	s.registerAuthRoutes()
	s.registerAccountRoutes()
	s.registerServerRoutes()
	s.registerTaskRoutes()
	s.registerControlRoutes()
	return s
}

// now is the simulated OVH clock: the configured clock plus the offset.
func (s *Sim) now() time.Time { return s.cfg.Now().Add(s.offset) }

// SetTimeOffset moves the simulated OVH clock relative to Config.Now.
func (s *Sim) SetTimeOffset(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.offset = d
}

// SetDurations sets the state durations of reboot tasks created from now on.
// Unlike Config, zero durations are taken literally (tasks finish at once).
func (s *Sim) SetDurations(d Durations) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.durations = d
}

// SetRateLimit sets the per-consumer-key budget per minute; 0 turns it off.
func (s *Sim) SetRateLimit(perMinute int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rateLimit = perMinute
}

const controlPrefix = "/_sim/"

// ServeHTTP serves the OVH API under /1.0 and /v1, and the control surface
// under /_sim/.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, controlPrefix) {
		s.control.ServeHTTP(w, r)
		return
	}
	if r.URL.Path == validationPath {
		s.serveValidation(w, r)
		return
	}
	if r.URL.Path == tokenPath {
		s.serveToken(w, r)
		return
	}
	rec := &statusRecorder{ResponseWriter: contractWriter(w)}
	rec.Header().Set("X-Ovh-QueryID", s.queryIDPrefix+strconv.FormatInt(s.querySeq.Add(1), 10))
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return // the client went away mid-body; there is no one to answer
	}
	entry := newLogEntry(r, body)
	entry.Auth = s.serveAPI(rec, r, body)
	entry.Status = rec.status
	s.appendLog(entry)
	s.logContract(r, entry, rec)
	if rec.drop {
		dropConnection(rec)
	}
}

// apiBases are the prefixes OVH serves the same API under (reference §1).
var apiBases = []string{"/1.0", "/v1"}

// apiPath strips the /1.0 or /v1 prefix.
func apiPath(urlPath string) (string, bool) {
	for _, base := range apiBases {
		if rest, ok := strings.CutPrefix(urlPath, base); ok && strings.HasPrefix(rest, "/") {
			return rest, true
		}
	}
	return "", false
}

// errNoRoute is OVH's answer for a path it does not serve [unverified wording].
var errNoRoute = classError(http.StatusNotFound, "Client::NotFound", "Got an invalid (or empty) URL")

// serveAPI answers one OVH call and returns the authentication outcome for
// the request log.
func (s *Sim) serveAPI(w *statusRecorder, r *http.Request, body []byte) string {
	path, ok := apiPath(r.URL.Path)
	mux, rulePath := s.api, path
	if !ok {
		// API v2 serves other routes; a consumer key's rules are matched on
		// its /v2 path [unverified: reference §5 does not say].
		if path, ok = apiV2Path(r.URL.Path); !ok {
			writeError(w, errNoRoute)
			return outcomePublic
		}
		mux, rulePath = s.apiV2, r.URL.Path
	}
	if s.injectFault(w, r, path) {
		return outcomeFaulted
	}
	c := &call{body: body, externalBase: s.externalBase(r)}
	outcome, authErr := s.authorize(r, rulePath, body, c)
	if authErr != nil {
		writeError(w, authErr)
		return outcome
	}
	routed := r.Clone(context.WithValue(r.Context(), callKey{}, c))
	routed.URL.Path, routed.URL.RawPath = path, ""
	if _, pattern := mux.Handler(routed); pattern == "" {
		writeError(w, errNoRoute)
		return outcome
	}
	mux.ServeHTTP(w, routed)
	return outcome
}

// externalBase is the scheme://host clients sign requests with.
func (s *Sim) externalBase(r *http.Request) string {
	if s.cfg.ExternalBase != "" {
		return strings.TrimSuffix(s.cfg.ExternalBase, "/")
	}
	return "http://" + r.Host
}

// randomHex returns n random bytes, hex-encoded.
func randomHex(n int) string { return hex.EncodeToString(randomBytes(n)) }

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("ovhsim: no randomness: " + err.Error())
	}
	return b
}
