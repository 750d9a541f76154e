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
