package main

import (
	"io"

	"github.com/ovhfence/ovhfence/agent"
)

func init() {
	register("agent", "the fence agent, as fence_ovh (stdin key=value or fence-agents flags)", agentWithExamples)
}

// agentWithExamples is the agent, whose -h ends with examples like every command's.
func agentWithExamples(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	code := agent.Run(args, stdin, stdout, stderr)
	if code == 0 && wantsHelp(args) {
		printExamples(stdout, "agent")
	}
	return code
}
