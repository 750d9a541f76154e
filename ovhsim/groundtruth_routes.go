package ovhsim

import (
	"encoding/json"
	"errors"
	"net/http"
)

// groundTruthRoutes are the control calls of groundtruth.go: what the OVH
// manager can do without an API key, the netboot read model, and ground truth.
func (s *Sim) groundTruthRoutes() map[string]controlHandler {
	return map[string]controlHandler{
		"GET /_sim/servers/{sn}/truth":   s.controlTruth,
		"PUT /_sim/servers/{sn}/boot":    s.controlBootByHand,
		"POST /_sim/servers/{sn}/reboot": s.controlManagerReboot,
		"POST /_sim/netboot":             s.controlNetboot,
	}
}

var errNoServer = errors.New("no such server")

func (s *Sim) controlTruth(r *http.Request) (any, int, error) {
	truth, found := s.GroundTruth(r.PathValue("sn"))
	if !found {
		return controlFailed(http.StatusNotFound, errNoServer)
	}
	return controlOK(truth)
}

func (s *Sim) controlBootByHand(r *http.Request) (any, int, error) {
	var body struct {
		BootID int64 `json:"bootId"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		return controlFailed(http.StatusBadRequest, err)
	}
	if err := s.SetBootByHand(r.PathValue("sn"), body.BootID); err != nil {
		return controlFailed(http.StatusBadRequest, err)
	}
	return controlOK(nil)
}

func (s *Sim) controlManagerReboot(r *http.Request) (any, int, error) {
	task, err := s.RebootByManager(r.PathValue("sn"))
	if err != nil {
		return controlFailed(http.StatusConflict, err)
	}
	return controlOK(task)
}

func (s *Sim) controlNetboot(r *http.Request) (any, int, error) {
	var body struct {
		ReadAt string `json:"readAt"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		return controlFailed(http.StatusBadRequest, err)
	}
	if err := s.SetNetbootReadAt(body.ReadAt); err != nil {
		return controlFailed(http.StatusBadRequest, err)
	}
	return controlOK(body)
}
