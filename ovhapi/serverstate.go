package ovhapi

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

// InterventionWarning says, for a server fenced by powering it off, that OVH's
// monitoring may send a technician to it, or "" when it will not: a server
// on the power-off netboot stops answering ping, and with monitoring on and
// noIntervention off OVH intervenes on a ping alert (reference/ovh-api.md §3.7).
func (s Server) InterventionWarning() string {
	if !s.Monitoring || s.NoIntervention {
		return ""
	}
	return "server " + s.Name + " has OVH monitoring with proactive intervention: once fenced in poweroff mode it stops " +
		"answering ping and OVH may send a technician to it; set noIntervention (\"Prevent datacenter intervention\" " +
		"in OVH's manager, or PUT /dedicated/server/" + s.Name + " {\"noIntervention\":true})"
}
