package ovhsim

import (
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"time"
)

// Authentication outcomes recorded in the request log.
const (
	outcomePublic      = "public"      // a route that needs no authentication
	outcomeApplication = "application" // a known application key, no signature needed
	outcomeSigned      = "signed"      // a fully authenticated, granted call
	outcomeFaulted     = "faulted"     // an injected fault answered first
	outcomeDenied      = "denied: "    // followed by OVH's message
)

// authorize runs OVH's checks in OVH's order (reference §7 item 5) and, on
// success, records the credential in c.
func (s *Sim) authorize(r *http.Request, path string, body []byte, c *call) (string, *apiError) {
	switch {
	case r.Method == http.MethodGet && path == "/auth/time":
		return outcomePublic, nil
	case r.Method == http.MethodPost && path == "/auth/credential":
		return s.authorizeApplication(r)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if bearer, ok := bearerToken(r); ok {
		return s.authorizeBearer(bearer, c)
	}
	cred, err := s.authenticate(r, path, body, c.externalBase)
	if err == nil && s.overBudget(cred.consumerKey) {
		err = errTooManyCalls
	}
	if err != nil {
		return outcomeDenied + err.Message, err
	}
	cred.lastUse = s.now()
	c.cred = cred
	return outcomeSigned, nil
}

// authorizeApplication checks the only thing POST /auth/credential needs: a
// known application key.
func (s *Sim) authorizeApplication(r *http.Request) (string, *apiError) {
	ak := r.Header.Get("X-Ovh-Application")
	if ak == "" {
		return outcomeDenied + errNoApplicationKey.Message, errNoApplicationKey
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.appByKey(ak) == nil {
		return outcomeDenied + errInvalidKey.Message, errInvalidKey
	}
	return outcomeApplication, nil
}

// authenticate checks a signed call. Called with s.mu held.
func (s *Sim) authenticate(r *http.Request, path string, body []byte, base string) (*credential, *apiError) {
	h := r.Header
	ak, ck := h.Get("X-Ovh-Application"), h.Get("X-Ovh-Consumer")
	tsHeader, sig := h.Get("X-Ovh-Timestamp"), h.Get("X-Ovh-Signature")
	signed := tsHeader != "" || sig != "" || ck != ""
	if ak == "" && !signed {
		return nil, errLoginFirst
	}
	app := s.appByKey(ak)
	if app == nil {
		return nil, errInvalidKey
	}
	if !signed {
		return nil, errLoginFirst
	}
	ts, err := strconv.ParseInt(tsHeader, 10, 64)
	if err != nil || absDuration(s.now().Sub(time.Unix(ts, 0))) > s.cfg.TimestampWindow {
		return nil, errInvalidTimestamp
	}
	target := base + r.URL.RequestURI()
	if !signatureMatches(sig, signature(app.secret, ck, r.Method, target, body, ts)) {
		return nil, errInvalidSignature
	}
	cred := s.creds[ck]
	if cred == nil || cred.appID != app.id {
		return nil, errNotCredential
	}
	if s.credentialStatus(cred) != statusValidated {
		return nil, errInvalidCredential
	}
	if !ipAllowed(cred.allowedIPs, r.RemoteAddr) {
		return nil, errIPNotAllowed
	}
	if !exemptFromRules(path) && !rulesAllow(cred.rules, r.Method, path) {
		return nil, errNotGranted
	}
	return cred, nil
}

// ipAllowed reports whether remoteAddr is inside one of the allowed
// addresses or networks; an empty list allows every address.
func ipAllowed(allowed []string, remoteAddr string) bool {
	if len(allowed) == 0 {
		return true
	}
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	for _, entry := range allowed {
		if prefix, err := netip.ParsePrefix(entry); err == nil && prefix.Contains(addr) {
			return true
		}
		if single, err := netip.ParseAddr(entry); err == nil && single.Unmap() == addr {
			return true
		}
	}
	return false
}

// overBudget counts a call against ck's per-minute budget. Called with s.mu held.
func (s *Sim) overBudget(ck string) bool {
	if s.rateLimit <= 0 {
		return false
	}
	now := s.now()
	recent := s.calls[ck][:0]
	for _, at := range s.calls[ck] {
		if now.Sub(at) < time.Minute {
			recent = append(recent, at)
		}
	}
	if len(recent) >= s.rateLimit {
		s.calls[ck] = recent
		return true
	}
	s.calls[ck] = append(recent, now)
	return false
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
