package tui

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/ovhfence/ovhfence/wizard"
)

// styles use the 16 ANSI colours only, which every console has; with the
// Ascii profile (NO_COLOR, goldens) they render as plain text.
type styles struct {
	title, label, info, problem, notice, help, url, done lipgloss.Style
}

func newStyles(r *lipgloss.Renderer) styles {
	return styles{
		title:   r.NewStyle().Bold(true).Foreground(lipgloss.Color("6")),
		label:   r.NewStyle().Bold(true),
		info:    r.NewStyle(),
		problem: r.NewStyle().Foreground(lipgloss.Color("1")),
		notice:  r.NewStyle().Foreground(lipgloss.Color("3")),
		help:    r.NewStyle().Faint(true),
		url:     r.NewStyle().Underline(true),
		done:    r.NewStyle().Foreground(lipgloss.Color("2")),
	}
}

// View draws the current step within width × height: the header, what the
// step found, its fields, then the problem, the effect in flight and the keys.
func (m *Model) View() string {
	if m.state.Step == wizard.StepDone {
		return ""
	}
	s := m.state
	w := m.width
	header := m.st.title.Render(fmt.Sprintf("ovhfence setup · %s", stepHeader(s.Step)))
	if s.Facts.Preflight.Sandbox {
		header += m.st.notice.Render("  [sandbox]")
	}
	var bottom []string
	if s.Notice != "" {
		bottom = append(bottom, wrap(m.st.notice, w, "Note: "+s.Notice)...)
	}
	if s.Busy() {
		bottom = append(bottom, m.busyLines()...)
	} else {
		bottom = append(bottom, m.fieldLines()...)
	}
	if p := cmp.Or(m.fieldErr, s.Problem); p != "" {
		bottom = append(bottom, wrap(m.st.problem, w, "! "+p)...)
	}
	bottom = append(bottom, wrap(m.st.help, w, m.helpLine())...)

	room := m.height - 2 - len(bottom) // header and a blank line
	info := m.infoBlock(room)
	lines := append([]string{header, ""}, info...)
	return strings.Join(append(lines, bottom...), "\n")
}

// osc52Sent is what c (copy) can honestly say: the terminal received an OSC 52
// clipboard request, which many terminals (and tmux without set-clipboard) ignore.
const osc52Sent = "Sent to the terminal's clipboard (OSC 52) — if your terminal ignores it, select the URL printed above."

// keyRefusedHint: OVH answers the same for a key refused on its page as for
// one still pending (reference/ovh-api.md), so the wait cannot notice a refusal.
const keyRefusedHint = "Refused or closed OVH's page? OVH does not tell this wait: esc, then enter requests a new key."

// What the view says in place of what printWhole printed above it.
const (
	urlPrintedAbove     = "↑ the URL is printed above this screen, in one piece"
	summaryPrintedAbove = "↑ The summary is printed above this screen, commands in one piece: what was written, " +
		"the next steps, and the command that repeats this setup."
)

// infoText is what step s found, wrapped to the width.
func (m *Model) infoText(s wizard.State) []string {
	if s.Step == wizard.StepSummary {
		return wrap(m.st.info, m.width, summaryPrintedAbove)
	}
	var lines []string
	for _, l := range infoLines(s) {
		lines = append(lines, wrap(m.st.info, m.width, l)...)
	}
	return lines
}

// infoBlock is the step's facts, wrapped, in room lines: scrolled by the
// pager when they do not fit.
func (m *Model) infoBlock(room int) []string {
	lines := m.infoText(m.state)
	if m.state.Step == wizard.StepOutput {
		for _, f := range m.state.Facts.Files {
			if f.Diff != "" {
				for _, l := range strings.Split(strings.TrimRight(f.Diff, "\n"), "\n") {
					lines = append(lines, diffRows(l, m.width)...)
				}
			}
		}
	}
	keys := "pgup pgdn scroll"
	if m.lineKeysScroll() {
		keys = "↑↓ pgup pgdn home end scroll"
	}
	shown, position := m.pager.window(lines, room, keys)
	if position != "" {
		shown = append(shown, m.st.help.Render(truncate(position, m.width)))
	}
	return shown
}

func (m *Model) fieldLines() []string {
	var lines []string
	for i, q := range m.form.questions {
		label := q.Label
		if i > 0 && m.form.confirm != nil {
			l, asked := m.form.confirm(i, m.answers()[:i])
			switch {
			case asked:
				label = l
			case i > 1:
				continue // a second confirmation shows only when it is asked
			}
		}
		lines = append(lines, wrap(m.st.label, m.width, label)...)
		lines = append(lines, m.fieldView(i))
	}
	return lines
}

// fieldView is field i as it stands: a text input, or a choice behind the
// same focus prompt.
func (m *Model) fieldView(i int) string {
	c := m.choices[i]
	if c == nil {
		return m.inputs[i].View()
	}
	return m.inputs[i].Prompt + c.view(i == m.focus)
}

func (m *Model) busyLines() []string {
	s := m.state
	lines := []string{}
	if url := s.Facts.Key.ValidationURL; url != "" {
		lines = append(lines, wrap(m.st.info, m.width, openURLLine(s.Facts.Key.Purpose))...)
		lines = append(lines, wrap(m.st.url, m.width, urlPrintedAbove)...)
		if s.Facts.Preflight.Sandbox {
			lines = append(lines, m.st.notice.Render(sandboxClicks))
		}
		if m.copied {
			lines = append(lines, wrap(m.st.done, m.width, osc52Sent)...)
		}
	}
	now := m.now()
	for i, p := range s.Facts.Progress {
		if i == len(s.Facts.Progress)-1 {
			p = m.wait.liveProgress(p, now)
		}
		lines = append(lines, wrap(m.st.info, m.width, "  "+p)...)
	}
	lines = append(lines, wrap(m.st.info, m.width, m.spin.View()+" "+s.Waiting+m.wait.elapsedText(now))...)
	if s.Facts.Key.ValidationURL != "" {
		lines = append(lines, wrap(m.st.help, m.width, keyRefusedHint)...)
	}
	if m.wait.refused != "" {
		lines = append(lines, wrap(m.st.notice, m.width, m.wait.refused)...)
	}
	return lines
}

func (m *Model) helpLine() string {
	switch {
	case m.state.Busy() && m.state.Facts.Key.ValidationURL != "":
		return "c copy URL · esc cancel · ctrl+c quit"
	case m.state.Busy():
		return "esc cancel · ctrl+c quit"
	case m.state.Step == wizard.StepSummary:
		return "enter finish"
	}
	keys := "enter continue"
	if len(m.inputs) > 1 {
		keys = "enter next · tab field"
	}
	if len(m.choices) > 0 && m.choices[m.focus] != nil {
		keys = m.choices[m.focus].keysHelp() + " · " + keys
	}
	if m.state.Step != wizard.StepPreflight { // the first step has nothing to go back to
		keys += " · esc back"
	}
	return keys + " · ctrl+c quit"
}
