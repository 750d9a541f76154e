package tui

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// pager shows a step's facts (step 8's diff above all) in the rows the fields
// leave, scrolled by keys, with a position line; nothing is cut at the
// screen's height.
type pager struct {
	top  int // the first line shown
	max  int // the largest top at the last render (0: everything fits)
	page int // lines shown at the last render
}

// window is the room lines of lines to show from p.top, the last one the
// position line when they do not all fit; keys names the scrolling keys.
func (p *pager) window(lines []string, room int, keys string) (shown []string, position string) {
	if room < 1 {
		p.max, p.page = 0, 0
		return nil, ""
	}
	if len(lines) <= room {
		p.top, p.max, p.page = 0, 0, len(lines)
		return lines, ""
	}
	p.page = max(1, room-1)
	p.max = len(lines) - p.page
	p.top = min(max(0, p.top), p.max)
	end := p.top + p.page
	position = fmt.Sprintf("lines %d–%d of %d · %s", p.top+1, end, len(lines), keys)
	return lines[p.top:end], position
}

// key scrolls for PgUp and PgDn, and, when lineKeys, for ↑ ↓ Home End; it
// reports whether it took the key.
func (p *pager) key(msg tea.KeyMsg, lineKeys bool) bool {
	if p.max == 0 {
		return false
	}
	switch {
	case msg.Type == tea.KeyPgUp:
		p.top -= p.page
	case msg.Type == tea.KeyPgDown:
		p.top += p.page
	case lineKeys && msg.Type == tea.KeyUp:
		p.top--
	case lineKeys && msg.Type == tea.KeyDown:
		p.top++
	case lineKeys && msg.Type == tea.KeyHome:
		p.top = 0
	case lineKeys && msg.Type == tea.KeyEnd:
		p.top = p.max
	default:
		return false
	}
	p.top = min(max(0, p.top), p.max)
	return true
}

// diffRows lays a diff line out in rows of width: what does not fit goes on
// rows marked ↪, so no line is cut and none reads as a diff line of its own.
func diffRows(line string, width int) []string {
	const more = "↪ "
	if width <= len(more) || ansi.StringWidth(line) <= width {
		return []string{line}
	}
	rows := []string{ansi.Cut(line, 0, width)}
	for rest := ansi.Cut(line, width, ansi.StringWidth(line)); rest != ""; {
		w := width - len([]rune(more))
		rows = append(rows, more+ansi.Cut(rest, 0, w))
		rest = ansi.Cut(rest, w, ansi.StringWidth(rest))
	}
	return rows
}
