package tui

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/ovhfence/ovhfence/wizard"
)

// ErrStepFailed is returned by RunLines when an answer given by flags fails
// at a step: without a person there is nobody to fix it.
var ErrStepFailed = errors.New("setup failed")

// RunLines drives the wizard with line prompts (p a LinePrompter) or with no
// prompts at all (p a FlagPrompter), writing progress to out. It returns the
// final state; the wizard is finished when its step is StepDone.
func RunLines(ctx context.Context, s wizard.State, runner wizard.Runner, p Prompter, out io.Writer) (wizard.State, error) {
	if !p.Interactive() {
		// Keys need no facts to be asked for: a missing one fails before any call.
		for _, q := range keyQuestions(s.Answers) {
			if _, err := p.Ask(q); err != nil {
				return s, err
			}
		}
	}
	s, effects := wizard.Next(s, wizard.Start{})
	shownStep, shownURL := wizard.Step(-1), ""
	for s.Step != wizard.StepDone {
		if len(effects) > 0 {
			if url := s.Facts.Key.ValidationURL; url != "" && url != shownURL {
				shownURL = url
				fmt.Fprintf(out, "%s\n  %s\n", openURLLine(s.Facts.Key.Purpose), url)
				if s.Facts.Preflight.Sandbox {
					fmt.Fprintln(out, sandboxClicks)
				}
			}
			fmt.Fprintln(out, s.Waiting)
			s, effects = runEffect(ctx, s, effects[0], runner, out)
			continue
		}
		if err := ctx.Err(); err != nil {
			return s, err
		}
		if s.Step != shownStep {
			shownStep = s.Step
			fmt.Fprintf(out, "\n%s\n", stepHeader(s.Step))
		}
		if s.Notice != "" {
			fmt.Fprintln(out, "Note: "+s.Notice)
		}
		if s.Problem != "" {
			fmt.Fprintln(out, "Problem: "+s.Problem)
			if !p.Interactive() {
				return s, fmt.Errorf("%w at %s: %s", ErrStepFailed, s.Step, s.Problem)
			}
		}
		ev, err := ask(s, p, out)
		if err != nil {
			return s, err
		}
		if _, back := ev.(wizard.Back); back {
			shownStep = -1
		}
		s, effects = wizard.Next(s, ev)
	}
	return s, nil
}

// runEffect runs one effect to its end, printing progress lines as they come.
func runEffect(ctx context.Context, s wizard.State, e wizard.Effect, runner wizard.Runner, out io.Writer) (wizard.State, []wizard.Effect) {
	progress := func(r wizard.Result) {
		switch p := r.(type) {
		case wizard.FenceProgress:
			fmt.Fprintln(out, "  "+p.Line)
		case wizard.DiscoveryProgress:
			fmt.Fprintln(out, "  "+p.Line)
		}
	}
	return wizard.Next(s, wizard.Reply{Seq: e.Seq, Result: runner.Run(ctx, e.Work, progress)})
}
