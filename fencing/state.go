package fencing

import "github.com/ovhfence/ovhfence/ovhapi"

// noteState warns about a server state other than ok, and goes on: what OVH
// does with a reboot in those states is not documented.
func (f *Fencer) noteState(srv ovhapi.Server) {
	if w := srv.StateWarning(); w != "" {
		f.warnf("%s", w)
	}
}
