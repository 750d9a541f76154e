package tui

import (
	"fmt"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/ovhfence/ovhfence/cluster"
	"github.com/ovhfence/ovhfence/wizard"
)

// widget is how the full-screen wizard asks a question; the line prompts
// always ask for a typed line.
type widget int

const (
	widgetText widget = iota
	widgetSecret
	widgetSelect      // one of Choices
	widgetMultiSelect // one or more of Choices, in the order picked
	widgetConfirm     // yes or no
)

// Answers a confirmation accepts; "no" is an answer, not an error.
const (
	answerYes = "yes"
	answerNo  = "no"
)

// widgetFor is the one place that decides a question's widget and choices.
// (When the answers are one table, this reads the table's Widget and Choices.)
func widgetFor(q Question) (widget, []string) {
	switch {
	case q.Secret:
		return widgetSecret, nil
	case q.Flag == FlagTarget:
		return widgetMultiSelect, []string{string(cluster.TargetPVE3), string(cluster.TargetPcs), string(cluster.TargetCrm)}
	case q.Flag == FlagFenceMode:
		return widgetSelect, []string{string(cluster.FenceRescue), string(cluster.FencePoweroff)}
	case q.Flag == FlagNoInterv:
		return widgetSelect, []string{cluster.NoInterventionSet, cluster.NoInterventionUnchanged}
	case q.Flag == FlagYes:
		return widgetConfirm, []string{answerYes, answerNo}
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

// yesOrNo accepts y, yes, n or no, in any case.
func yesOrNo(v string) error {
	if _, ok := confirmed(v); !ok {
		return fmt.Errorf("%q: answer yes or no", v)
	}
	return nil
}

// confirmed reads a confirmation: whether it says yes, and whether it is one.
func confirmed(v string) (yes, ok bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "y", answerYes:
		return true, true
	case "n", answerNo:
		return false, true
	}
	return false, false
}

// writeOrBack is the output step's event: yes writes, no goes back with
// nothing written.
func writeOrBack(v string) wizard.Event {
	if yes, _ := confirmed(v); yes {
		return wizard.SubmitOutput{}
	}
	return wizard.Back{}
}
