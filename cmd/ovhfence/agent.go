package main

import (
	"fmt"
	"io"

	"github.com/ovhfence/ovhfence/agent"
)

func init() {
	register("agent", "the fence agent, as fence_ovh (stdin key=value or fence-agents flags)", agent.Run)
	register("version", "print the version", func(_ []string, _ io.Reader, stdout, _ io.Writer) int {
		fmt.Fprintf(stdout, "ovhfence %s\n", agent.Version)
		return 0
	})
}
