package e2ewizard

import "strings"

// sandboxNodes are the nodes of the sandbox's own cluster.
var sandboxNodes = []string{"node1", "node2", "node3"}

// Two of the sandbox's servers. Their reverse DNS names node1 and node2; the
// nodes web1 and web2 match neither by name, reverse DNS nor address.
const (
	server1 = "ns567890.ip-123-22-44.eu"
	server2 = "ns567891.ip-123-22-45.eu"
)

// sandboxServers are the servers of sandboxNodes, in order.
var sandboxServers = []string{server1, server2, "ns567892.ip-123-22-46.eu"}

// The walks below take every default of a wizard whose cluster is nodes,
// each one step further than the last.

// toAppKeys goes from the start to step 2's application keys.
func toAppKeys(term terminal, nodes []string) {
	term.waitFor("[1/9] Preflight")
	term.waitFor(strings.Join(nodes, ","))
	term.keys("Enter", "Enter", "Enter", "Enter")
	term.waitFor("[2/9] Application keys")
}

// toMap goes on to step 4, once every node's server field is shown, and
// returns that screen.
func toMap(term terminal, nodes []string) string {
	toAppKeys(term, nodes)
	term.keys("Enter", "Enter", "Enter") // the key, the secret, the credentials kind
	term.waitFor("[3/9] Servers")
	term.keys("Enter")
	term.waitFor("[4/9] Map nodes to servers")
	return term.waitFor("Server of " + nodes[len(nodes)-1])
}

// toLiveTest goes on, each node matched to its server, to the live test's
// question (step 7).
func toLiveTest(term terminal, nodes []string) {
	toMap(term, nodes)
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

// toOutput goes on, skipping the real fence test, to step 8's confirmation.
func toOutput(term terminal, nodes []string) {
	toLiveTest(term, nodes)
	term.keys("Enter")
	term.waitFor("[8/9] Output")
	term.waitFor("(•) yes")
}

// toTheEnd goes on to the end.
func toTheEnd(term terminal, nodes []string) {
	toOutput(term, nodes)
	writeAndExit(term)
}

// writeAndExit answers yes at step 8, leaves the summary and checks ovhfence
// exited 0.
func writeAndExit(term terminal) {
	term.keys("Enter")
	term.waitFor("[9/9] Summary")
	term.keys("Enter")
	if screen := term.waitFor("EXIT="); !strings.Contains(screen, "EXIT=0") {
		term.t.Fatalf("ovhfence did not exit 0:\n%s", screen)
	}
}
