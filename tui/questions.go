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

// flagName is how a field's flag is typed.
func flagName(f *wizard.Field) string { return "--" + f.Flag }

// question asks field f, offering def (the answer given or proposed so far).
func question(f *wizard.Field, def string) Question {
	return Question{Label: f.Prompt, Flag: flagName(f), Env: f.Env, Default: def,
		Secret: f.Widget == wizard.WidgetSecret, Optional: f.Optional, Widget: f.Widget, Choices: f.Choices,
		Validate: f.Check}
}

// asked is field f's question offering the answer a holds.
func asked(f *wizard.Field, a wizard.Answers) Question { return question(f, f.Text(a)) }

// form is a step's questions and how their answers become the step's event.
// Both front ends use it: the line prompts ask the questions in order, the
// TUI shows them as fields.
type form struct {
	questions []Question
	// confirm, when set, says whether question i > 0 (a confirmation) is
	// asked after the answers before it, and with which label.
	confirm func(i int, answers []string) (label string, asked bool)
	event   func(answers []string) wizard.Event
}

// formFor is the form of s's step. interactive is false in the flags mode,
// where --fence-test NODE is its own confirmation.
func formFor(s wizard.State, interactive bool) form {
	a := s.Answers
	if f, retry := retryForm(s); retry {
		return f
	}
	switch s.Step {
	case wizard.StepPreflight:
		return preflightForm(a)
	case wizard.StepAppKeys:
		return appKeysForm(a)
	case wizard.StepServers:
		return form{
			questions: []Question{asked(&wizard.FieldServers, a)},
			event:     func(v []string) wizard.Event { return wizard.SubmitServers{Names: wizard.SplitList(v[0])} },
		}
	case wizard.StepMap:
		return mappingForm(s, interactive)
	case wizard.StepMode:
		q := asked(&wizard.FieldFenceMode, a)
		q.Validate = func(v string) error {
			return wizard.ValidateMode(cluster.FenceMode(v), s.Facts.WithoutPower(a.MappedServers()))
		}
		return form{
			questions: []Question{q},
			event:     func(v []string) wizard.Event { return wizard.SubmitMode{Mode: cluster.FenceMode(v[0])} },
		}
	case wizard.StepFencingKey:
		if len(s.Facts.Interventions) > 0 {
			return interventionForm(a, interactive)
		}
		if a.ServiceAccount() { // nothing to ask: the setup key is requested
			return form{event: func([]string) wizard.Event { return wizard.SubmitFencingKey{} }}
		}
		return form{
			questions: []Question{asked(&wizard.FieldConsumerKey, a)},
			event:     func(v []string) wizard.Event { return wizard.SubmitFencingKey{ConsumerKey: v[0]} },
		}
	case wizard.StepLiveTest:
		return liveTestForm(s, interactive)
	case wizard.StepOutput:
		return form{
			questions: []Question{question(&wizard.FieldConfirm, wizard.FieldConfirm.Default)},
			event: func(v []string) wizard.Event {
				if write, _ := wizard.ParseConfirm(v[0]); !write { // checked by the question
					return wizard.Back{} // "no": back to the live test, nothing written
				}
				return wizard.SubmitOutput{}
			},
		}
	}
	return form{event: func([]string) wizard.Event { return wizard.Finish{} }}
}

// interventionForm asks, in poweroff mode, whether to turn OVH's datacentre
// interventions off. A person is offered "set"; without one, nothing on OVH
// changes unless --no-intervention set says so.
func interventionForm(a wizard.Answers, interactive bool) form {
	answer := a.NoIntervention
	if answer == "" && interactive {
		answer = cluster.NoInterventionSet
	}
	return form{
		questions: []Question{question(&wizard.FieldNoIntervention, answer)},
		event: func(v []string) wizard.Event {
			return wizard.SubmitIntervention{Set: v[0] == cluster.NoInterventionSet}
		},
	}
}

func preflightForm(a wizard.Answers) form {
	return form{
		questions: []Question{asked(&wizard.FieldTarget, a), asked(&wizard.FieldEndpoint, a),
			asked(&wizard.FieldClusterName, a), asked(&wizard.FieldNodes, a)},
		event: func(v []string) wizard.Event {
			targets, _ := wizard.ParseTargets(v[0]) // validated by the question
			return wizard.SubmitPreflight{Targets: targets, Endpoint: v[1], ClusterName: v[2], Nodes: wizard.SplitList(v[3])}
		},
	}
}

// keyQuestions ask the application key and secret.
func keyQuestions(a wizard.Answers) []Question {
	return []Question{asked(&wizard.FieldAppKey, a), asked(&wizard.FieldAppSecret, a)}
}

func appKeysForm(a wizard.Answers) form {
	return form{
		questions: append(keyQuestions(a), asked(&wizard.FieldCredentialKind, a)),
		event: func(v []string) wizard.Event {
			return wizard.SubmitAppKeys{AppKey: v[0], AppSecret: v[1], CredentialKind: v[2]}
		},
	}
}

// mappingForm asks each node's server. Only a server matched with evidence
// (shown in the label) or chosen before is offered as the default: a node
// nothing matched starts empty, so that no guess can be accepted with Enter,
// and in the flags mode it names --map as missing.
func mappingForm(s wizard.State, interactive bool) form {
	known := make([]string, len(s.Facts.Servers))
	for i, srv := range s.Facts.Servers {
		known[i] = srv.Name
	}
	nodes := s.Answers.Nodes
	f := form{event: func(v []string) wizard.Event {
		mapping := map[string]string{}
		for i, node := range nodes {
			mapping[node] = v[i]
		}
		return wizard.SubmitMapping{Mapping: mapping, Confirmed: interactive}
	}}
	// The flags mode stops at the first unmatched node: its error names them
	// all, so that one run with the --map entries missing is enough.
	var unmatched, entries []string
	for _, node := range nodes {
		if s.Facts.Matches[node].Server == "" {
			unmatched = append(unmatched, node)
			entries = append(entries, flagName(&wizard.FieldMap)+" "+node+"=SERVICE-NAME")
		}
	}
	nodesWord := "node"
	if len(unmatched) > 1 {
		nodesWord = "nodes"
	}
	missing := fmt.Sprintf("nothing matched %s %s to a server by service name, reverse DNS or address, "+
		"and a guess is never taken (not even with %s): pass %s",
		nodesWord, strings.Join(unmatched, ", "), flagName(&wizard.FieldConfirm), strings.Join(entries, " "))
	for _, node := range nodes {
		match := s.Facts.Matches[node]
		label := fmt.Sprintf("Server of %s (no match by name, reverse DNS or address: type it)", node)
		if match.Server != "" {
			label = fmt.Sprintf("Server of %s (matched: %s)", node, match.Evidence)
		}
		q := question(&wizard.FieldMap, match.Server)
		// Typed, not a select: a select would offer a server for a node that
		// matched none, and Enter would take that guess.
		q.Label = label
		q.Missing = missing
		q.Validate = func(v string) error {
			if !slices.Contains(known, v) {
				return fmt.Errorf("%s is not one of the servers listed", v)
			}
			return nil
		}
		f.questions = append(f.questions, q)
	}
	return f
}

func liveTestForm(s wizard.State, interactive bool) form {
	mapping := s.Answers.Mapping
	node := s.Answers.FenceTest
	if s.Facts.Cycle != nil {
		node = "" // the test ran; Enter moves on
	}
	q := question(&wizard.FieldFenceTest, node)
	q.Validate = func(v string) error { return wizard.ValidateFenceTest(v, mapping[v], mapping) }
	f := form{
		questions: []Question{q},
		event: func(v []string) wizard.Event {
			if !interactive {
				return wizard.SubmitLiveTest{Node: v[0], Confirm: mapping[v[0]]} // --fence-test NODE confirms
			}
			return wizard.SubmitLiveTest{Node: v[0], Confirm: v[1], ConfirmLocal: v[2]}
		},
	}
	if interactive {
		f.questions = append(f.questions,
			Question{Label: "To confirm, type that node's service name", Flag: q.Flag, Optional: true},
			Question{Label: "This machine is that node: type its name again", Flag: q.Flag, Optional: true})
		f.confirm = func(i int, v []string) (string, bool) {
			if i == 1 {
				return fmt.Sprintf("This reboots %s (%s). Type %s to confirm", v[0], mapping[v[0]], mapping[v[0]]), v[0] != ""
			}
			return fmt.Sprintf("%s is the machine this wizard runs on: the test cuts this session off too. "+
				"Type %s again to fence it", v[0], v[0]), v[0] != "" && s.IsLocalNode(v[0])
		}
	}
	return f
}

// infoLines are what a step shows above its questions.
func infoLines(s wizard.State) []string {
	a := s.Answers
	switch s.Step {
	case wizard.StepPreflight:
		return preflightLines(s.Facts.Preflight)
	case wizard.StepAppKeys:
		return []string{explainAppKeys, createAppLine(a.Endpoint)}
	case wizard.StepServers:
		return []string{explainDiscovery}
	case wizard.StepMap:
		return serverLines(s.Facts.Servers)
	case wizard.StepMode:
		if s.Facts.Boots == nil {
			return nil
		}
		return append(bootLines(s), explainModes)
	case wizard.StepFencingKey:
		if len(s.Facts.Interventions) > 0 {
			return interventionLines(s.Facts.Interventions)
		}
		if a.ServiceAccount() {
			return accountLines(a.MappedServers())
		}
		return ruleLines(a.MappedServers())
	case wizard.StepLiveTest:
		return append(powerLines(s), explainLiveTest)
	case wizard.StepOutput:
		return fileLines(s.Facts.Files)
	case wizard.StepSummary:
		return summaryLines(s)
	}
	return nil
}

// ask shows the step's facts on out, asks its questions on p and returns the
// answer event; ErrBack from any question becomes Back.
func ask(s wizard.State, p Prompter, out io.Writer) (wizard.Event, error) {
	printLines(out, infoLines(s))
	if s.Step == wizard.StepOutput {
		printDiffs(out, s.Facts.Files)
	}
	f := formFor(s, p.Interactive())
	answers := make([]string, 0, len(f.questions))
	for i, q := range f.questions {
		if f.confirm != nil && i > 0 {
			label, asked := f.confirm(i, answers)
			if !asked {
				answers = append(answers, "")
				continue
			}
			q.Label = label
		}
		answer, err := p.Ask(q)
		if errors.Is(err, ErrBack) {
			return wizard.Back{}, nil
		}
		if err != nil {
			return nil, err
		}
		answers = append(answers, answer)
	}
	return f.event(answers), nil
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
