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
	GetServer(ctx context.Context, sn string) (ovhapi.Server, error)
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
		srv, err := client.GetServer(ctx, sn)
		if err != nil {
			report.Unreadable = append(report.Unreadable, ServerError{Server: sn, Err: ovhapi.WithHint(err)})
			continue
		}
		if w := srv.StateWarning(); w != "" {
			report.Warnings = append(report.Warnings, w)
		}
		if srv.MayGetIntervention() {
			report.Interventions = append(report.Interventions, sn)
		}
	}
	return report
}
