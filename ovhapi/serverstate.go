package ovhapi

import (
	"context"
	"net/http"
)

// ServerStateOK is the state of a server OVH has nothing against
// (reference/ovh-api.md §3.7: ok, error, hacked, hackedBlocked).
const ServerStateOK = "ok"

// StateWarning says what a server state other than ok means for fencing, or
// "" for ok. What OVH does with a reboot of a hacked or blocked server is not
// documented, so fencing still tries: a refused reboot fails like any error.
func (s Server) StateWarning() string {
	if s.State == ServerStateOK || s.State == "" {
		return ""
	}
	return "OVH reports server " + s.Name + " in state " + s.State +
		" (not ok): fencing still tries, but OVH may refuse or delay its reboot; see the server in OVH's manager"
}

// MayGetIntervention reports whether OVH's monitoring may send a technician
// to the server once it is fenced by powering it off: a server on the
// power-off netboot stops answering ping, and with monitoring on and
// noIntervention off OVH intervenes on a ping alert (reference/ovh-api.md §3.7).
func (s Server) MayGetIntervention() bool { return s.Monitoring && !s.NoIntervention }

// InterventionWarning explains MayGetIntervention for server sn.
func InterventionWarning(sn string) string {
	return "server " + sn + " has OVH monitoring with proactive intervention: once fenced in poweroff mode it stops " +
		"answering ping and OVH may send a technician to it; set noIntervention (\"Prevent datacenter intervention\" " +
		"in OVH's manager, or PUT /dedicated/server/" + sn + " {\"noIntervention\":true})"
}

// noInterventionBody is the partial PUT that turns datacentre interventions off.
type noInterventionBody struct {
	NoIntervention bool `json:"noIntervention"`
}

// SetNoIntervention stops OVH's datacentre interventions on the server (a PUT
// of noIntervention only, which the fencing key may do). Setting it twice is
// harmless, so it is retried like a GET.
func (c *Client) SetNoIntervention(ctx context.Context, sn string) error {
	path, err := serverPath(sn)
	if err != nil {
		return err
	}
	return c.do(ctx, call{method: http.MethodPut, path: path, body: noInterventionBody{NoIntervention: true}, signed: true, retry: idempotent}, nil)
}
