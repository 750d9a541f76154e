package main

import (
	"flag"
	"io"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/cluster"
	"github.com/ovhfence/ovhfence/wizard"
)

// TestSetupFlagsComeFromTheAnswersTable: every answer of wizard.Fields is a
// setup flag with the table's help, and the repeat command of generated
// answers, parsed by setup's flags, gives the same answers back.
func TestSetupFlagsComeFromTheAnswersTable(t *testing.T) {
	var opts setupOptions
	fs := flag.NewFlagSet("setup", flag.ContinueOnError)
	opts.register(fs)
	for _, f := range wizard.Fields {
		if fl := fs.Lookup(f.Flag); fl == nil || fl.Usage != f.Usage {
			t.Errorf("--%s: not a setup flag with the table's help (%v)", f.Flag, fl)
		}
	}

	t.Setenv("OVH_ENDPOINT", "")
	t.Setenv("OVH_APPLICATION_KEY", "")
	t.Setenv("OVH_APPLICATION_SECRET", "")
	t.Setenv("OVH_CONSUMER_KEY", "")
	rng := rand.New(rand.NewPCG(12, 2))
	for i := range 300 {
		want := randomAnswers(rng)
		var args []string
		for _, arg := range wizard.RepeatArgs(want, func(s string) string { return s }) {
			args = append(args, strings.SplitN(arg, " ", 2)...)
		}
		var opts setupOptions
		fs := newFlagSet("setup", io.Discard, "")
		opts.register(fs)
		if code, done := parseFlags(fs, args); done {
			t.Fatalf("case %d: %v: exit %d", i, args, code)
		}
		got, err := opts.answers(map[string]bool{})
		if err != nil {
			t.Fatalf("case %d: %v: %v", i, args, err)
		}
		if want.NoIntervention == cluster.NoInterventionUnchanged {
			want.NoIntervention = "" // what no flag means
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("case %d: %v\ngave  %+v\nwant %+v", i, args, got, want)
		}
	}
}

func randomAnswers(rng *rand.Rand) wizard.Answers {
	name := func(prefix string) string {
		return prefix + strings.Repeat("x", rng.IntN(3)) + string(rune('0'+rng.IntN(10)))
	}
	a := wizard.Answers{ClusterName: name("c"), Mode: cluster.FenceModes[rng.IntN(2)],
		NoIntervention: []string{"", cluster.NoInterventionSet, cluster.NoInterventionUnchanged}[rng.IntN(3)]}
	for _, i := range rng.Perm(len(cluster.Targets))[:1+rng.IntN(len(cluster.Targets))] {
		a.Targets = append(a.Targets, cluster.Targets[i])
	}
	a.Mapping = map[string]string{}
	for i := range 2 + rng.IntN(3) {
		node, sn := name("node")+string(rune('a'+i)), name("ns")+string(rune('a'+i))
		a.Nodes = append(a.Nodes, node)
		a.Mapping[node] = sn
		a.Servers = append(a.Servers, sn)
	}
	if rng.IntN(2) == 0 {
		a.Servers = nil // discover them
	}
	return a
}
