package wizard

// State is the whole wizard at one moment. It is a value: Next returns a new one.
type State struct {
	Step    Step
	Answers Answers
	Facts   Facts
	Seq     int    // Seq of the last effect emitted; older replies are stale
	Waiting string // what the effect in flight is doing; "" when idle
	Problem string // why the last answer or effect failed, shown at the step
	Notice  string // a warning that does not stop the flow
	// Stopping asks the front end to cancel the effect in flight while its
	// answer is still awaited (a fence test being undone).
	Stopping bool
	Log      []LogLine
}

// LogLine is one finished step in the step log shown above the current step.
type LogLine struct {
	Step Step
	Text string
}

// New returns the state before Start, with answers given up front (flags,
// answers file) already in place.
func New(answers Answers) State {
	return State{Step: StepPreflight, Answers: answers}
}

// Busy reports whether an effect is in flight.
func (s State) Busy() bool { return s.Waiting != "" }

// call emits one effect and marks the state as waiting for its reply.
func (s State) call(waiting string, work Work) (State, []Effect) {
	s.Seq++
	s.Waiting = waiting
	return s, []Effect{{Seq: s.Seq, Work: work}}
}

// advance finishes the current step with a step-log line and moves on.
func (s State) advance(to Step, logText string) State {
	s.Log = append(s.Log, LogLine{Step: s.Step, Text: logText})
	s.Step = to
	s.Problem = ""
	s.Notice = ""
	return s
}

// fail records a problem and ends the wait.
func (s State) fail(problem string) (State, []Effect) {
	s.Waiting = ""
	s.Stopping = false
	s.Problem = problem
	return s, nil
}

// back leaves the step: the effect in flight becomes stale, its log line goes.
func (s State) back() State {
	s = s.abandon()
	s.Problem = ""
	s.Notice = ""
	if s.Step == StepOutput {
		s.Facts.Files = nil
	}
	s.Step = s.Step.previous()
	s.Facts.Interventions = nil // asked again after the next key check
	for len(s.Log) > 0 && s.Log[len(s.Log)-1].Step >= s.Step {
		s.Log = s.Log[:len(s.Log)-1]
	}
	return s
}

// abandon makes the effect in flight stale and forgets the key it was waiting for.
func (s State) abandon() State {
	s.Seq++
	s.Waiting = ""
	s.Facts.Progress = nil
	s.Facts.Key = KeyRequest{}
	return s
}
