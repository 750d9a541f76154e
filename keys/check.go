package keys

import (
	"context"
	"fmt"
	"time"

	"github.com/ovhfence/ovhfence/ovhapi"
)

// Checker is what Check calls on OVH: only reads, never a PUT or a reboot.
// *ovhapi.Client is one.
type Checker interface {
	CredentialReader
	SyncTime(ctx context.Context) (time.Duration, error)
	serverGetter
}

// Check audits the key client signs with against servers, then proves what
// only the live API can tell: the clock is within skewLimit of OVH's and every
// server the key should reach can be read. It changes nothing on OVH.
func Check(ctx context.Context, client Checker, servers []string, skewLimit time.Duration) Report {
	skew, err := client.SyncTime(ctx)
	if err != nil {
		return Report{Servers: servers, Unusable: fmt.Errorf("reading OVH's time: %w", ovhapi.WithHint(err))}
	}
	cred, err := client.CurrentCredential(ctx)
	if err != nil {
		return Report{Servers: servers, Unusable: ovhapi.WithHint(err)}
	}
	report := Audit(cred, servers)
	report.Skew, report.SkewLimit = skew, skewLimit
	if cred.Status != ovhapi.CredentialValidated {
		return report
	}
	for _, sn := range servers {
		if !granted(cred.Rules, ovhapi.Rule{Method: "GET", Path: serverPrefix + sn}) {
			continue // already reported as a missing rule
		}
		readServer(ctx, client, sn, &report.Unreadable, &report.Warnings, &report.Interventions)
	}
	return report
}

type serverGetter interface {
	GetServer(ctx context.Context, sn string) (ovhapi.Server, error)
}

// readServer reads sn and records what the read shows: that it failed, a
// state warning, or that OVH may send a technician when it is powered off.
func readServer(ctx context.Context, client serverGetter, sn string, unreadable *[]ServerError, warnings, interventions *[]string) {
	srv, err := client.GetServer(ctx, sn)
	if err != nil {
		*unreadable = append(*unreadable, ServerError{Server: sn, Err: ovhapi.WithHint(err)})
		return
	}
	if w := srv.StateWarning(); w != "" {
		*warnings = append(*warnings, w)
	}
	if srv.MayGetIntervention() {
		*interventions = append(*interventions, sn)
	}
}
