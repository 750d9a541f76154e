package tui

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/ovhfence/ovhfence/wizard"
)

// waitLimiter is what a runner may tell about its bounds (setup.Runner.WaitLimit).
type waitLimiter interface {
	WaitLimit(wizard.Work) time.Duration
}

// wait is the effect in flight as the person sees it: since when, until
// when at most, and when the last progress line came.
type wait struct {
	since, progressAt time.Time
	limit             time.Duration
	refused           string // the key last pressed that does nothing while waiting
}

// clock formats a duration as 1:05 (minutes:seconds), or 1:02:05.
func clock(d time.Duration) string {
	s := int(d.Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// elapsedText is " · 0:42", or " · 0:42 of at most 15:00".
func (w wait) elapsedText(now time.Time) string {
	text := " · " + clock(now.Sub(w.since))
	if w.limit > 0 {
		text += " of at most " + clock(w.limit)
	}
	return text
}

// stepTime is the "(4.1s)" a fence progress line ends with: the time its
// step had taken when the runner reported it.
var stepTime = regexp.MustCompile(`\((\d+(?:\.\d+)?(?:ms|s|m|h)[0-9.smh]*)\)$`)

// liveProgress is the last progress line with its time moved on to now, so a
// task OVH leaves "doing" for minutes shows the time passing.
func (w wait) liveProgress(line string, now time.Time) string {
	m := stepTime.FindStringSubmatchIndex(line)
	if m == nil || w.progressAt.IsZero() {
		return line
	}
	at, err := time.ParseDuration(line[m[2]:m[3]])
	if err != nil {
		return line
	}
	return line[:m[0]] + "(" + (at + now.Sub(w.progressAt)).Round(time.Second).String() + ")"
}

// refusedText says why a key did nothing while an effect runs.
func refusedText(msg tea.KeyMsg) string {
	key := msg.String()
	if msg.Type == tea.KeyRunes {
		key = strings.TrimSpace(string(msg.Runes))
	}
	return fmt.Sprintf("%q does nothing while this runs: esc cancels · ctrl+c quits", key)
}
