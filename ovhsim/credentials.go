package ovhsim

import (
	"errors"
	"time"
)

// Credential states (reference §2).
const (
	statusPending   = "pendingValidation"
	statusValidated = "validated"
	statusRefused   = "refused"
	statusExpired   = "expired"
)

// application is an AK/AS pair, as createApp makes.
type application struct {
	id          int64
	key, secret string
	name        string
	description string
}

// credential is a consumer key and what it may do.
type credential struct {
	id          int64
	appID       int64
	consumerKey string
	token       string // the credentialToken of the validation URL
	state       string // as set; credentialStatus adds expiry by the clock
	creation    time.Time
	expiration  *time.Time // nil = unlimited
	lastUse     time.Time  // zero = never used
	rules       []Rule
	allowedIPs  []string
}

var errUnknownCredential = errors.New("ovhsim: unknown consumer key")

// CreateApp registers an application, as https://eu.api.ovh.com/createApp/ does.
func (s *Sim) CreateApp(name string) (ak, as string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	app := s.newApplication(name)
	return app.key, app.secret
}

// CreateToken mints an application and a consumer key that is already
// validated with unlimited validity, as https://eu.api.ovh.com/createToken/ does.
func (s *Sim) CreateToken(rules []Rule) (ak, as, ck string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	app := s.newApplication("ovhsim token")
	cred := s.newCredential(app, rules, nil)
	cred.state = statusValidated
	return app.key, app.secret, cred.consumerKey
}

// OnCredentialRequest sets a hook called with each consumer key requested
// through POST /auth/credential, before the response is sent. The sandbox
// uses it to "click" the validation URL.
func (s *Sim) OnCredentialRequest(fn func(ck string)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onCredentialRequest = fn
}

// ValidateCredential accepts a pending consumer key, as the user does on the
// validation page; a nil expiration means unlimited.
func (s *Sim) ValidateCredential(ck string, expiration *time.Time) error {
	return s.setCredentialState(ck, statusValidated, expiration)
}

// RefuseCredential refuses a consumer key.
func (s *Sim) RefuseCredential(ck string) error {
	return s.setCredentialState(ck, statusRefused, nil)
}

// ExpireCredential ends a consumer key's validity now.
func (s *Sim) ExpireCredential(ck string) error {
	return s.setCredentialState(ck, statusExpired, nil)
}

func (s *Sim) setCredentialState(ck, state string, expiration *time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cred := s.creds[ck]
	if cred == nil {
		return errUnknownCredential
	}
	cred.state = state
	if state == statusValidated {
		cred.expiration = expiration
	}
	return nil
}

// credentialStatus is the state OVH reports, with a passed expiration
// counted as expired. Called with s.mu held.
func (s *Sim) credentialStatus(cred *credential) string {
	if cred.state == statusValidated && cred.expiration != nil && !s.now().Before(*cred.expiration) {
		return statusExpired
	}
	return cred.state
}

// Called with s.mu held.
func (s *Sim) newApplication(name string) *application {
	s.lastAppID++
	app := &application{id: s.lastAppID, key: randomKey(16), secret: randomKey(32), name: name}
	s.apps[app.id] = app
	return app
}

// Called with s.mu held.
func (s *Sim) newCredential(app *application, rules []Rule, allowedIPs []string) *credential {
	s.lastCredID++
	cred := &credential{
		id:          s.lastCredID,
		appID:       app.id,
		consumerKey: randomKey(32),
		token:       randomKey(64),
		state:       statusPending,
		creation:    s.now(),
		rules:       append([]Rule(nil), rules...),
		allowedIPs:  allowedIPs,
	}
	s.creds[cred.consumerKey] = cred
	return cred
}

// Called with s.mu held.
func (s *Sim) appByKey(ak string) *application {
	for _, app := range s.apps {
		if app.key == ak {
			return app
		}
	}
	return nil
}

// Called with s.mu held.
func (s *Sim) credByID(id int64) *credential {
	for _, cred := range s.creds {
		if cred.id == id {
			return cred
		}
	}
	return nil
}

const keyAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// randomKey makes an OVH-looking alphanumeric key of n characters. The
// slight modulo bias does not matter for a simulator.
func randomKey(n int) string {
	b := randomBytes(n)
	for i := range b {
		b[i] = keyAlphabet[int(b[i])%len(keyAlphabet)]
	}
	return string(b)
}
