package e2ewizard

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServiceAccountInTmux (issue 14): the full-screen wizard in the sandbox
// with service-account chosen at step 2 shows the setup key's rules and the
// policy's actions with their reasons, creates and proves the account, and
// writes an ovh.conf holding it; its secret is nowhere on screen.
func TestServiceAccountInTmux(t *testing.T) {
	term, _, out := startSandboxWizard(t, "NO_COLOR=1 ")
	toAppKeys(term, sandboxNodes)
	term.keys("Enter", "Enter") // the key and the secret, as the sandbox gives them
	term.waitFor("> (•) consumer-key  ( ) service-account")
	term.keys("Right")
	term.waitFor("> ( ) consumer-key  (•) service-account")
	term.keys("Enter")
	term.waitFor("[3/9] Servers")
	term.keys("Enter")
	term.waitFor("Server of node3")
	term.keys("Enter", "Enter", "Enter")
	term.waitFor("(•) poweroff")
	term.keys("Enter")
	term.waitFor("[6/9] Fencing key")
	term.waitFor("POST /me/api/oauth2/client")
	term.keys("Enter")
	term.waitFor("(•) set") // OVH's interventions, asked once the grant is proven
	term.keys("Enter")
	term.waitFor("[7/9] Live test")
	screen := term.waitFor("nothing destructive") // the step log line, wrapped at 80 columns
	if !strings.Contains(screen, "Service account ") {
		t.Errorf("the step log does not name the service account:\n%s", screen)
	}
	term.keys("Enter")
	term.waitFor("(•) yes")
	writeAndExit(term)
	conf, err := os.ReadFile(filepath.Join(out, "ovh.conf"))
	if err != nil {
		t.Fatal(err)
	}
	_, secret, _ := strings.Cut(string(conf), "client_secret=")
	secret = strings.TrimSpace(secret)
	if secret == "" || !strings.Contains(string(conf), "client_id=") || strings.Contains(string(conf), "consumer_key") {
		t.Fatalf("ovh.conf holds no service account alone:\n%s", strings.ReplaceAll(string(conf), secret, "…"))
	}
	if strings.Contains(term.scrollback(), secret) {
		t.Error("the client secret is on the screen")
	}
}
