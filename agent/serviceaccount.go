package agent

import (
	"context"
	"fmt"
	"time"

	"github.com/ovhfence/ovhfence/fencing"
	"github.com/ovhfence/ovhfence/ovhapi"
)

// accountPlugs lists the servers a service account may read: OVH shows it
// those its IAM policy covers. Unlike a consumer key's, there are no rules to
// fall back on when listing is refused: the error names the missing action
// (dedicatedServer:apiovh:get).
func (r *run) accountPlugs(client *ovhapi.Client, timeout time.Duration) func(context.Context) ([]fencing.Plug, error) {
	return func(ctx context.Context) ([]fencing.Plug, error) {
		ctx, cancel := withTimeout(ctx, timeout)
		defer cancel()
		names, err := client.ListServers(ctx)
		if err != nil {
			return nil, err
		}
		plugs := make([]fencing.Plug, len(names))
		for i, name := range names {
			plugs[i] = fencing.Plug{Name: name}
		}
		return plugs, nil
	}
}

// withTimeout bounds ctx by timeout when it is set (the fence's power_timeout).
func withTimeout(ctx context.Context, timeout time.Duration) (context.Context, context.CancelFunc) {
	if timeout > 0 {
		return context.WithTimeout(ctx, timeout)
	}
	return context.WithCancel(ctx)
}

// monitorServiceAccount is monitor for a service account, which has no
// consumer key to look at: it proves the token (GET /auth/details answers as
// the service account) and one read its IAM policy must allow — the plug's
// server when one is given, else the server list.
func (r *run) monitorServiceAccount(ctx context.Context, client *ovhapi.Client, timeout time.Duration) int {
	ctx, cancel := withTimeout(ctx, timeout)
	defer cancel()
	details, err := client.AuthDetails(ctx)
	if err != nil {
		return r.fail(err)
	}
	if details.Method != ovhapi.MethodServiceAccount {
		return r.fail(fmt.Errorf("OVH authenticated the service account's token as %q, not %q", details.Method, ovhapi.MethodServiceAccount))
	}
	if plug, ok := r.opts.Get("plug"); ok && plug != "" {
		targets, err := r.targets()
		if err != nil {
			return r.fail(err)
		}
		if _, err := client.GetServer(ctx, targets[0].Server); err != nil {
			return r.fail(err)
		}
		r.log.debugf("service account token and read of %s proven", targets[0].Server)
		return exitOK
	}
	servers, err := client.ListServers(ctx)
	if err != nil {
		return r.fail(err)
	}
	if len(servers) == 0 {
		return r.fail(fmt.Errorf("the service account sees no dedicated server: its IAM policy must allow dedicatedServer:apiovh:get on the cluster's servers"))
	}
	r.log.debugf("service account token and server list (%d) proven", len(servers))
	return exitOK
}
