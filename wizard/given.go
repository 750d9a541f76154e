package wizard

import (
	"fmt"
	"slices"
	"strings"
)

// Everything that needs no API is checked before any key is requested: a
// bad answer given up front (flags, --answers) must not cost a browser
// validation first.

// GivenError is an answer given up front refused, naming its field, so that
// a front end can say where it was given (a flag, a line of --answers).
type GivenError struct {
	Field *Field
	Err   error
}

func (e *GivenError) Error() string { return "--" + e.Field.Flag + ": " + e.Err.Error() }

func (e *GivenError) Unwrap() error { return e.Err }

// CheckGiven checks the answers given up front against the cluster's nodes,
// with nothing asked of OVH: the map (each entry a node, no server twice, a
// server among --servers when given), then the rest (checkGiven).
func CheckGiven(a Answers, nodes []string) error {
	if err := ValidateGivenMapping(a.Mapping, nodes, knownServers(a.Servers)); err != nil {
		return &GivenError{&FieldMap, err}
	}
	return checkGiven(a, nodes)
}

// checkGiven checks the given servers' names and count, fence mode and node
// to fence. (The wizard checks the map apart: its refusal sets it aside.)
func checkGiven(a Answers, nodes []string) error {
	if err := ValidateServers(a.Servers); err != nil {
		return &GivenError{&FieldServers, err}
	}
	if err := checkServerCount(a.Servers, nodes); err != nil {
		return &GivenError{&FieldServers, err}
	}
	if a.Mode != "" {
		if err := FieldFenceMode.Check(string(a.Mode)); err != nil {
			return &GivenError{&FieldFenceMode, err}
		}
	}
	if a.FenceTest != "" && !slices.Contains(nodes, a.FenceTest) {
		return &GivenError{&FieldFenceTest, fmt.Errorf("%s is not a cluster node (%s)", a.FenceTest, strings.Join(nodes, ", "))}
	}
	return nil
}

// checkServerCount refuses a server list too short for the nodes: each node
// needs its own server. An empty list means "discover them".
func checkServerCount(servers, nodes []string) error {
	if len(servers) > 0 && len(servers) < len(nodes) {
		return fmt.Errorf("%d servers named for %d nodes (%s): each node needs its own server",
			len(servers), len(nodes), strings.Join(nodes, ", "))
	}
	return nil
}

// knownServers are the servers a map entry must name: those of --servers,
// or, when none were named, any (nil: not known before discovery).
func knownServers(servers []string) []string {
	if len(servers) == 0 {
		return nil
	}
	return servers
}
