package tui

import (
	"context"
	"io"
	"strings"
	"time"

	"github.com/aymanbagabas/go-osc52/v2"
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/ovhfence/ovhfence/wizard"
)

// Messages from the effects back to the model.
type (
	effectDone     struct{ reply wizard.Reply }
	effectProgress struct{ reply wizard.Reply }
)

// formKey identifies when a form was built: a new step, or new facts after an effect.
type formKey struct {
	step wizard.Step
	seq  int
}

// secretCharLimit lets long pastes through (bubbles' default would cut them).
const secretCharLimit = 400

// Model is the Bubble Tea model of the wizard: the wizard state, the fields of
// the current step, and the effect in flight.
type Model struct {
	state  wizard.State
	runner wizard.Runner
	ctx    context.Context
	send   func(tea.Msg) // delivers progress of a running effect; nil in tests
	cancel context.CancelFunc

	form     form
	inputs   []textinput.Model
	choices  []*choice // per field: the select, multi-select or confirm, nil for typed text
	focus    int
	fieldErr string
	formOf   formKey // the wizard moment the form was built for

	pager pager // scrolls the step's facts when they do not fit
	wait  wait  // the effect in flight, as shown
	now   func() time.Time

	spin          spinner.Model
	width, height int
	st            styles
	cursorStyle   lipgloss.Style // the text cursor's, in reverse video where it can be
	clipboard     io.Writer      // where OSC 52 "copy" sequences go
	copied        bool
	printedURL    string // the validation URL last printed above the program
	interrupted   bool
}

// NewModel returns the model at the start of the wizard; r styles the views.
func NewModel(ctx context.Context, s wizard.State, runner wizard.Runner, r *lipgloss.Renderer) *Model {
	m := &Model{state: s, runner: runner, ctx: ctx, width: 80, height: 24, st: newStyles(r), formOf: formKey{seq: -1},
		spin: spinner.New(spinner.WithSpinner(spinner.Line)), now: time.Now, cursorStyle: r.NewStyle()}
	return m
}

// State is the wizard state, for the caller once the program has ended.
func (m *Model) State() wizard.State { return m.state }

// Interrupted reports whether the person quit with Ctrl+C.
func (m *Model) Interrupted() bool { return m.interrupted }

// Init starts the wizard.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.apply(wizard.Start{}), m.spin.Tick)
}

// apply moves the wizard and starts the effect it asks for.
func (m *Model) apply(ev wizard.Event) tea.Cmd {
	before := m.state
	next, effects := wizard.Next(m.state, ev)
	m.state = next
	var cmds []tea.Cmd
	for _, line := range next.Log[min(len(before.Log), len(next.Log)):] {
		cmds = append(cmds, tea.Println(strings.Join(wrap(m.st.done, m.width, "✓ "+line.Text), "\n")))
	}
	if len(next.Facts.Progress) > len(before.Facts.Progress) {
		m.wait.progressAt = m.now()
	}
	if !next.Busy() {
		m.wait.refused = ""
	}
	if (next.Seq != before.Seq || next.Stopping && !before.Stopping) && m.cancel != nil {
		m.cancel() // the effect in flight is stale now
		m.cancel = nil
	}
	cmds = append(cmds, m.printWhole(before, next)...)
	if len(effects) > 0 {
		cmds = append(cmds, m.run(effects[0]))
	}
	if next.Step == wizard.StepDone {
		cmds = append(cmds, tea.Quit)
	}
	m.refreshForm()
	if secretAtFault(ev) {
		m.focusSecret()
	}
	return tea.Sequence(cmds...)
}

// printWhole prints what a person pastes, validation URLs and the summary's
// commands, above the program, unwrapped: Bubble Tea cuts view lines wider
// than the terminal and wrapping would break them, while a printed line is
// soft-wrapped by the terminal and copies (or capture-pane -J's) whole.
func (m *Model) printWhole(before, next wizard.State) []tea.Cmd {
	var cmds []tea.Cmd
	if url := next.Facts.Key.ValidationURL; url != "" && url != m.printedURL {
		m.printedURL = url
		cmds = append(cmds, m.printAbove(openURLLine(next.Facts.Key.Purpose)+"\n"+url))
	}
	if before.Facts.FenceTesting && !next.Facts.FenceTesting && next.Facts.Recovery != "" {
		cmds = append(cmds, m.printAbove(RecoveryText(next)))
	}
	if next.Step == wizard.StepSummary && before.Step != wizard.StepSummary {
		cmds = append(cmds, m.printAbove(strings.Join(infoLines(next), "\n")))
	}
	return cmds
}

// printAbove prints text above the program. Bubble Tea erases the rest of a
// printed line only when it is narrower than the terminal, so the last row of a
// line the terminal soft-wraps would keep what the screen showed there before
// (seen as garbage after a validation URL): such a line gets its own erase,
// unless it ends at the very edge, where the erase would take its last cell.
func (m *Model) printAbove(text string) tea.Cmd {
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		if w := ansi.StringWidth(line); m.width > 0 && w > m.width && w%m.width != 0 {
			lines[i] = line + ansi.EraseLineRight
		}
	}
	return tea.Println(strings.Join(lines, "\n"))
}

// run performs an effect in a tea.Cmd; its progress comes back through send.
func (m *Model) run(e wizard.Effect) tea.Cmd {
	ctx, cancel := context.WithCancel(m.ctx)
	m.cancel = cancel
	m.wait = wait{since: m.now()}
	if l, ok := m.runner.(waitLimiter); ok {
		m.wait.limit = l.WaitLimit(e.Work)
	}
	runner, send := m.runner, m.send
	return func() tea.Msg {
		progress := func(r wizard.Result) {
			if send != nil {
				send(effectProgress{wizard.Reply{Seq: e.Seq, Result: r}})
			}
		}
		return effectDone{wizard.Reply{Seq: e.Seq, Result: runner.Run(ctx, e.Work, progress)}}
	}
}

// refreshForm rebuilds the fields when the step is ready for answers anew.
func (m *Model) refreshForm() {
	s := m.state
	key := formKey{step: s.Step, seq: s.Seq}
	if s.Busy() || m.formOf == key {
		return
	}
	m.formOf = key
	m.form = formFor(s, true)
	m.inputs = make([]textinput.Model, len(m.form.questions))
	m.choices = make([]*choice, len(m.form.questions))
	for i, q := range m.form.questions {
		if kind, options := widgetFor(q); options != nil {
			m.choices[i] = newChoice(kind, options, q.Default)
		}
		in := textinput.New()
		in.Prompt = blurredPrompt
		in.CharLimit = secretCharLimit
		in.Cursor.SetMode(cursor.CursorStatic) // no blink redraws over slow serial consoles
		in.Cursor.Style = m.cursorStyle
		in.Width = m.width - 4
		in.SetValue(q.Default)
		if q.Secret {
			in.EchoMode = textinput.EchoPassword
			in.EchoCharacter = '•'
		}
		m.inputs[i] = in
	}
	m.focus = 0
	m.fieldErr = ""
	m.pager = pager{}
	m.focusField(0)
}

// focusField moves the focus to field i. Only the focused field has the ">"
// prompt: the cursor's reverse video is lost on a serial console and in
// capture-pane -p, the marker is not.
func (m *Model) focusField(i int) {
	if len(m.inputs) == 0 {
		return
	}
	m.inputs[m.focus].Blur()
	m.inputs[m.focus].Prompt = blurredPrompt
	m.focus = (i + len(m.inputs)) % len(m.inputs)
	m.inputs[m.focus].Focus()
	m.inputs[m.focus].Prompt = focusedPrompt
}

// focusSecret empties the form's secret field and focuses it, for a new paste.
func (m *Model) focusSecret() {
	for i, q := range m.form.questions {
		if q.Secret {
			m.inputs[i].SetValue("")
			m.focusField(i)
			return
		}
	}
}

// The prompts of the focused field and of the others, of the same width so
// the values do not move when the focus does.
const (
	focusedPrompt = "> "
	blurredPrompt = "  "
)

// Update handles keys, window sizes and effect results.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		if msg.Width > 0 && msg.Height > 0 { // serial consoles report 0×0: keep 80×24
			m.width, m.height = msg.Width, msg.Height
		}
		for i := range m.inputs {
			m.inputs[i].Width = m.width - 4
		}
		return m, nil
	case effectDone:
		return m, m.apply(msg.reply)
	case effectProgress:
		return m, m.apply(msg.reply)
	case spinner.TickMsg:
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case tea.KeyMsg:
		return m, m.key(msg)
	}
	return m, nil
}

func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	switch {
	case msg.Type == tea.KeyCtrlC:
		m.interrupted = true
		if m.cancel != nil {
			m.cancel()
		}
		return tea.Quit
	case m.state.Busy():
		return m.busyKey(msg)
	case m.pager.key(msg, m.lineKeysScroll()):
		return nil
	case msg.Type == tea.KeyEsc && m.state.Step == wizard.StepSummary:
		return nil // the files are written: step 8's preview no longer says what is on disk
	case msg.Type == tea.KeyEsc:
		return m.apply(wizard.Back{})
	case m.state.Step == wizard.StepSummary && msg.Type == tea.KeyEnter:
		return m.apply(wizard.Finish{})
	case msg.Type == tea.KeyEnter:
		return m.enter()
	case msg.Type == tea.KeyTab || msg.Type == tea.KeyDown:
		m.focusField(m.focus + 1)
		return nil
	case msg.Type == tea.KeyShiftTab || msg.Type == tea.KeyUp:
		m.focusField(m.focus - 1)
		return nil
	}
	if len(m.inputs) == 0 {
		return nil
	}
	if c := m.choices[m.focus]; c != nil {
		if c.key(msg) {
			m.fieldErr = ""
		}
		return nil // a choice takes no typed text
	}
	m.fieldErr = ""
	var cmd tea.Cmd
	m.inputs[m.focus], cmd = m.inputs[m.focus].Update(msg)
	return cmd
}

// lineKeysScroll says whether ↑ ↓ Home End scroll the facts: when they move
// no focus and edit no text, as at step 8's lone confirmation.
func (m *Model) lineKeysScroll() bool {
	return len(m.inputs) == 0 || len(m.inputs) == 1 && m.choices[0] != nil
}

// busyKey: while an effect runs, Esc cancels it and c copies the validation
// URL; any other key is refused, and the view says so.
func (m *Model) busyKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case msg.Type == tea.KeyEsc:
		return m.apply(wizard.Cancel{})
	case msg.String() == "c" && m.state.Facts.Key.ValidationURL != "" && m.clipboard != nil:
		_, _ = osc52.New(m.state.Facts.Key.ValidationURL).WriteTo(m.clipboard)
		m.copied = true
	default:
		m.wait.refused = refusedText(msg)
	}
	return nil
}

// enter validates the focused field and moves on, or submits the step.
func (m *Model) enter() tea.Cmd {
	answers := m.answers()
	for i, q := range m.form.questions {
		if i > m.focus {
			break
		}
		if err := validate(q, answers[i]); err != nil {
			m.fieldErr = err.Error()
			if c := m.choices[i]; c != nil && c.kind == widgetMultiSelect && answers[i] == "" {
				m.fieldErr = "pick at least one: space picks the one under ›"
			}
			m.focusField(i)
			return nil
		}
	}
	if m.focus < len(m.inputs)-1 && !m.confirmSkipped(answers) {
		m.focusField(m.focus + 1)
		return nil
	}
	m.copied = false
	return m.apply(m.form.event(answers))
}

// confirmSkipped reports whether the form's confirmation is not needed now
// (no node to fence), so Enter on the field before it submits.
func (m *Model) confirmSkipped(answers []string) bool {
	if m.form.confirm == nil {
		return false
	}
	for i := m.focus + 1; i < len(m.inputs); i++ {
		if _, asked := m.form.confirm(i, answers[:i]); asked {
			return false
		}
	}
	return true
}

// answers are the fields' values, trimmed, with empty ones at their default.
func (m *Model) answers() []string {
	answers := make([]string, len(m.inputs))
	for i, in := range m.inputs {
		answers[i] = in.Value()
		if m.choices[i] != nil {
			answers[i] = m.choices[i].value()
		}
	}
	return answers
}

// validate applies a question's check to a field, as the line prompts do.
func validate(q Question, v string) error {
	if v == "" && q.Optional {
		return nil
	}
	if v == "" {
		return errEmpty
	}
	if q.Validate != nil {
		return q.Validate(v)
	}
	return nil
}
