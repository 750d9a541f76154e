package tui

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/ovhfence/ovhfence/cluster"
	"github.com/ovhfence/ovhfence/wizard"
)

// Flag names, shared by the questions and cmd/ovhfence's flag set.
const (
	FlagTarget      = "--target"
	FlagEndpoint    = "--endpoint"
	FlagClusterName = "--cluster-name"
	FlagNodes       = "--nodes"
	FlagAppKey      = "--app-key"
	FlagAppSecret   = "--app-secret"
	FlagServers     = "--servers"
	FlagMap         = "--map"
	FlagFenceMode   = "--fence-mode"
	FlagConsumerKey = "--consumer-key"
	FlagFenceTest   = "--fence-test"
	FlagYes         = "--yes"
)

// ask asks the step's questions on p (showing its facts on out) and returns
// the answer event. ErrBack from any question becomes Back.
func ask(s wizard.State, p Prompter, out io.Writer) (wizard.Event, error) {
	ev, err := askStep(s, p, out)
	if errors.Is(err, ErrBack) {
		return wizard.Back{}, nil
	}
	return ev, err
}

func askStep(s wizard.State, p Prompter, out io.Writer) (wizard.Event, error) {
	a := s.Answers
	switch s.Step {
	case wizard.StepPreflight:
		printLines(out, preflightLines(s.Facts.Preflight))
		return askPreflight(a, p)
	case wizard.StepAppKeys:
		printLines(out, []string{explainAppKeys, createAppLine(a.Endpoint)})
		return askAppKeys(a, p)
	case wizard.StepServers:
		printLines(out, []string{explainDiscovery})
		names, err := p.Ask(Question{Label: "Servers to fence (service names; empty: list the account's servers)",
			Flag: FlagServers, Default: strings.Join(a.Servers, ","), Optional: true,
			Validate: func(v string) error { return wizard.ValidateServers(wizard.SplitList(v)) }})
		return wizard.SubmitServers{Names: wizard.SplitList(names)}, err
	case wizard.StepMap:
		printLines(out, serverLines(s.Facts.Servers))
		return askMapping(s, p)
	case wizard.StepMode:
		printLines(out, append(bootLines(s), explainModes))
		mode, err := p.Ask(Question{Label: "Fence mode (rescue or poweroff)", Flag: FlagFenceMode, Default: string(a.Mode),
			Validate: func(v string) error {
				return wizard.ValidateMode(cluster.FenceMode(v), s.Facts.WithoutPower(a.MappedServers()))
			}})
		return wizard.SubmitMode{Mode: cluster.FenceMode(mode)}, err
	case wizard.StepFencingKey:
		printLines(out, append([]string{"The fencing key gets exactly these rules, with unlimited validity:"}, ruleLines(a.MappedServers())...))
		ck, err := p.Ask(Question{Label: "Existing fencing consumer key (empty: request a new one)",
			Flag: FlagConsumerKey, Default: a.ConsumerKey, Secret: true, Optional: true})
		return wizard.SubmitFencingKey{ConsumerKey: ck}, err
	case wizard.StepLiveTest:
		printLines(out, append(powerLines(s), explainLiveTest))
		return askLiveTest(s, p)
	case wizard.StepOutput:
		printLines(out, fileLines(s.Facts.Files))
		printDiffs(out, s.Facts.Files)
		_, err := p.Ask(Question{Label: "Write these files? (Enter: yes, < : back)", Flag: FlagYes, Default: "yes",
			Validate: yesOnly})
		return wizard.SubmitOutput{}, err
	case wizard.StepSummary:
		printLines(out, summaryLines(s))
		return wizard.Finish{}, nil
	}
	return nil, fmt.Errorf("no questions for step %v", s.Step)
}

func askPreflight(a wizard.Answers, p Prompter) (wizard.Event, error) {
	var ev wizard.SubmitPreflight
	targets, err := p.Ask(Question{Label: "Write configuration for (pve3, pcs, crm; several allowed)", Flag: FlagTarget,
		Default: targetNames(a.Targets), Validate: func(v string) error { _, err := wizard.ParseTargets(v); return err }})
	if err != nil {
		return nil, err
	}
	ev.Targets, _ = wizard.ParseTargets(targets)
	if ev.Endpoint, err = p.Ask(Question{Label: "OVH endpoint", Flag: FlagEndpoint, Default: a.Endpoint, Validate: wizard.ValidateEndpoint}); err != nil {
		return nil, err
	}
	if ev.ClusterName, err = p.Ask(Question{Label: "Cluster name", Flag: FlagClusterName, Default: a.ClusterName,
		Validate: func(v string) error { return wizard.ValidateName("cluster name", v) }}); err != nil {
		return nil, err
	}
	nodes, err := p.Ask(Question{Label: "Cluster nodes", Flag: FlagNodes, Default: strings.Join(a.Nodes, ","),
		Validate: func(v string) error { return wizard.ValidateNodes(wizard.SplitList(v)) }})
	ev.Nodes = wizard.SplitList(nodes)
	return ev, err
}

func askAppKeys(a wizard.Answers, p Prompter) (wizard.Event, error) {
	validKey := func(what string) func(string) error {
		return func(v string) error { return wizard.ValidateKey(what, wizard.TrimSecret(v)) }
	}
	ak, err := p.Ask(Question{Label: "Application key", Flag: FlagAppKey, Default: a.AppKey, Validate: validKey("application key")})
	if err != nil {
		return nil, err
	}
	as, err := p.Ask(Question{Label: "Application secret", Flag: FlagAppSecret, Default: a.AppSecret, Secret: true,
		Validate: validKey("application secret")})
	return wizard.SubmitAppKeys{AppKey: ak, AppSecret: as}, err
}

func askMapping(s wizard.State, p Prompter) (wizard.Event, error) {
	known := make([]string, len(s.Facts.Servers))
	for i, srv := range s.Facts.Servers {
		known[i] = srv.Name
	}
	mapping := map[string]string{}
	for _, node := range s.Answers.Nodes {
		sn, err := p.Ask(Question{Label: "Server of " + node, Flag: FlagMap, Default: s.Answers.Mapping[node],
			Validate: func(v string) error {
				if !slices.Contains(known, v) {
					return fmt.Errorf("%s is not one of the servers listed", v)
				}
				return nil
			}})
		if err != nil {
			return nil, err
		}
		mapping[node] = sn
	}
	return wizard.SubmitMapping{Mapping: mapping}, nil
}

func askLiveTest(s wizard.State, p Prompter) (wizard.Event, error) {
	def := s.Answers.FenceTest
	if s.Facts.Cycle != nil {
		def = "" // the test ran; Enter moves on
	}
	node, err := p.Ask(Question{Label: "Fence one node for real? Its name, or Enter to skip", Flag: FlagFenceTest,
		Default: def, Optional: true,
		Validate: func(v string) error { return wizard.ValidateFenceTest(v, s.Answers.Mapping[v], s.Answers.Mapping) }})
	if err != nil || node == "" {
		return wizard.SubmitLiveTest{}, err
	}
	sn := s.Answers.Mapping[node]
	if !p.Interactive() {
		return wizard.SubmitLiveTest{Node: node, Confirm: sn}, nil // --fence-test NODE is the confirmation
	}
	confirm, err := p.Ask(Question{Label: fmt.Sprintf("This reboots %s (%s). Type %s to confirm", node, sn, sn),
		Flag: FlagFenceTest, Optional: true})
	return wizard.SubmitLiveTest{Node: node, Confirm: confirm}, err
}

func yesOnly(v string) error {
	switch strings.ToLower(v) {
	case "y", "yes":
		return nil
	}
	return errors.New("type yes to write, or < to go back")
}

func printLines(out io.Writer, lines []string) {
	for _, l := range lines {
		fmt.Fprintln(out, l)
	}
}

func printDiffs(out io.Writer, files []wizard.File) {
	for _, f := range files {
		if f.Diff != "" {
			fmt.Fprintln(out, f.Diff)
		}
	}
}
