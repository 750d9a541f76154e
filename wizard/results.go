package wizard

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ovhfence/ovhfence/cluster"
	"github.com/ovhfence/ovhfence/keys"
	"github.com/ovhfence/ovhfence/ovhapi"
)

// onResult applies an effect's result to the step that emitted it.
func onResult(s State, r Result) (State, []Effect) {
	switch r := r.(type) {
	case PreflightFound:
		return preflightFound(s, r)
	case TimeSynced:
		return timeSynced(s, r)
	case AppKeyProven:
		if r.Err != nil {
			return s.fail(fmt.Sprintf("%s does not accept this application key: %v", s.Answers.Endpoint, ovhapi.WithHint(r.Err)))
		}
		s.Waiting = ""
		return s.advance(StepServers, "Application key "+s.Answers.AppKey+" known to "+s.Answers.Endpoint), nil
	case KeyRequested:
		return keyRequested(s, r)
	case KeyValidated:
		return keyValidated(s, r)
	case ServersFound:
		return serversFound(s, r)
	case BootsFound:
		if r.Err != nil {
			return s.fail("Reading the boot catalogues failed: " + ovhapi.WithHint(r.Err).Error())
		}
		s.Waiting = ""
		s.Facts.Boots = r.Boots
		if s.Answers.Mode == "" {
			s.Answers.Mode = s.Facts.DefaultMode(s.Answers.MappedServers())
		}
		return s, nil
	case KeyChecked:
		return keyChecked(s, r)
	case AccountCreated:
		return accountCreated(s, r)
	case NoInterventionSet:
		if r.Err != nil {
			return s.fail("Setting noIntervention failed: " + ovhapi.WithHint(r.Err).Error())
		}
		s.Answers.NoIntervention = cluster.NoInterventionSet
		return keyDone(s)
	case StatusRead:
		if r.Err != nil {
			return s.fail("The status test failed: " + ovhapi.WithHint(r.Err).Error())
		}
		s.Waiting = ""
		s.Facts.Power = r.Power
		return s, nil
	case FenceStarted:
		s.Facts.Recovery, s.Facts.Pending = r.Recovery, r.Pending
		return s, nil
	case DiscoveryProgress:
		s.Waiting = "Reading the servers… " + r.Line
		return s, nil
	case FenceProgress:
		s.Facts.Progress = append(s.Facts.Progress, r.Line)
		return s, nil
	case FenceCycled:
		if r.Err != nil {
			return fenceFailed(s, r)
		}
		s.Facts.FenceTesting, s.Facts.Recovery = false, ""
		s.Waiting, s.Stopping = "", false
		s.Facts.Cycle = &FenceCycle{Node: s.Answers.FenceTest, Server: s.Answers.Mapping[s.Answers.FenceTest], Off: r.Off, On: r.On}
		return s, nil
	case Previewed:
		if r.Err != nil {
			return s.fail("Rendering the configuration failed: " + r.Err.Error())
		}
		s.Waiting = ""
		s.Facts.Files, s.Facts.Next, s.Facts.OutDir = r.Files, r.Next, r.OutDir
		return s, nil
	case Wrote:
		if r.Err != nil {
			return s.fail("Writing failed, nothing was left half-written: " + r.Err.Error())
		}
		s.Waiting = ""
		s.Facts.Written, s.Facts.Backups, s.Facts.LogPath = r.Paths, r.Backups, r.LogPath
		s.Facts.DiscoveryKey = "" // ended by the write: going back to Servers requests a new one
		return s.advance(StepSummary, fmt.Sprintf("Wrote %d files", len(r.Paths))), nil
	}
	return s, nil
}

func preflightFound(s State, r PreflightFound) (State, []Effect) {
	s.Waiting = ""
	pf := r.Preflight
	s.Facts.Preflight = pf
	var notices []string
	if r.Err != nil {
		notices = append(notices, "Could not read the cluster configuration ("+r.Err.Error()+"); type the node names.")
	}
	if len(s.Answers.Targets) == 0 {
		s.Answers.Targets = DefaultTargets(pf)
	}
	if s.Answers.ClusterName == "" {
		s.Answers.ClusterName = pf.ClusterName
	}
	if len(s.Answers.Nodes) == 0 {
		s.Answers.Nodes = pf.Nodes
	}
	if s.Answers.Endpoint == "" {
		s.Answers.Endpoint = ovhapi.DefaultEndpoint
	}
	if pf.PVE4 {
		notices = append(notices, "This is Proxmox VE 4 or later: its HA stack fences with a watchdog and "+
			"cannot call fence agents. ovhfence can write Pacemaker (pcs or crm) configuration instead.")
	}
	s.Notice = strings.Join(notices, " ")
	return s, nil
}

// DefaultTargets proposes the targets for what the preflight found: the
// detected stacks, else Pacemaker with pcs.
func DefaultTargets(pf Preflight) []cluster.Target {
	if len(pf.Detected) > 0 {
		return pf.Detected
	}
	return []cluster.Target{cluster.TargetPcs}
}

func timeSynced(s State, r TimeSynced) (State, []Effect) {
	if r.Err != nil {
		return s.fail(fmt.Sprintf("Cannot reach %s: %v", s.Answers.Endpoint, ovhapi.WithHint(r.Err)))
	}
	s.Waiting = ""
	s.Facts.Skew = r.Skew
	line := fmt.Sprintf("Preflight: %s for cluster %s (%s) on %s, clock off by %s",
		targetList(s.Answers.Targets), s.Answers.ClusterName, strings.Join(s.Answers.Nodes, " "),
		s.Answers.Endpoint, r.Skew.Round(1e9))
	notice := ""
	if r.Skew > SkewWarning || -r.Skew > SkewWarning {
		notice = fmt.Sprintf("This machine's clock is %s off OVH's: ovhfence corrects for it, but other tools "+
			"will not. Synchronise it with NTP.", r.Skew.Round(1e9))
	}
	s = s.advance(StepAppKeys, line)
	s.Notice = notice
	return s, nil
}

func targetList(targets []cluster.Target) string {
	names := make([]string, len(targets))
	for i, t := range targets {
		names[i] = string(t)
	}
	return strings.Join(names, " + ")
}

func keyRequested(s State, r KeyRequested) (State, []Effect) {
	if r.Err != nil {
		return s.fail(fmt.Sprintf("Requesting the %s key failed: %v", s.Facts.Key.Purpose, ovhapi.WithHint(r.Err)))
	}
	s.Facts.Key.ConsumerKey, s.Facts.Key.ValidationURL = r.Request.ConsumerKey, r.Request.ValidationURL
	return s.call("Waiting for you to validate the "+s.Facts.Key.Purpose+" key…", EffectWaitKey{
		Config: s.Answers.Config(r.Request.ConsumerKey), Purpose: s.Facts.Key.Purpose,
	})
}

func keyValidated(s State, r KeyValidated) (State, []Effect) {
	key := s.Facts.Key
	s.Facts.Key = KeyRequest{} // its URL is done with: later waits must not show it
	if r.Err != nil {
		return s.fail(fmt.Sprintf("The %s key was not validated: %v", key.Purpose, r.Err))
	}
	if key.Purpose == PurposeSetup {
		return createAccount(s, key.ConsumerKey)
	}
	if key.Purpose == PurposeDiscovery {
		s.Facts.DiscoveryKey = key.ConsumerKey
		return s.call("Reading the servers…", EffectDiscoverServers{
			Config: s.Answers.Config(key.ConsumerKey), Names: s.Answers.Servers,
			Nodes: s.Answers.Nodes, NodeAddrs: s.Facts.Preflight.NodeAddrs,
		})
	}
	s.Answers.ConsumerKey = key.ConsumerKey
	return checkKey(s)
}

func serversFound(s State, r ServersFound) (State, []Effect) {
	if r.Err != nil {
		return s.fail("Reading the servers failed: " + ovhapi.WithHint(r.Err).Error())
	}
	if len(r.Servers) < len(s.Answers.Nodes) {
		return s.fail(fmt.Sprintf("%d servers found for %d nodes: every node needs its own server",
			len(r.Servers), len(s.Answers.Nodes)))
	}
	if err := ValidateGivenMapping(s.Answers.Mapping, s.Answers.Nodes, serverNames(r.Servers)); err != nil {
		return s.refuseGivenMapping(err)
	}
	s.Waiting = ""
	s.Facts.Servers = r.Servers
	addrs := map[string][]NodeAddr{}
	for _, from := range []map[string][]NodeAddr{s.Facts.Preflight.NodeAddrs, r.NodeAddrs} {
		for node, list := range from {
			addrs[node] = append(addrs[node], list...)
		}
	}
	s.Facts.Matches = MatchServers(s.Answers.Nodes, r.Servers, addrs, s.Answers.Mapping)
	read := 0
	for _, srv := range r.Servers {
		if srv.Read {
			read++
		}
	}
	return s.advance(StepMap, fmt.Sprintf("%d servers listed, %d read with a short-lived read-only key", len(r.Servers), read)), nil
}

func accountCreated(s State, r AccountCreated) (State, []Effect) {
	if r.EndErr != nil {
		s.Notice = fmt.Sprintf("Ending the setup key failed (%v); it ends by itself at the validity you chose.", ovhapi.WithHint(r.EndErr))
	}
	if r.Err != nil {
		return s.fail("Setting up the service account failed: " + r.Err.Error())
	}
	s.Answers.ClientID, s.Answers.ClientSecret = r.ClientID, r.ClientSecret
	s.Facts.PolicyID = r.PolicyID
	return checkAccount(s)
}

func keyChecked(s State, r KeyChecked) (State, []Effect) {
	what := "fencing key"
	if s.Answers.ServiceAccount() {
		what = "service account " + s.Answers.ClientID
	}
	if r.Err != nil {
		return s.fail("Checking the " + what + " failed: " + r.Err.Error())
	}
	if len(r.Problems) > 0 {
		stop := ""
		if s.Answers.ServiceAccount() {
			stop = "; nothing was fenced: fix its IAM policy " + s.Facts.PolicyID + ", then submit this step again to prove it again"
		}
		return s.fail("The " + what + " is not right (" + keys.ProblemCount(len(r.Problems)) + ")" + stop + ":\n- " + strings.Join(r.Problems, "\n- "))
	}
	if s.Answers.Mode == cluster.FencePoweroff && len(r.Interventions) > 0 {
		s.Waiting = ""
		s.Facts.Interventions = r.Interventions // ask whether to set noIntervention
		return s, nil
	}
	if s.Answers.Mode == cluster.FencePoweroff {
		s.Answers.NoIntervention = cluster.NoInterventionUnchanged // nothing to change
	}
	return keyDone(s)
}

// keyDone leaves the fencing-key step for the live test.
func keyDone(s State) (State, []Effect) {
	s.Facts.Interventions = nil
	line := "Fencing key validated: exactly the fencing rules, unlimited validity"
	if s.Answers.ServiceAccount() {
		line = "Service account " + s.Answers.ClientID + " created; OVH's authorization check allows it every fencing action on every server, nothing destructive"
	}
	s = s.advance(StepLiveTest, line)
	return statusAll(s)
}

// fenceFailed says how the fence test ended: the node brought back on its
// disk, or the one command that brings it back.
func fenceFailed(s State, r FenceCycled) (State, []Effect) {
	node := s.Answers.FenceTest
	s.Facts.FenceTesting = false
	what := fmt.Sprintf("The fence test of %s failed: %v", node, ovhapi.WithHint(r.Err))
	if errors.Is(r.Err, context.Canceled) {
		what = fmt.Sprintf("The fence test of %s was cancelled", node)
	}
	if r.Recovered {
		s.Facts.Recovery = ""
		return s.fail(what + fmt.Sprintf(". %s was brought back on its disk (verified).", s.Answers.Mapping[node]))
	}
	if s.Facts.Recovery == "" {
		return s.fail(what)
	}
	return s.fail(what + fmt.Sprintf(". %s may still be off or in rescue: bring it back with the command printed above "+
		"(its keys are in %s):\n%s", s.Answers.Mapping[node], s.Facts.Pending, s.Facts.Recovery))
}

func (s State) liveTestSummary() string {
	line := fmt.Sprintf("Live test: status read on %d servers", len(s.Facts.Power))
	if c := s.Facts.Cycle; c != nil {
		line += fmt.Sprintf("; %s fenced off in %s and back on in %s", c.Node, c.Off.Round(1e9), c.On.Round(1e9))
	}
	return line
}
