package main

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// actionRun is one agent action against the sandbox, as Pacemaker runs it:
// no argv, the parameters on stdin.
type actionRun struct {
	action     string
	calls      []apiCall
	run        measured
	doneToExit time.Duration // for off and on: from the reboot task turning done to the agent's exit
}

// runAction runs fence_ovh with action on server and collects the API calls it
// made. rebootTime is the sandbox's reboot task duration: a task turns done
// that long after the POST …/reboot that created it. extra are more
// parameters, one key=value each.
func runAction(sb *sandbox, agent, action string, server agentTarget, rebootTime time.Duration, extra ...string) (actionRun, error) {
	if err := sb.clearRequests(); err != nil {
		return actionRun{}, err
	}
	stdin := fmt.Sprintf("action=%s\nnodename=node2\nplug=%s\nendpoint=%s\novh_config=%s\nfence_mode=rescue\nrescue_boot_id=%d\ndisk_boot_id=1\n",
		action, server.name, sb.env["OVH_ENDPOINT"], sb.config, server.rescueBootID)
	for _, kv := range extra {
		stdin += kv + "\n"
	}
	m, err := measure([]string{agent}, strings.NewReader(stdin))
	if err != nil {
		return actionRun{}, err
	}
	calls, err := sb.requests()
	if err != nil {
		return actionRun{}, err
	}
	r := actionRun{action: action, calls: calls, run: m}
	for _, c := range calls {
		if c.Method == "POST" && strings.HasSuffix(c.Path, "/reboot") {
			r.doneToExit = m.exited.Sub(c.Time.Add(rebootTime))
		}
	}
	return r, nil
}

// agentTarget is a sandbox server and the rescue boot the wizard would have
// written into the configuration (DESIGN.md D2).
type agentTarget struct {
	name         string
	rescueBootID int64
}

var taskID = regexp.MustCompile(`/task/[0-9]+`)

// callSummary names the calls in order, e.g. "GET /auth/time, GET /dedicated/server/{sn}".
func (r actionRun) callSummary(server string) string {
	names := make([]string, len(r.calls))
	for i, c := range r.calls {
		path := strings.ReplaceAll(strings.TrimPrefix(c.Path, "/1.0"), server, "{sn}")
		names[i] = c.Method + " " + taskID.ReplaceAllString(path, "/task/{id}")
	}
	return compressRepeats(names)
}

// compressRepeats writes runs of the same name once, with a count: polling a
// task gives many identical GETs.
func compressRepeats(names []string) string {
	var parts []string
	for i := 0; i < len(names); {
		j := i
		for j < len(names) && names[j] == names[i] {
			j++
		}
		part := names[i]
		if j-i > 1 {
			part = fmt.Sprintf("%s ×%d", part, j-i)
		}
		parts = append(parts, part)
		i = j
	}
	return strings.Join(parts, ", ")
}
