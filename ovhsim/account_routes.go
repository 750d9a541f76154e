package ovhsim

import (
	"net/http"
	"slices"
	"strconv"
)

// The /me/api routes list, show and revoke the account's applications and
// consumer keys (reference §2).
func (s *Sim) registerAccountRoutes() {
	s.handle("GET /me/api/credential", s.listCredentials)
	s.handle("GET /me/api/credential/{credentialId}", s.getCredential)
	s.handle("DELETE /me/api/credential/{credentialId}", s.deleteCredential)
	s.handle("GET /me/api/application", s.listApplications)
	s.handle("GET /me/api/application/{applicationId}", s.getApplication)
	s.handle("DELETE /me/api/application/{applicationId}", s.deleteApplication)
}

func (s *Sim) listCredentials(r *http.Request, _ *call) (any, *apiError) {
	query := r.URL.Query()
	appFilter, status := query.Get("applicationId"), query.Get("status")
	ids := []int64{}
	for _, cred := range s.creds {
		if (appFilter == "" || appFilter == strconv.FormatInt(cred.appID, 10)) &&
			(status == "" || status == s.credentialStatus(cred)) {
			ids = append(ids, cred.id)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

func (s *Sim) getCredential(r *http.Request, _ *call) (any, *apiError) {
	cred, err := s.credentialFromPath(r)
	if err != nil {
		return nil, err
	}
	return s.viewCredential(cred), nil
}

func (s *Sim) deleteCredential(r *http.Request, _ *call) (any, *apiError) {
	cred, err := s.credentialFromPath(r)
	if err != nil {
		return nil, err
	}
	delete(s.creds, cred.consumerKey)
	return nil, nil
}

// Called with s.mu held.
func (s *Sim) credentialFromPath(r *http.Request) (*credential, *apiError) {
	id, err := pathInt(r, "credentialId")
	if err != nil {
		return nil, err
	}
	if cred := s.credByID(id); cred != nil {
		return cred, nil
	}
	return nil, notFound("credentialId", id)
}

type applicationView struct {
	ApplicationID  int64  `json:"applicationId"`
	ApplicationKey string `json:"applicationKey"`
	Name           string `json:"name"`
	Description    string `json:"description"`
	Status         string `json:"status"`
}

func (s *Sim) listApplications(*http.Request, *call) (any, *apiError) {
	ids := []int64{}
	for id := range s.apps {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids, nil
}

func (s *Sim) getApplication(r *http.Request, _ *call) (any, *apiError) {
	app, err := s.applicationFromPath(r)
	if err != nil {
		return nil, err
	}
	return applicationView{
		ApplicationID:  app.id,
		ApplicationKey: app.key,
		Name:           app.name,
		Description:    app.description,
		Status:         "active",
	}, nil
}

// deleteApplication also revokes every consumer key of the application, as
// OVH's schema says.
func (s *Sim) deleteApplication(r *http.Request, _ *call) (any, *apiError) {
	app, err := s.applicationFromPath(r)
	if err != nil {
		return nil, err
	}
	delete(s.apps, app.id)
	for ck, cred := range s.creds {
		if cred.appID == app.id {
			delete(s.creds, ck)
		}
	}
	return nil, nil
}

// Called with s.mu held.
func (s *Sim) applicationFromPath(r *http.Request) (*application, *apiError) {
	id, err := pathInt(r, "applicationId")
	if err != nil {
		return nil, err
	}
	if app := s.apps[id]; app != nil {
		return app, nil
	}
	return nil, notFound("applicationId", id)
}

// pathInt reads a numeric path parameter.
func pathInt(r *http.Request, name string) (int64, *apiError) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil {
		return 0, badRequest("Invalid value for parameter " + name)
	}
	return id, nil
}
