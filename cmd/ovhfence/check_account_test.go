package main

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/ovhsim"
)

// accountConf creates a service account on env's simulator with the given
// policies (built from its identity) and stores it in an ovh.conf.
func accountConf(t *testing.T, env *simEnv, policies func(identity string) []ovhsim.Policy) (conf, secret string) {
	t.Helper()
	id, secret, identity := env.sim.CreateServiceAccount("check")
	for _, p := range policies(identity) {
		env.sim.AddPolicy(p)
	}
	conf = writeFile(t, "account.conf", string(ovhapi.FormatConfigFile(ovhapi.Config{Endpoint: env.endpoint, ClientID: id, ClientSecret: secret})))
	return conf, secret
}

// grantsPolicy allows exactly the given actions per server.
func grantsPolicy(identity string, grants map[string][]string) []ovhsim.Policy {
	var policies []ovhsim.Policy
	for sn, actions := range grants {
		p := ovhsim.Policy{Name: "fence " + sn, Identities: []string{identity}, Resources: []ovhsim.PolicyResource{{URN: ovhsim.ServerURN(sn)}}}
		for _, a := range actions {
			p.Permissions.Allow = append(p.Permissions.Allow, ovhsim.PolicyAction{Action: a})
		}
		policies = append(policies, p)
	}
	return policies
}

// Whatever subset of the fencing grants a policy gives, check passes only
// with all of them, and reports each missing (server, action) on its own line.
func TestCheckServiceAccountCatchesEveryMissingGrant(t *testing.T) {
	clearOVHEnv(t)
	env := newSimEnv(t)
	rng := rand.New(rand.NewSource(14))
	masks := []int{1<<15 - 1, 1<<15 - 1 - 1<<2, 1<<15 - 1 - 1<<10 - 1<<11 - 1<<12 - 1<<13 - 1<<14} // all; one action missing; one server missing
	for i := 0; i < 12; i++ {
		masks = append(masks, rng.Intn(1<<15))
	}
	for _, mask := range masks {
		grants := map[string][]string{}
		var missing []string
		for s, sn := range env.servers {
			for a, action := range ovhapi.FencingActions {
				if mask&(1<<(s*5+a)) != 0 {
					grants[sn] = append(grants[sn], action)
				} else {
					missing = append(missing, fmt.Sprintf("on %s (IAM action %s ", sn, action))
				}
			}
		}
		conf, secret := accountConf(t, env, func(identity string) []ovhsim.Policy { return grantsPolicy(identity, grants) })
		mark := len(env.sim.Requests())
		res := runInProcess("check", "--config", conf, "--server", strings.Join(env.servers, ","))
		assertNoSecret(t, res, secret)
		if len(missing) == 0 {
			if res.code != 0 || !strings.HasPrefix(res.stdout, "OK: the service account may fence ") || !strings.Contains(res.stdout, "monitoring and boot script") {
				t.Fatalf("all grants: exit %d\n%s%s", res.code, res.stdout, res.stderr)
			}
		} else {
			fails := strings.Count(res.stdout, "FAIL: ")
			if res.code != 1 || fails != len(missing) {
				t.Fatalf("mask %b: exit %d, %d FAIL lines for %d missing grants:\n%s", mask, res.code, fails, len(missing), res.stdout)
			}
			for _, m := range missing {
				if !strings.Contains(res.stdout, m) {
					t.Errorf("mask %b: no line names %q:\n%s", mask, m, res.stdout)
				}
			}
		}
		for _, r := range env.sim.Requests()[mark:] {
			if r.Method != "GET" && r.Path != "/v2/iam/authorization/check" && r.Path != "/auth/oauth2/token" {
				t.Errorf("check sent %s %s; it must only read", r.Method, r.Path)
			}
		}
	}
}

// A wildcard policy passes the fencing grants but allows the dangerous
// actions: each is reported. With --admin-config, grants beyond the cluster
// and an expiry show too.
func TestCheckServiceAccountTooBroadAndPolicyAudit(t *testing.T) {
	clearOVHEnv(t)
	env := newSimEnv(t)
	conf, _ := accountConf(t, env, func(identity string) []ovhsim.Policy {
		p := ovhsim.FencingPolicy(identity, env.servers...)
		p.Permissions.Allow = []ovhsim.PolicyAction{{Action: "dedicatedServer:apiovh:*"}}
		return []ovhsim.Policy{p}
	})
	res := runInProcess("check", "--config", conf, "--server", strings.Join(env.servers, ","))
	for _, action := range ovhapi.DangerousActions {
		if strings.Count(res.stdout, "FAIL: the service account may "+action+" on ") != len(env.servers) {
			t.Errorf("%s not reported on every server:\n%s", action, res.stdout)
		}
	}
	if res.code != 1 {
		t.Errorf("exit %d", res.code)
	}

	expiry := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
	conf, _ = accountConf(t, env, func(identity string) []ovhsim.Policy {
		p := ovhsim.FencingPolicy(identity, append(env.servers, ovhsim.DefaultServers()[3].Name)...)
		p.Permissions.Allow = append(p.Permissions.Allow, ovhsim.PolicyAction{Action: "dedicatedServer:apiovh:ipmi/get"})
		p.ExpiredAt = &expiry
		return []ovhsim.Policy{p}
	})
	admin, _, _ := tokenConf(t, env, []ovhsim.Rule{{Method: "GET", Path: "/v2/iam/policy"}, {Method: "GET", Path: "/v2/iam/policy/*"}})
	res = runInProcess("check", "--config", conf, "--server", strings.Join(env.servers, ","))
	if res.code != 0 || !strings.Contains(res.stdout, "not checked without --admin-config") {
		t.Fatalf("without --admin-config: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	res = runInProcess("check", "--config", conf, "--server", strings.Join(env.servers, ","), "--admin-config", admin)
	for _, want := range []string{"allow more than fencing: dedicatedServer:apiovh:ipmi/get",
		"cover more than the cluster's servers: " + ovhsim.ServerURN(ovhsim.DefaultServers()[3].Name),
		"expires on " + expiry.Format(time.RFC3339)} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("--admin-config: no %q in:\n%s", want, res.stdout)
		}
	}
	if res.code != 1 {
		t.Errorf("--admin-config: exit %d", res.code)
	}
}
