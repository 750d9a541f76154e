package setup

import (
	"os/exec"
	"strings"
	"testing"
)

// The wizard side (wizard, setup, tui) gets the simulator from main as plain
// data (Sandbox): none of it imports ovhsim, which only tests, `ovhfence
// sandbox` and --sandbox need (DESIGN.md §2).
func TestWizardSideDoesNotImportTheSimulator(t *testing.T) {
	const module = "github.com/ovhfence/ovhfence/"
	out, err := exec.Command("go", "list", "-deps", module+"wizard/...", module+"setup/...", module+"tui/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 || !strings.Contains(string(out), module+"fencing\n") {
		t.Fatalf("go list -deps listed %d packages, not the wizard side's: %s", len(deps), out)
	}
	for _, dep := range deps {
		if dep == module+"ovhsim" || strings.HasPrefix(dep, module+"ovhsim/") {
			t.Errorf("the wizard side imports %s", dep)
		}
	}
}
