// Package wizard is the setup flow as a pure state machine (DESIGN.md D9): steps,
// answers, validation and effects as data. Front ends (tui's Bubble Tea model,
// its line prompts, the flags mode) feed it events and run its effects through a
// Runner; nothing here does I/O.
package wizard

// Step is one screen of the wizard, in order.
type Step int

// Steps, in the order the wizard walks them.
const (
	StepPreflight Step = iota
	StepAppKeys
	StepServers
	StepMap
	StepMode
	StepFencingKey
	StepLiveTest
	StepOutput
	StepSummary
	StepDone
)

// StepCount is the number of steps a person sees (StepDone is not one).
const StepCount = int(StepDone)

var stepTitles = [...]string{
	StepPreflight:  "Preflight",
	StepAppKeys:    "Application keys",
	StepServers:    "Servers",
	StepMap:        "Map nodes to servers",
	StepMode:       "Fence mode",
	StepFencingKey: "Fencing key",
	StepLiveTest:   "Live test",
	StepOutput:     "Output",
	StepSummary:    "Summary",
	StepDone:       "Done",
}

func (s Step) String() string {
	if s < 0 || int(s) >= len(stepTitles) {
		return "unknown step"
	}
	return stepTitles[s]
}

// previous is the step Back returns to; the first step has none.
func (s Step) previous() Step {
	if s == StepPreflight {
		return s
	}
	return s - 1
}
