package ovhsim

import (
	"encoding/json"
	"net/http"
	"strconv"
)

func (s *Sim) registerServerRoutes() {
	s.handle("GET /dedicated/server", s.listServers)
	s.handle("GET /dedicated/server/{sn}", s.getServer)
	s.handle("PUT /dedicated/server/{sn}", s.putServer)
	s.handle("GET /dedicated/server/{sn}/boot", s.listBoots)
	s.handle("GET /dedicated/server/{sn}/boot/{bootId}", s.getBoot)
}

// listServers shows a service account only the servers its policies let
// it read, and refuses it when there are none [unverified: OVH's exact
// behaviour for a partly granted listing is not documented].
func (s *Sim) listServers(_ *http.Request, c *call) (any, *apiError) {
	names := s.visibleServers(c)
	if c.account != nil && len(names) == 0 {
		return nil, iamDenied(iamActions["GET /dedicated/server"])
	}
	return names, nil
}

// serverFromPath finds the {sn} server and brings its finished tasks'
// effects up to date. Called with s.mu held.
func (s *Sim) serverFromPath(r *http.Request) (*server, *apiError) {
	sn := r.PathValue("sn")
	srv := s.servers[sn]
	if srv == nil {
		return nil, notFound("serviceName", sn)
	}
	s.settle(srv)
	return srv, nil
}

func (s *Sim) getServer(r *http.Request, c *call) (any, *apiError) {
	srv, err := s.serverFromPath(r)
	if err != nil {
		return nil, err
	}
	s.noteRead(srv, apiActor(c))
	return srv.info, nil
}

// putServer applies the writable fields of a partial Dedicated. It changes
// nothing unless every field is valid, and never touches powerState: only a
// reboot does (reference §3.2).
func (s *Sim) putServer(r *http.Request, c *call) (any, *apiError) {
	srv, err := s.serverFromPath(r)
	if err != nil {
		return nil, err
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(c.body, &fields) != nil {
		return nil, badRequest("Invalid JSON body")
	}
	updated := srv.info.clone()
	writable := writableFields(&updated)
	for name, raw := range fields {
		target, ok := writable[name]
		if !ok {
			return nil, badRequest("Property " + name + " is not writable")
		}
		if json.Unmarshal(raw, target) != nil {
			return nil, badRequest("Invalid value for property " + name)
		}
	}
	if updated.BootID == nil {
		return nil, badRequest("Invalid value for property bootId")
	}
	if _, ok := srv.bootByID(*updated.BootID); !ok {
		return nil, badRequest("Boot " + strconv.FormatInt(*updated.BootID, 10) + " is not available for this server")
	}
	if !validServerState(updated.State) {
		return nil, badRequest("Invalid value for property state: " + updated.State)
	}
	if _, ok := fields["bootId"]; ok {
		s.noteBootSet(srv, *updated.BootID, apiActor(c))
	}
	srv.info = updated
	return nil, nil
}

// clone deep-copies d, so decoding into the copy's pointer fields cannot
// reach the original.
func (d dedicated) clone() dedicated {
	var c dedicated
	data, err := json.Marshal(d)
	if err == nil {
		err = json.Unmarshal(data, &c)
	}
	if err != nil {
		panic("ovhsim: copying a server: " + err.Error())
	}
	return c
}

// writableFields maps the writable properties of §3.1 to their fields in d.
func writableFields(d *dedicated) map[string]any {
	return map[string]any{
		"bootId":            &d.BootID,
		"bootScript":        &d.BootScript,
		"efiBootloaderPath": &d.EfiBootloaderPath,
		"rootDevice":        &d.RootDevice,
		"monitoring":        &d.Monitoring,
		"noIntervention":    &d.NoIntervention,
		"rescueMail":        &d.RescueMail,
		"rescueSshKey":      &d.RescueSSHKey,
		"state":             &d.State,
	}
}

func validServerState(state string) bool {
	switch state {
	case "ok", "error", "hacked", "hackedBlocked":
		return true
	}
	return false
}

func (s *Sim) listBoots(r *http.Request, _ *call) (any, *apiError) {
	srv, err := s.serverFromPath(r)
	if err != nil {
		return nil, err
	}
	bootType := r.URL.Query().Get("bootType")
	ids := []int64{}
	for _, b := range srv.boots {
		if bootType == "" || b.Type == bootType {
			ids = append(ids, b.ID)
		}
	}
	return ids, nil
}

func (s *Sim) getBoot(r *http.Request, _ *call) (any, *apiError) {
	srv, err := s.serverFromPath(r)
	if err != nil {
		return nil, err
	}
	id, err := pathInt(r, "bootId")
	if err != nil {
		return nil, err
	}
	b, ok := srv.bootByID(id)
	if !ok {
		return nil, notFound("bootId", id)
	}
	return b, nil
}
