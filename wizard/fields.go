package wizard

import (
	"fmt"
	"strings"

	"github.com/ovhfence/ovhfence/cluster"
	"github.com/ovhfence/ovhfence/ovhapi"
)

// Widget is how the full-screen wizard asks a question; the line prompts ask
// every kind as a line.
type Widget int

// Widgets.
const (
	WidgetText        Widget = iota // a line of text
	WidgetSecret                    // a line never echoed nor shown as a default
	WidgetSelect                    // one of Choices
	WidgetMultiSelect               // one or more of Choices, comma-separated as text
	WidgetConfirm                   // yes or no
)

// Field declares one setup answer once: its flag (also its --answers key),
// prompt, widget, default, check and where it lives in Answers. The flags of
// `ovhfence setup`, the --answers file, the flags-only mode, both front ends'
// prompts and the repeat command are all read from Fields.
type Field struct {
	Flag    string // the flag's name without "--", also the --answers key
	Env     string // an environment variable that also gives it, if any
	What    string // how errors name the value, e.g. "fence mode"
	Prompt  string
	Usage   string // the flag's help line
	Widget  Widget
	Choices []string // WidgetSelect and WidgetMultiSelect
	// Default is what an absent answer becomes when nothing found on this
	// machine or OVH proposes another; "" when the wizard proposes one.
	Default  string
	Optional bool // an empty answer is valid
	// File says the flag names a file holding the answer (a secret never
	// goes on a command line, where ps shows it); prompts take the answer itself.
	File bool
	// Repeatable fields take several flags, each a comma-separated list.
	Repeatable bool
	// Repeat puts the field in the command that repeats a run; secrets and
	// the real fence test never are, nor a value equal to Default.
	Repeat bool
	// check checks the answer's syntax: nothing here needs OVH.
	check func(string) error
	// text is the answer as typed; set stores a checked answer (nil: the
	// answer comes through the OVH credentials, layered by the caller).
	text func(Answers) string
	set  func(*Answers, string)
}

// The setup answers, in the order the wizard asks them.
var (
	FieldTarget = Field{Flag: "target", What: "target", Widget: WidgetMultiSelect,
		Prompt:  "Write configuration for (pve3, pcs, crm; several allowed)",
		Usage:   "configuration to write: pve3, pcs, crm, or several, comma-separated (default: the stacks found on this machine, else pcs)",
		Choices: strs(cluster.Targets), Repeat: true,
		check: func(v string) error { _, err := ParseTargets(v); return err },
		text:  func(a Answers) string { return TargetNames(a.Targets) },
		set:   func(a *Answers, v string) { a.Targets, _ = ParseTargets(v) }}
	FieldEndpoint = Field{Flag: "endpoint", Env: ovhapi.EnvEndpoint, What: "endpoint", Widget: WidgetText,
		Prompt:  "OVH endpoint",
		Usage:   "OVH endpoint: " + strings.Join(ovhapi.EndpointNames(), ", ") + ", or a URL (default: the --config file's, $OVH_ENDPOINT, or " + ovhapi.DefaultEndpoint + ")",
		Default: ovhapi.DefaultEndpoint, check: ValidateEndpoint,
		text: func(a Answers) string { return a.Endpoint }}
	FieldCredentialKind = Field{Flag: "credentials-kind", What: "credentials kind", Widget: WidgetSelect,
		Prompt:  "Fencing credentials (consumer-key, or service-account on ovh-eu, ovh-ca, ovh-us)",
		Usage:   "what fences: consumer-key (an application key and consumer key) or service-account (an OAuth2 client whose IAM policy allows the fencing actions on the cluster's servers only; ovh-eu, ovh-ca, ovh-us)",
		Choices: []string{KindConsumerKey, KindServiceAccount}, Default: KindConsumerKey, Repeat: true,
		check: func(v string) error {
			if v != KindConsumerKey && v != KindServiceAccount {
				return fmt.Errorf("%q: answer %s or %s", v, KindConsumerKey, KindServiceAccount)
			}
			return nil
		},
		text: func(a Answers) string { return a.credentialKind() },
		set:  func(a *Answers, v string) { a.CredentialKind = v }}
	FieldClusterName = Field{Flag: "cluster-name", What: "cluster name", Widget: WidgetText,
		Prompt: "Cluster name",
		Usage:  "cluster name (default: read from the cluster configuration)", Repeat: true,
		check: func(v string) error { return ValidateName("cluster name", v) },
		text:  func(a Answers) string { return a.ClusterName },
		set:   func(a *Answers, v string) { a.ClusterName = v }}
	FieldNodes = Field{Flag: "nodes", What: "nodes", Widget: WidgetText,
		Prompt: "Cluster nodes",
		Usage:  "cluster node names, comma-separated (default: read from the cluster configuration)", Repeat: true,
		check: func(v string) error { return ValidateNodes(SplitList(v)) },
		text:  func(a Answers) string { return strings.Join(a.Nodes, ",") },
		set:   func(a *Answers, v string) { a.Nodes = SplitList(v) }}
	FieldAppKey = Field{Flag: "application-key", Env: ovhapi.EnvApplicationKey, What: "application key", Widget: WidgetText,
		Prompt: "Application key",
		Usage:  "OVH application key (default: the --config file's, or $OVH_APPLICATION_KEY)",
		check:  func(v string) error { return ValidateKey("application key", TrimSecret(v)) },
		text:   func(a Answers) string { return a.AppKey }}
	FieldAppSecret = Field{Flag: "application-secret-file", Env: ovhapi.EnvApplicationSecret, What: "application secret",
		Widget: WidgetSecret, File: true,
		Prompt: "Application secret",
		Usage:  "file holding the application secret (default: the --config file's, or $OVH_APPLICATION_SECRET)",
		check:  func(v string) error { return ValidateKey("application secret", TrimSecret(v)) },
		text:   func(a Answers) string { return a.AppSecret }}
	FieldServers = Field{Flag: "servers", What: "servers", Widget: WidgetText, Optional: true,
		Prompt: "Servers to fence (service names, comma-separated; empty: discover them)",
		Usage:  "OVH service names to fence, one per node, comma-separated (default: list the account's servers)", Repeat: true,
		check: func(v string) error { return ValidateServers(SplitList(v)) },
		text:  func(a Answers) string { return strings.Join(a.Servers, ",") },
		set:   func(a *Answers, v string) { a.Servers = SplitList(v) }}
	FieldMap = Field{Flag: "map", What: "map", Widget: WidgetText, Repeatable: true, Repeat: true,
		Prompt: "Server of each node",
		Usage:  "node=service-name pairs, comma-separated; repeatable (default: matched on service name, reverse DNS or the node's address; never guessed)",
		check:  func(v string) error { _, err := ParseMapping(v); return err },
		text:   func(a Answers) string { return mappingText(a) },
		set: func(a *Answers, v string) {
			m, _ := ParseMapping(v)
			if a.Mapping == nil {
				a.Mapping = map[string]string{}
			}
			for node, sn := range m {
				a.Mapping[node] = sn
			}
		}}
	FieldFenceMode = Field{Flag: "fence-mode", What: "fence mode", Widget: WidgetSelect,
		Prompt:  "Fence mode (rescue or poweroff)",
		Usage:   "rescue or poweroff (default: poweroff if every server has a power netboot)",
		Choices: strs(cluster.FenceModes), Repeat: true,
		check: func(v string) error {
			if err := cluster.CheckFenceMode(cluster.FenceMode(v)); err != nil {
				return fmt.Errorf("fence mode %w", err)
			}
			return nil
		},
		text: func(a Answers) string { return string(a.Mode) },
		set:  func(a *Answers, v string) { a.Mode = cluster.FenceMode(v) }}
	FieldNoIntervention = Field{Flag: "no-intervention", What: "no-intervention", Widget: WidgetSelect,
		Prompt:  "Set noIntervention on these servers? (set or unchanged)",
		Usage:   "poweroff mode: set (turn OVH's datacentre interventions off on servers that have them) or unchanged",
		Choices: []string{cluster.NoInterventionSet, cluster.NoInterventionUnchanged},
		Default: cluster.NoInterventionUnchanged, Optional: true, Repeat: true,
		check: func(v string) error {
			if v != cluster.NoInterventionSet && v != cluster.NoInterventionUnchanged {
				return fmt.Errorf("%q: answer set or unchanged", v)
			}
			return nil
		},
		text: func(a Answers) string { return a.NoIntervention },
		set:  func(a *Answers, v string) { a.NoIntervention = v }}
	FieldConsumerKey = Field{Flag: "consumer-key-file", Env: ovhapi.EnvConsumerKey, What: "consumer key",
		Widget: WidgetSecret, File: true, Optional: true,
		Prompt: "Existing fencing consumer key (empty: request a new one)",
		Usage:  "file holding an existing fencing consumer key (or $OVH_CONSUMER_KEY); default: request one",
		check:  func(v string) error { return ValidateKey("consumer key", TrimSecret(v)) },
		text:   func(a Answers) string { return a.ConsumerKey }}
	FieldFenceTest = Field{Flag: "fence-test", What: "fence test", Widget: WidgetText, Optional: true,
		Prompt: "Fence one node for real? Its name, or empty to skip",
		Usage:  "fence this node for real in the live test (off, then on)",
		check:  func(v string) error { return ValidateName("node name", v) },
		text:   func(a Answers) string { return a.FenceTest },
		set:    func(a *Answers, v string) { a.FenceTest = v }}
	// FieldConfirm is the write confirmation; its flag, --yes, answers every
	// confirmation and accepts every default.
	FieldConfirm = Field{Flag: "yes", What: "confirmation", Widget: WidgetConfirm, Default: "yes",
		Prompt:  "Write these files? (yes, or no to go back without writing)",
		Usage:   "no prompts: accept every default and confirmation (a real fence test still needs --fence-test)",
		Choices: []string{"yes", "no"},
		check:   ValidateConfirm}
)

// Fields are the setup answers, in the order the wizard asks them.
var Fields = []*Field{&FieldTarget, &FieldEndpoint, &FieldClusterName, &FieldNodes, &FieldAppKey, &FieldAppSecret, &FieldCredentialKind,
	&FieldServers, &FieldMap, &FieldFenceMode, &FieldNoIntervention, &FieldConsumerKey, &FieldFenceTest, &FieldConfirm}

// LookupField is the field whose flag is name, or nil.
func LookupField(name string) *Field {
	for _, f := range Fields {
		if f.Flag == name {
			return f
		}
	}
	return nil
}

// Check checks an answer's syntax; an empty answer is valid only for an
// optional field. The error names the value, never a secret's text.
func (f Field) Check(v string) error {
	if v == "" {
		if f.Optional {
			return nil
		}
		return fmt.Errorf("%s: an answer is needed", f.What)
	}
	if f.check == nil {
		return nil
	}
	return f.check(v)
}

// Set checks v and stores it in a. Fields read with the OVH credentials
// (endpoint, keys) are only checked: the caller layers them.
func (f Field) Set(a *Answers, v string) error {
	if err := f.Check(v); err != nil {
		return err
	}
	if f.set != nil && v != "" {
		f.set(a, v)
	}
	return nil
}

// Text is a's answer to f as it would be typed ("" when none).
func (f Field) Text(a Answers) string {
	if f.text == nil {
		return ""
	}
	return f.text(a)
}

// RepeatArgs are the flags that give a's answers again, in the table's order:
// "--flag value" with value shell-quoted by quote, one per item of a
// repeatable field.
func RepeatArgs(a Answers, quote func(string) string) []string {
	var args []string
	for _, f := range Fields {
		v := f.Text(a)
		if !f.Repeat || v == "" || v == f.Default {
			continue
		}
		values := []string{v}
		if f.Repeatable {
			values = SplitList(v)
		}
		for _, item := range values {
			args = append(args, "--"+f.Flag+" "+quote(item))
		}
	}
	return args
}

// ValidateConfirm accepts yes or no, in any case.
func ValidateConfirm(v string) error {
	_, err := ParseConfirm(v)
	return err
}

// ParseConfirm reads a yes/no answer.
func ParseConfirm(v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "y", "yes":
		return true, nil
	case "n", "no":
		return false, nil
	}
	return false, fmt.Errorf("%q: answer yes or no", v)
}

// ParseMapping reads the --map answer "node1=ns1,node2=ns2": every pair
// well formed, with names the cluster model accepts, each node once.
func ParseMapping(s string) (map[string]string, error) {
	mapping := map[string]string{}
	for _, pair := range SplitList(s) {
		node, sn, ok := strings.Cut(pair, "=")
		if !ok || node == "" || sn == "" {
			return nil, fmt.Errorf("map entry %q: write node=service-name", pair)
		}
		if err := ValidateName("node name", node); err != nil {
			return nil, fmt.Errorf("map entry %q: %w", pair, err)
		}
		if err := ValidateName("service name", sn); err != nil {
			return nil, fmt.Errorf("map entry %q: %w", pair, err)
		}
		if old, twice := mapping[node]; twice {
			return nil, fmt.Errorf("map entries %s=%s and %s: node %s is mapped twice", node, old, pair, node)
		}
		mapping[node] = sn
	}
	return mapping, nil
}

// mappingText is the map as pairs in node order.
func mappingText(a Answers) string {
	var pairs []string
	for _, node := range a.Nodes {
		if sn := a.Mapping[node]; sn != "" {
			pairs = append(pairs, node+"="+sn)
		}
	}
	return strings.Join(pairs, ",")
}

// TargetNames is targets as typed: "pcs,pve3".
func TargetNames(targets []cluster.Target) string { return strings.Join(strs(targets), ",") }

// strs converts named strings (targets, modes) to plain ones.
func strs[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}
