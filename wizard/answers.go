package wizard

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ovhfence/ovhfence/cluster"
	"github.com/ovhfence/ovhfence/ovhapi"
)

// Answers are everything the person decides. Every field has a flag in the
// front ends, so a run can be repeated with no questions at all.
type Answers struct {
	// Targets are the stacks to write configuration for; the first one is the
	// cluster file's target (it decides where ovh.conf lives).
	Targets  []cluster.Target
	Endpoint string // OVH endpoint name or URL
	// CredentialKind is KindConsumerKey (also when "") or KindServiceAccount:
	// what the fencing-key step creates and ovh.conf holds.
	CredentialKind string
	ClusterName    string
	Nodes          []string // cluster node names

	AppKey    string
	AppSecret string // secret: never shown, logged or printed

	// Servers are the service names typed by the person; empty means every
	// server the discovery key can list.
	Servers []string
	Mapping map[string]string // node name → service name
	Mode    cluster.FenceMode

	// ConsumerKey is the fencing key: given by the person, or requested and
	// validated in the fencing-key step. Secret.
	ConsumerKey string

	// ClientID and ClientSecret are the service account the fencing-key step
	// created in service-account mode. ClientSecret is secret.
	ClientID, ClientSecret string

	// FenceTest is the node to fence for real in the live test, FenceConfirm
	// its server's service name typed again; FenceTest "" skips the real test.
	FenceTest    string
	FenceConfirm string

	// NoIntervention is cluster.NoInterventionSet or …Unchanged once the
	// poweroff-mode question about OVH's interventions was answered.
	NoIntervention string
}

// Config returns the OVH credentials of the answers with the given consumer key.
func (a Answers) Config(consumerKey string) ovhapi.Config {
	return ovhapi.Config{Endpoint: a.Endpoint, ApplicationKey: a.AppKey, ApplicationSecret: a.AppSecret, ConsumerKey: consumerKey}
}

// Credential kinds: what fences.
const (
	KindConsumerKey    = "consumer-key"
	KindServiceAccount = "service-account"
)

func (a Answers) credentialKind() string {
	if a.CredentialKind == "" {
		return KindConsumerKey
	}
	return a.CredentialKind
}

// ServiceAccount reports whether a service account fences, not a consumer key.
func (a Answers) ServiceAccount() bool { return a.CredentialKind == KindServiceAccount }

// FencingConfig is what fences: the service account once created, else the
// application key with the fencing consumer key.
func (a Answers) FencingConfig() ovhapi.Config {
	if a.ServiceAccount() {
		return ovhapi.Config{Endpoint: a.Endpoint, ClientID: a.ClientID, ClientSecret: a.ClientSecret}
	}
	return a.Config(a.ConsumerKey)
}

// ValidateCredentialKind refuses a service account where OVH offers none.
func ValidateCredentialKind(kind, endpoint string) error {
	if kind != KindServiceAccount {
		return nil
	}
	_, err := ovhapi.TokenURL(endpoint)
	return err
}

// MappedServers are the servers of the mapping, in node order.
func (a Answers) MappedServers() []string {
	servers := make([]string, 0, len(a.Nodes))
	for _, node := range a.Nodes {
		servers = append(servers, a.Mapping[node])
	}
	return servers
}

// SplitList splits a comma- or space-separated answer into its items.
func SplitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' })
}

// TrimSecret removes what a paste adds around a key: spaces, newlines, quotes.
func TrimSecret(s string) string {
	return strings.Trim(strings.TrimSpace(s), `"'`)
}

// ParseTargets reads "pcs,pve3" into targets, checking each name.
func ParseTargets(s string) ([]cluster.Target, error) {
	var targets []cluster.Target
	for _, name := range SplitList(strings.ToLower(s)) {
		targets = append(targets, cluster.Target(name))
	}
	return targets, ValidateTargets(targets)
}

// ValidateTargets checks that at least one known target is named, each once.
func ValidateTargets(targets []cluster.Target) error {
	if len(targets) == 0 {
		return errors.New("choose at least one target: pve3, pcs or crm")
	}
	for i, t := range targets {
		if err := cluster.CheckTarget(t); err != nil {
			return fmt.Errorf("unknown target %w", err)
		}
		if slices.Contains(targets[:i], t) {
			return fmt.Errorf("target %q is named twice", t)
		}
	}
	return nil
}

// ValidateEndpoint checks an endpoint name or URL.
func ValidateEndpoint(endpoint string) error {
	_, err := ovhapi.ResolveEndpoint(endpoint)
	return err
}

// ValidateName checks a cluster, node or server name as the cluster model
// does (cluster.CheckName), so a name accepted here is never refused there.
func ValidateName(what, name string) error {
	if name == "" {
		return fmt.Errorf("%s must not be empty", what)
	}
	if err := cluster.CheckName(name); err != nil {
		return fmt.Errorf("%s %q: %w", what, name, err)
	}
	return nil
}

// ValidateNodes checks the cluster's node names: at least one, each once.
func ValidateNodes(nodes []string) error {
	if len(nodes) == 0 {
		return errors.New("name at least one cluster node")
	}
	for i, node := range nodes {
		if err := ValidateName("node name", node); err != nil {
			return err
		}
		if slices.Contains(nodes[:i], node) {
			return fmt.Errorf("node %q is named twice", node)
		}
	}
	return nil
}

// ValidateKey checks an application key or secret as pasted: OVH keys are
// letters and digits only, so anything else is a paste gone wrong.
func ValidateKey(what, key string) error {
	if key == "" {
		return fmt.Errorf("the %s is empty", what)
	}
	for _, r := range key {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return fmt.Errorf("the %s (%d characters) contains %q: paste only the key itself", what, len(key), r)
		}
	}
	return nil
}

// ValidateServers checks typed service names; empty means "discover them".
func ValidateServers(servers []string) error {
	for i, sn := range servers {
		if err := ValidateName("service name", sn); err != nil {
			return err
		}
		if slices.Contains(servers[:i], sn) {
			return fmt.Errorf("server %q is named twice", sn)
		}
	}
	return nil
}

// ValidateMapping checks that every node has its own server among known.
func ValidateMapping(nodes []string, mapping map[string]string, known []string) error {
	owner := map[string]string{}
	for _, node := range nodes {
		sn := mapping[node]
		switch {
		case sn == "":
			return fmt.Errorf("node %s has no server", node)
		case !slices.Contains(known, sn):
			return fmt.Errorf("node %s: %s is not one of the servers found (%s)", node, sn, strings.Join(known, ", "))
		case owner[sn] != "":
			return fmt.Errorf("nodes %s and %s both map to %s: each node needs its own server", owner[sn], node, sn)
		}
		owner[sn] = node
	}
	return nil
}

// ValidateMode checks that the mode is known and, for poweroff, that every
// server has a power netboot.
func ValidateMode(mode cluster.FenceMode, noPower []string) error {
	if err := cluster.CheckFenceMode(mode); err != nil {
		return fmt.Errorf("fence mode %w", err)
	}
	if mode == cluster.FencePoweroff && len(noPower) > 0 {
		return fmt.Errorf("poweroff needs a power netboot, which %s lacks: use rescue", strings.Join(noPower, ", "))
	}
	return nil
}

// ValidateFenceTest checks the live fence-test choice: a mapped node, confirmed
// by typing its server's service name.
func ValidateFenceTest(node, confirm string, mapping map[string]string) error {
	if node == "" {
		return nil
	}
	sn, ok := mapping[node]
	if !ok {
		return fmt.Errorf("%s is not a cluster node", node)
	}
	if confirm != sn {
		return fmt.Errorf("type %s's service name, %s, to confirm that it may be fenced", node, sn)
	}
	return nil
}
