package fencing

import "github.com/ovhfence/ovhfence/ovhapi"

// noteState warns about a server state other than ok, and goes on: what OVH
// does with a reboot in those states is not documented.
func (f *Fencer) noteState(srv ovhapi.Server) {
	w := srv.StateWarning()
	switch {
	case w == "":
	case f.Warnf != nil:
		f.Warnf("%s", w)
	default:
		f.logf("%s", w)
	}
}
