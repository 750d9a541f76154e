package tui

import (
	"context"
	"errors"
	"io"
	"os"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"
	"github.com/muesli/termenv"

	"github.com/ovhfence/ovhfence/wizard"
)

// ErrInterrupted is returned when the person quits with Ctrl+C.
var ErrInterrupted = errors.New("interrupted")

// Mode is how the wizard talks to the person.
type Mode int

// Modes, from the richest to none at all.
const (
	ModeTUI   Mode = iota // Bubble Tea on stderr
	ModeLines             // line prompts
	ModeFlags             // no prompts: flags, answers file, environment
)

// ChooseMode picks the front end (DESIGN.md D9): flags with --yes or when
// stdin is no terminal (unless --plain asks to read answers from it); line
// prompts with --plain, ACCESSIBLE=1, TERM=dumb or when the output is no
// terminal; the TUI otherwise.
func ChooseMode(stdin, stdout, stderr *os.File, plain, yes bool) Mode {
	isTTY := func(f *os.File) bool { return f != nil && term.IsTerminal(f.Fd()) }
	switch {
	case yes || (!isTTY(stdin) && !plain):
		return ModeFlags
	case plain || os.Getenv("ACCESSIBLE") != "" || os.Getenv("TERM") == "dumb" || !isTTY(stdout) || !isTTY(stderr):
		return ModeLines
	}
	return ModeTUI
}

// RunTUI runs the Bubble Tea front end, drawing on out (stderr) without the
// alternate screen so the step log stays in the scrollback.
func RunTUI(ctx context.Context, s wizard.State, runner wizard.Runner, in, out *os.File) (wizard.State, error) {
	m := newTerminalModel(ctx, s, runner, out, os.Getenv)
	p := tea.NewProgram(m, tea.WithInput(in), tea.WithOutput(out), tea.WithContext(ctx))
	m.send = p.Send
	_, err := p.Run()
	if m.Interrupted() || errors.Is(err, tea.ErrProgramKilled) {
		return m.State(), ErrInterrupted
	}
	return m.State(), err
}

// newTerminalModel is the model drawn on out: in colour unless NO_COLOR says
// otherwise, with a field's cursor always in reverse video, which is no colour:
// without it (NO_COLOR, a monochrome TERM) the cursor would not show at all.
func newTerminalModel(ctx context.Context, s wizard.State, runner wizard.Runner, out io.Writer, getenv func(string) string) *Model {
	renderer := lipgloss.NewRenderer(out)
	if getenv("NO_COLOR") != "" {
		renderer.SetColorProfile(termenv.Ascii)
	}
	m := NewModel(ctx, s, runner, renderer)
	m.clipboard = out
	reverse := lipgloss.NewRenderer(out)
	reverse.SetColorProfile(termenv.ANSI)
	m.cursorStyle = reverse.NewStyle()
	return m
}
