package wizard

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/cluster"
)

// TestValidateNameAgreesWithClusterModel: a node name the wizard accepts at its
// first step is one the cluster model accepts at its last, and the other way
// round (issue 12: node+1 and (x) used to pass the first and fail the last).
func TestValidateNameAgreesWithClusterModel(t *testing.T) {
	base, err := cluster.Load("../examples/two-node.cluster")
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(12, 1))
	const alphabet = "ab0Z.-_+()=,;'\" é\t"
	names := []string{"node+1", "(x)", "-x", ".x", "node1", "web-1.example.net", "a_b"}
	for range 2000 {
		var b strings.Builder
		for range 1 + rng.IntN(6) {
			b.WriteRune([]rune(alphabet)[rng.IntN(len([]rune(alphabet)))])
		}
		names = append(names, b.String())
	}
	for _, name := range names {
		c := *base
		c.Nodes = append([]cluster.Node(nil), base.Nodes...)
		c.Nodes[0].Name = name
		err := c.Validate()
		modelRefuses := err != nil && strings.Contains(err.Error(), fmt.Sprintf("node %q", name))
		wizardRefuses := ValidateName("node name", name) != nil
		if modelRefuses != wizardRefuses {
			t.Errorf("node name %q: the wizard refuses it: %v, the cluster model: %v (%v)", name, wizardRefuses, modelRefuses, err)
		}
	}
	for _, name := range []string{"node+1", "(x)"} {
		if ValidateNodes([]string{name, "node2"}) == nil {
			t.Errorf("ValidateNodes accepts %q", name)
		}
	}
}

// TestFieldsAreWholeAndDistinct: every answer has a flag of its own, a prompt
// and the choices its widget needs; every choice passes the field's check.
func TestFieldsAreWholeAndDistinct(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range Fields {
		if f.Flag == "" || f.Prompt == "" || f.Usage == "" || f.What == "" || seen[f.Flag] {
			t.Errorf("field %+v: flag, prompt, usage and name needed, flag once", *f)
		}
		seen[f.Flag] = true
		if LookupField(f.Flag) != f {
			t.Errorf("LookupField(%q) is not the field", f.Flag)
		}
		hasChoices := f.Widget == WidgetSelect || f.Widget == WidgetMultiSelect || f.Widget == WidgetConfirm
		if hasChoices != (len(f.Choices) > 0) {
			t.Errorf("--%s: widget %d with choices %v", f.Flag, f.Widget, f.Choices)
		}
		for _, c := range f.Choices {
			if err := f.Check(c); err != nil {
				t.Errorf("--%s: choice %q fails its own check: %v", f.Flag, c, err)
			}
		}
		if f.Repeat && (f.Widget == WidgetSecret || f.File) {
			t.Errorf("--%s: a secret is never repeated", f.Flag)
		}
	}
}
