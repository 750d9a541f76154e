package cluster

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/ovhfence/ovhfence/ovhapi"
)

// Limits checked by Validate.
const (
	MinPowerTimeout = 60   // an OVH reboot task takes minutes; less would fail healthy fencing
	MaxPowerTimeout = 3600 // beyond this a stuck task should fail fencing, not block it
	MaxDelay        = 300

	// MinPoweroffTimeout: in poweroff mode an off ends only once powerState
	// reads poweroff, and OVH answers poweron for about 143 s after the request
	// (reference/ovh-api.md §3.6); power_timeout must cover that and the polls.
	MinPoweroffTimeout = 180
)

// safeName is what node, cluster and server names may contain: they end up in XML
// IDs, shell scripts and crm syntax unquoted.
var safeName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// IsServiceName says whether s can be an OVH service name (a server's name):
// it then needs no quoting in a rule path, a script or a crm line.
func IsServiceName(s string) bool { return safeName.MatchString(s) }

// safePath is an absolute path without spaces, quotes or shell metacharacters.
var safePath = regexp.MustCompile(`^/[A-Za-z0-9._/+@-]*$`)

// Validate checks what the cluster means: known target, endpoint and modes,
// sane timings, unique node and server names, each node mapped to a server, the
// boot IDs the fence mode needs, and a fence-race guard for two nodes. It reports
// every problem, each as a *FieldError.
func (c *Cluster) Validate() error {
	v := validator{c: c}
	v.checkCluster()
	v.checkNodes()
	return errors.Join(v.errs...)
}

type validator struct {
	c    *Cluster
	errs []error
}

func (v *validator) fail(line int, field, format string, args ...any) {
	v.errs = append(v.errs, &FieldError{File: v.c.source, Line: line, Field: field, Problem: fmt.Sprintf(format, args...)})
}

// clusterFail reports a problem with a [cluster] field.
func (v *validator) clusterFail(field, format string, args ...any) {
	v.fail(v.c.lines[field], field, format, args...)
}

func (v *validator) checkCluster() {
	c := v.c
	if err := CheckName(c.Name); err != nil {
		v.clusterFail("name", "%q: %v", c.Name, err)
	}
	if err := CheckTarget(c.Target); err != nil {
		v.clusterFail("target", "%v", err)
	}
	if _, err := ovhapi.ResolveEndpoint(c.Endpoint); err != nil {
		v.clusterFail("endpoint", "%v", err)
	}
	if !safePath.MatchString(c.Credentials) || filepath.Clean(c.Credentials) != c.Credentials {
		v.clusterFail("credentials", "%q: use an absolute path without spaces or quotes", c.Credentials)
	}
	if err := CheckFenceMode(c.FenceMode); err != nil {
		v.clusterFail("fence_mode", "%v", err)
	}
	switch c.Action {
	case ActionOff, ActionReboot:
	default:
		v.clusterFail("action", "%q: use off or reboot", c.Action)
	}
	if c.PowerTimeout < MinPowerTimeout || c.PowerTimeout > MaxPowerTimeout {
		v.clusterFail("power_timeout", "%d s: use %d to %d seconds", c.PowerTimeout, MinPowerTimeout, MaxPowerTimeout)
	} else if c.FenceMode == FencePoweroff && c.PowerTimeout < MinPoweroffTimeout {
		v.clusterFail("power_timeout", "%d s: fence_mode poweroff needs at least %d s (OVH reports poweroff about 143 s after the request)", c.PowerTimeout, MinPoweroffTimeout)
	}
	if _, set := c.lines["reboot_time"]; set || c.RebootTime != 0 {
		if c.RebootTime < 1 || c.RebootTime > c.PowerTimeout {
			v.clusterFail("reboot_time", "%d s: use 1 s up to power_timeout (%d s), or leave it out (150 s is then assumed): a reboot that takes longer than power_timeout would fail every fence", c.RebootTime, c.PowerTimeout)
		}
	}
}

func (v *validator) checkNodes() {
	c := v.c
	if len(c.Nodes) < 2 {
		v.fail(0, "", "a cluster needs at least two [node \"…\"] sections, found %d", len(c.Nodes))
	}
	nodeNames := map[string]string{} // lower-cased: Pacemaker matches node names case-insensitively
	servers := map[string]string{}
	for i := range c.Nodes {
		n := &c.Nodes[i]
		at := func(key string) int {
			if line, ok := n.lines[key]; ok {
				return line
			}
			return n.line
		}
		if err := CheckName(n.Name); err != nil {
			v.fail(n.line, fmt.Sprintf("node %q", n.Name), "%v", err)
		} else if other, dup := nodeNames[strings.ToLower(n.Name)]; dup {
			v.fail(n.line, fmt.Sprintf("node %q", n.Name), "same name as node %q", other)
		}
		nodeNames[strings.ToLower(n.Name)] = n.Name
		switch {
		case n.Server == "":
			v.fail(at("server"), n.field("server"), "missing: every node needs its OVH service name (e.g. ns123456.ip-1-2-3.eu)")
		case !safeName.MatchString(n.Server):
			v.fail(at("server"), n.field("server"), "%q is not an OVH service name", n.Server)
		default:
			if other, dup := servers[strings.ToLower(n.Server)]; dup {
				v.fail(at("server"), n.field("server"), "%s is already the server of node %q", n.Server, other)
			}
			servers[strings.ToLower(n.Server)] = n.Name
		}
		for _, b := range n.bootIDs() {
			if b.id < 0 {
				v.fail(at(b.key), n.field(b.key), "%d: boot IDs are positive (0: the agent looks it up)", b.id)
			}
		}
		if c.FenceMode == FencePoweroff && n.PowerBootID == 0 {
			v.fail(at("power_boot_id"), n.field("power_boot_id"),
				"missing: fence_mode poweroff needs the ID of the server's power netboot (ovhfence setup finds it)")
		}
		if n.Delay < 0 || n.Delay > MaxDelay {
			v.fail(at("delay"), n.field("delay"), "%d s: use 0 to %d seconds", n.Delay, MaxDelay)
		}
	}
	if len(c.Nodes) == 2 && c.Nodes[0].Delay == c.Nodes[1].Delay {
		n := &c.Nodes[1]
		v.fail(n.line, n.field("delay"), "both nodes have delay = %d: in a two-node cluster give the node that "+
			"should survive a fence race a larger delay (e.g. 15), or both may be fenced at once", n.Delay)
	}
}
