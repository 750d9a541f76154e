package main

import (
	"github.com/ovhfence/ovhfence/agent"
)

func init() {
	register("agent", "the fence agent, as fence_ovh (stdin key=value or fence-agents flags)", agent.Run)
}
