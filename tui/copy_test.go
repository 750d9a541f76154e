package tui

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/ovhfence/ovhfence/wizard"
)

// TestCopySaysWhatItKnows: c sends the URL as an OSC 52 sequence and says it
// was sent, never "Copied": the program cannot know whether the terminal obeyed.
func TestCopySaysWhatItKnows(t *testing.T) {
	m := newTestModel(&fakeRunner{})
	var term bytes.Buffer
	m.clipboard = &term
	url := "https://eu.api.ovh.com/auth/?credentialToken=abc"
	m.state.Waiting = "Waiting for you to validate the discovery key…"
	m.state.Facts.Key = wizard.KeyRequest{Purpose: wizard.PurposeDiscovery, ConsumerKey: "ck", ValidationURL: url}
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("c")})
	if want := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(url)); !strings.Contains(term.String(), want) {
		t.Errorf("the terminal received %q, want the OSC 52 sequence %q", term.String(), want)
	}
	view := m.View()
	if strings.Contains(strings.ToLower(view), "copied") || !strings.Contains(view, "Sent to the terminal's clipboard (OSC 52)") {
		t.Errorf("after c the view claims more than it knows:\n%s", view)
	}
}
