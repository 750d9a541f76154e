package tui

import (
	"fmt"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/ovhfence/ovhfence/wizard"
)

// widget is the answers table's widget kind (wizard.Widget); the line
// prompts always ask for a typed line.
type widget = wizard.Widget

const (
	widgetText        = wizard.WidgetText
	widgetSecret      = wizard.WidgetSecret
	widgetSelect      = wizard.WidgetSelect
	widgetMultiSelect = wizard.WidgetMultiSelect
	widgetConfirm     = wizard.WidgetConfirm
)

// Answers a confirmation accepts; "no" is an answer, not an error.
const (
	answerYes = "yes"
	answerNo  = "no"
)

// widgetFor is the one place that decides a question's widget and choices:
// the answers table's, a confirmation always offering yes and no.
func widgetFor(q Question) (widget, []string) {
	switch {
	case q.Secret:
		return widgetSecret, nil
	case q.Widget == widgetConfirm:
		return widgetConfirm, []string{answerYes, answerNo}
	case q.Widget == widgetSelect || q.Widget == widgetMultiSelect:
		return q.Widget, q.Choices
	}
	return widgetText, nil
}

// choice is a select, multi-select or confirm field: options on one line,
// ←/→ move, a letter jumps to the option it starts, space picks (multi).
type choice struct {
	kind    widget
	options []string
	cursor  int
	picked  []int // multi: option indexes in the order picked (the first target is the cluster file's)
}

// newChoice starts a choice at its default: the option named (select,
// confirm; the first one when none is) or the options listed (multi).
func newChoice(kind widget, options []string, value string) *choice {
	c := &choice{kind: kind, options: options}
	if kind == widgetMultiSelect {
		for _, v := range wizard.SplitList(strings.ToLower(value)) {
			if i := slices.Index(options, v); i >= 0 && !slices.Contains(c.picked, i) {
				c.picked = append(c.picked, i)
			}
		}
		if len(c.picked) > 0 {
			c.cursor = c.picked[0]
		}
		return c
	}
	c.cursor = max(0, slices.Index(options, strings.ToLower(value)))
	return c
}

// value is the answer as the line prompts would take it.
func (c *choice) value() string {
	if c.kind != widgetMultiSelect {
		return c.options[c.cursor]
	}
	names := make([]string, len(c.picked))
	for i, p := range c.picked {
		names[i] = c.options[p]
	}
	return strings.Join(names, ",")
}

// key handles msg if it is a choice's key, and reports whether it was.
func (c *choice) key(msg tea.KeyMsg) bool {
	switch msg.Type {
	case tea.KeyLeft:
		c.cursor = max(0, c.cursor-1)
	case tea.KeyRight:
		c.cursor = min(len(c.options)-1, c.cursor+1)
	case tea.KeySpace:
		c.toggle()
	case tea.KeyRunes:
		return c.jump(strings.ToLower(string(msg.Runes)))
	default:
		return false
	}
	return true
}

// toggle picks or unpicks the option under the cursor (multi only).
func (c *choice) toggle() {
	if c.kind != widgetMultiSelect {
		return
	}
	if i := slices.Index(c.picked, c.cursor); i >= 0 {
		c.picked = slices.Delete(c.picked, i, i+1)
		return
	}
	c.picked = append(c.picked, c.cursor)
}

// jump moves to the next option starting with typed ("y", "no", "P"); a space
// typed as a rune toggles. It reports whether typed meant anything.
func (c *choice) jump(typed string) bool {
	if typed == " " {
		c.toggle()
		return true
	}
	for step := 1; step <= len(c.options); step++ {
		i := (c.cursor + step) % len(c.options)
		if strings.HasPrefix(c.options[i], typed) {
			c.cursor = i
			return true
		}
	}
	return false
}

// view draws the options on one line: (•) for the selected one, [n] for the
// n-th picked, and, on the focused field, › before the cursor's option, so
// that all of it reads without colour.
func (c *choice) view(focused bool) string {
	var b strings.Builder
	for i, o := range c.options {
		mark := "" // the cursor of a select is its selection
		if c.kind == widgetMultiSelect {
			mark = " "
			if focused && i == c.cursor {
				mark = "›"
			}
		}
		box := "( )"
		switch {
		case c.kind != widgetMultiSelect && i == c.cursor:
			box = "(•)"
		case c.kind == widgetMultiSelect:
			box = "[ ]"
			if n := slices.Index(c.picked, i); n >= 0 {
				box = fmt.Sprintf("[%d]", n+1)
			}
		}
		if i > 0 {
			b.WriteString("  ")
		}
		b.WriteString(mark + box + " " + o)
	}
	return b.String()
}

// keysHelp names the keys of the choice, for the help line.
func (c *choice) keysHelp() string {
	switch c.kind {
	case widgetMultiSelect:
		return "←→ space pick"
	case widgetConfirm:
		return "←→ y/n"
	}
	return "←→ choose"
}
