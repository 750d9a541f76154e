package tui

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"

	"github.com/ovhfence/ovhfence/wizard"
)

// Question is one answer the wizard needs, with the flag that gives it
// without a prompt.
type Question struct {
	Label    string
	Flag     string // e.g. "--application-key"
	Env      string // an environment variable that also gives it, if any
	Default  string // Enter accepts it
	Secret   bool   // read without echo, default never shown
	Optional bool   // an empty answer is valid
	Widget   wizard.Widget
	Choices  []string // of a select or multi-select
	// Missing says, in the flags mode, why a required answer has no default.
	Missing  string
	Validate func(string) error
}

// Prompter answers questions: a person at a line prompt, or the flags.
type Prompter interface {
	Ask(q Question) (string, error)
	// Interactive reports whether a person answers (and can go back).
	Interactive() bool
}

// errEmpty is why an empty answer to a required question is refused.
var errEmpty = errors.New("an answer is needed")

// ErrBack is returned by Ask when the person asks to go back a step.
var ErrBack = errors.New("back")

// backWord is what a person types to go back a step, and backHint says so
// after a refused answer (the full-screen wizard's key is Esc, on its help line).
const (
	backWord = "<"
	backHint = " (type < to go back)"
)

// LinePrompter asks on out and reads answers from in, one per line. Secrets
// are read without echo when in is a terminal; from a pipe, as lines.
type LinePrompter struct {
	ctx    context.Context
	in     *bufio.Reader
	out    io.Writer
	inFile *os.File // set when in is a terminal, for reading secrets without echo
}

// NewLinePrompter reads from in; if in is a terminal, secrets are not echoed.
// When ctx ends (Ctrl+C), a pending Ask returns ctx's error at once.
func NewLinePrompter(ctx context.Context, in io.Reader, out io.Writer) *LinePrompter {
	p := &LinePrompter{ctx: ctx, in: bufio.NewReader(in), out: out}
	if f, ok := in.(*os.File); ok && term.IsTerminal(f.Fd()) {
		p.inFile = f
	}
	return p
}

// Interactive is true: a person answers.
func (p *LinePrompter) Interactive() bool { return true }

// Ask prints "Label [default]: " and reads until the answer is valid.
func (p *LinePrompter) Ask(q Question) (string, error) {
	for {
		fmt.Fprint(p.out, promptText(q))
		line, err := p.readLine(q.Secret)
		if err != nil {
			return "", err
		}
		answer := strings.TrimSpace(line)
		if answer == backWord {
			return "", ErrBack
		}
		if answer == "" {
			answer = q.Default
		}
		if err := validate(q, answer); err != nil {
			fmt.Fprintln(p.out, "  "+err.Error()+backHint)
			continue
		}
		return answer, nil
	}
}

func promptText(q Question) string {
	switch {
	case q.Secret && q.Default != "":
		return fmt.Sprintf("%s [keep the one given, %d characters]: ", q.Label, len(q.Default))
	case q.Default != "" && !q.Secret:
		return fmt.Sprintf("%s [%s]: ", q.Label, q.Default)
	}
	return q.Label + ": "
}

// readLine reads one answer, giving up when the context ends; a terminal's
// echo, turned off for a secret, is turned back on then too.
func (p *LinePrompter) readLine(secret bool) (string, error) {
	type answer struct {
		line string
		err  error
	}
	done := make(chan answer, 1)
	var saved *term.State
	if secret && p.inFile != nil {
		saved, _ = term.GetState(p.inFile.Fd())
	}
	go func() {
		line, err := p.read(secret)
		done <- answer{line, err}
	}()
	select {
	case a := <-done:
		return a.line, a.err
	case <-p.ctx.Done():
		if saved != nil {
			_ = term.Restore(p.inFile.Fd(), saved)
		}
		return "", p.ctx.Err()
	}
}

func (p *LinePrompter) read(secret bool) (string, error) {
	if secret && p.inFile != nil {
		b, err := term.ReadPassword(p.inFile.Fd())
		fmt.Fprintln(p.out)
		return string(b), err
	}
	line, err := p.in.ReadString('\n')
	if errors.Is(err, io.EOF) && line != "" {
		return line, nil
	}
	if errors.Is(err, io.EOF) {
		return "", errors.New("the input ended before the wizard did")
	}
	return line, err
}

// MissingFlagError is a question with no answer and no terminal to ask on.
type MissingFlagError struct {
	Flag, Env, Label, Why string
}

func (e *MissingFlagError) Error() string {
	if e.Why != "" {
		return fmt.Sprintf("%s: %s", e.Flag, e.Why)
	}
	if e.Env != "" {
		return fmt.Sprintf("%s (or $%s) is required when not running interactively (%s)", e.Flag, e.Env, e.Label)
	}
	return fmt.Sprintf("%s is required when not running interactively (%s)", e.Flag, e.Label)
}

// FlagPrompter answers from the flags alone. Given says which flags the
// person set; with Yes, defaults and confirmations are accepted too.
type FlagPrompter struct {
	Given func(flag string) bool
	Yes   bool
}

// Interactive is false: nobody can be asked.
func (p FlagPrompter) Interactive() bool { return false }

// Ask returns the flag's value (held in Default) or names the missing flag.
func (p FlagPrompter) Ask(q Question) (string, error) {
	answer := q.Default
	if !p.Yes && !p.Given(q.Flag) && (answer != "" || !q.Optional) {
		if answer == "" {
			return "", &MissingFlagError{Flag: q.Flag, Env: q.Env, Label: q.Label, Why: q.Missing}
		}
		return "", &MissingFlagError{Flag: q.Flag, Env: q.Env, Label: q.Label,
			Why: fmt.Sprintf("not given; pass it, or --yes to accept %s", shown(q))}
	}
	if answer == "" && !q.Optional {
		return "", &MissingFlagError{Flag: q.Flag, Env: q.Env, Label: q.Label, Why: q.Missing}
	}
	if q.Validate != nil && answer != "" {
		if err := q.Validate(answer); err != nil {
			return "", &MissingFlagError{Flag: q.Flag, Label: q.Label, Why: err.Error()}
		}
	}
	return answer, nil
}

// shown is how a default may be quoted in an error: secrets are not.
func shown(q Question) string {
	if q.Secret {
		return "the one given"
	}
	return fmt.Sprintf("the default %q", q.Default)
}
