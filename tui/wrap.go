package tui

import (
	"regexp"
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// wrap renders text in style as lines of at most width columns (see wrapText).
func wrap(style lipgloss.Style, width int, text string) []string {
	lines := WrapText(text, width)
	for i, l := range lines {
		lines[i] = style.Render(l)
	}
	return lines
}

// WrapText breaks text into lines of at most width columns. It breaks at
// spaces only, never inside a "--flag" or a path as a hyphen-breaking wrapper
// would, and indents a continuation like the line it continues, so commands
// stay readable. A word wider than a line (a validation URL) is cut into
// pieces that each fit, so none of it is lost off the edge of the screen.
func WrapText(text string, width int) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		out = append(out, wrapLine(line, width)...)
	}
	return out
}

// words splits a line into words, each with the spaces before it, so a line
// that is not broken keeps its spacing (tables, "run:   command").
var words = regexp.MustCompile(` *[^ ]+`)

func wrapLine(line string, width int) []string {
	if lipgloss.Width(line) <= width {
		return []string{line}
	}
	body := strings.TrimLeft(line, " ")
	indent := line[:len(line)-len(body)]
	if len(indent) >= width/2 {
		indent = "" // a deep indent at a narrow width would leave no room for words
	}
	room := max(width-len(indent), 1)
	var lines []string
	current := ""
	for _, spaced := range words.FindAllString(body, -1) {
		word := strings.TrimLeft(spaced, " ")
		switch {
		case current != "" && lipgloss.Width(current+spaced) <= room:
			current += spaced
		case lipgloss.Width(word) <= room:
			if current != "" {
				lines = append(lines, indent+current)
			}
			current = word
		default:
			if current != "" {
				lines = append(lines, indent+current)
			}
			pieces := cut(word, room)
			for _, p := range pieces[:len(pieces)-1] {
				lines = append(lines, indent+p)
			}
			current = pieces[len(pieces)-1]
		}
	}
	return append(lines, indent+current)
}

// cut splits word into pieces of at most width columns.
func cut(word string, width int) []string {
	var pieces []string
	piece := ""
	for _, r := range word {
		if lipgloss.Width(piece+string(r)) > width {
			pieces = append(pieces, piece)
			piece = ""
		}
		piece += string(r)
	}
	return append(pieces, piece)
}

// truncate cuts s to width columns, ending with "…" when it had to cut.
func truncate(s string, width int) string {
	if lipgloss.Width(s) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && lipgloss.Width(string(r))+1 > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
