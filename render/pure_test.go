package render

import (
	"os/exec"
	"strings"
	"testing"
)

// render is pure (issue 12): bytes out. It neither writes files (atomicfile
// does, for every caller) nor knows ovh.conf's format (ovhapi does), so it
// imports neither them nor os.
func TestRenderWritesNothing(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{join .Imports "\n"}}`, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	imports := strings.Fields(string(out))
	if len(imports) == 0 {
		t.Fatal("go list gave no imports")
	}
	for _, imp := range imports {
		switch imp {
		case "os", "github.com/ovhfence/ovhfence/atomicfile", "github.com/ovhfence/ovhfence/ovhapi":
			t.Errorf("render imports %s", imp)
		}
	}
}
