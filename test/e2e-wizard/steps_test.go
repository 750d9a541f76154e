package e2ewizard

import "strings"

// sandboxNodes are the nodes of the sandbox's own cluster.
var sandboxNodes = []string{"node1", "node2", "node3"}

// toLiveTest takes every default of a wizard whose cluster is nodes, each
// matched to its server, up to the live test's question (step 7).
func toLiveTest(term terminal, nodes []string) {
	term.waitFor("[1/9] Preflight")
	term.waitFor(strings.Join(nodes, ","))
	term.keys("Enter", "Enter", "Enter", "Enter")
	term.waitFor("[2/9] Application keys")
	term.keys("Enter", "Enter")
	term.waitFor("[3/9] Servers")
	term.keys("Enter")
	term.waitFor("[4/9] Map nodes to servers")
	term.waitFor("Server of " + nodes[len(nodes)-1])
	for range nodes {
		term.keys("Enter")
	}
	term.waitFor("[5/9] Fence mode")
	term.waitFor("(•) poweroff")
	term.keys("Enter")
	term.waitFor("[6/9] Fencing key")
	term.keys("Enter")
	term.waitFor("(•) set")
	term.keys("Enter")
	term.waitFor("[7/9] Live test")
	term.waitFor("Fence one node for real")
}

// toOutput goes on from the live test's question, skipping the real fence
// test, to step 8's confirmation.
func toOutput(term terminal) {
	term.keys("Enter")
	term.waitFor("[8/9] Output")
	term.waitFor("(•) yes")
}

// toTheEnd writes the files, leaves the summary and checks ovhfence exited 0.
func toTheEnd(term terminal) {
	term.keys("Enter")
	term.waitFor("[9/9] Summary")
	term.keys("Enter")
	if screen := term.waitFor("EXIT="); !strings.Contains(screen, "EXIT=0") {
		term.t.Fatalf("ovhfence did not exit 0:\n%s", screen)
	}
}

// scrollback is the whole session as a terminal copies it, wrapped lines joined.
func (term terminal) scrollback() string {
	return term.tmux("capture-pane", "-p", "-J", "-S", "-1000", "-t", session)
}
