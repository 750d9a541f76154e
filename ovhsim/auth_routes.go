package ovhsim

import (
	"encoding/json"
	"net/http"
	"time"
)

func (s *Sim) registerAuthRoutes() {
	s.handle("GET /auth/time", s.getTime)
	s.handle("POST /auth/credential", s.postCredential)
	s.handle("GET /auth/currentCredential", s.getCurrentCredential)
	s.handle("POST /auth/logout", s.postLogout)
}

// getTime answers a bare integer: go-ovh cannot decode anything else (§1.6).
func (s *Sim) getTime(*http.Request, *call) (any, *apiError) {
	return s.now().Unix(), nil
}

type credentialRequest struct {
	AccessRules []Rule   `json:"accessRules"`
	Redirection string   `json:"redirection"`
	AllowedIPs  []string `json:"allowedIPs"`
}

type credentialValidation struct {
	ValidationURL string `json:"validationUrl"`
	ConsumerKey   string `json:"consumerKey"`
	State         string `json:"state"`
}

func (s *Sim) postCredential(r *http.Request, c *call) (any, *apiError) {
	var req credentialRequest
	if err := json.Unmarshal(c.body, &req); err != nil || req.AccessRules == nil {
		return nil, badRequest("Missing or invalid parameter accessRules")
	}
	for _, rule := range req.AccessRules {
		if !validRuleMethod(rule.Method) {
			return nil, badRequest("Invalid method " + rule.Method + " in accessRules")
		}
	}
	app := s.appByKey(r.Header.Get("X-Ovh-Application"))
	cred := s.newCredential(app, req.AccessRules, req.AllowedIPs)
	if hook := s.onCredentialRequest; hook != nil {
		ck := cred.consumerKey
		c.after = func() { hook(ck) }
	}
	return credentialValidation{
		ValidationURL: c.externalBase + "/auth/?credentialToken=" + cred.token,
		ConsumerKey:   cred.consumerKey,
		State:         statusPending,
	}, nil
}

func validRuleMethod(method string) bool {
	switch method {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// credentialView is GET /auth/currentCredential and /me/api/credential/{id}.
type credentialView struct {
	CredentialID  int64      `json:"credentialId"`
	ApplicationID int64      `json:"applicationId"`
	Creation      time.Time  `json:"creation"`
	Expiration    *time.Time `json:"expiration"`
	LastUse       *time.Time `json:"lastUse"`
	OvhSupport    bool       `json:"ovhSupport"`
	AllowedIPs    []string   `json:"allowedIPs"`
	Status        string     `json:"status"`
	Rules         []Rule     `json:"rules"`
}

// Called with s.mu held.
func (s *Sim) viewCredential(cred *credential) credentialView {
	view := credentialView{
		CredentialID:  cred.id,
		ApplicationID: cred.appID,
		Creation:      ovhDate(cred.creation),
		LastUse:       ovhDatePtr(cred.lastUse),
		AllowedIPs:    cred.allowedIPs,
		Status:        s.credentialStatus(cred),
		Rules:         append([]Rule{}, cred.rules...), // OVH: an array, never null
	}
	if cred.expiration != nil {
		view.Expiration = ovhDatePtr(*cred.expiration)
	}
	return view
}

func (s *Sim) getCurrentCredential(_ *http.Request, c *call) (any, *apiError) {
	return s.viewCredential(c.cred), nil
}

// postLogout expires the calling consumer key (reference §2).
func (s *Sim) postLogout(_ *http.Request, c *call) (any, *apiError) {
	c.cred.state = statusExpired
	return nil, nil
}
