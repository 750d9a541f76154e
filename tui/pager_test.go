package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/ovhfence/ovhfence/wizard"
)

// longDiff is a cluster.conf diff longer than any screen, with lines wider
// than 120 columns, as a PVE 3 cluster of many nodes gives.
func longDiff() string {
	lines := []string{"--- /etc/pve/cluster.conf", "+++ /etc/pve/cluster.conf.new", "@@ -1,40 +1,80 @@"}
	for i := 1; i <= 40; i++ {
		lines = append(lines, fmt.Sprintf(`-    <clusternode name="node%02d" votes="1" nodeid="%d"/>`, i, i),
			fmt.Sprintf(`+    <clusternode name="node%02d" votes="1" nodeid="%d"><fence><method name="1"><device name="ovh%02d" `+
				`action="off"/></method></fence></clusternode> <!-- end of node%02d -->`, i, i, i, i))
	}
	return strings.Join(lines, "\n") + "\n"
}

// atOutputWithDiff is the model at step 8, its preview holding longDiff, in a width × height terminal.
func atOutputWithDiff(t *testing.T, width, height int) *Model {
	t.Helper()
	m := atOutput(t)
	m.state.Facts.Files = append(m.state.Facts.Files,
		wizard.File{Path: "/etc/pve/cluster.conf.new", Purpose: "the merged cluster.conf", Diff: longDiff()})
	m.Update(tea.WindowSizeMsg{Width: width, Height: height})
	return m
}

// infoRows are the rows of the view between the header and the position line.
func infoRows(t *testing.T, view string) []string {
	t.Helper()
	lines := strings.Split(view, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "lines ") {
			return lines[2:i]
		}
	}
	t.Fatalf("no position line:\n%s", view)
	return nil
}

// TestDiffScrollsWhole: at every size, scrolling step 8 from Home to End
// shows every line of the diff, in order, none cut (a wide one continues on
// rows marked ↪), and every view fits the terminal.
func TestDiffScrollsWhole(t *testing.T) {
	want := strings.Split(strings.TrimRight(longDiff(), "\n"), "\n")
	for _, size := range [][2]int{{80, 24}, {60, 20}, {120, 40}} {
		m := atOutputWithDiff(t, size[0], size[1])
		press(m, tea.KeyEnd, tea.KeyHome)
		var rows []string
		for i := 0; ; i++ {
			view := m.View()
			checkFits(t, fmt.Sprintf("%dx%d after %d ↓", size[0], size[1], i), view, size[0], size[1])
			shown := infoRows(t, view)
			if m.pager.top == m.pager.max {
				rows = append(rows, shown...)
				break
			}
			rows = append(rows, shown[0])
			press(m, tea.KeyDown)
			if i > 1000 {
				t.Fatal("↓ never reached the end")
			}
		}
		var got []string
		for _, r := range rows {
			if rest, more := strings.CutPrefix(r, "↪ "); more {
				got[len(got)-1] += rest
				continue
			}
			got = append(got, r)
		}
		for len(got) > 0 && !strings.HasPrefix(got[0], "--- ") {
			got = got[1:]
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%dx%d: scrolling shows\n%s\nwant\n%s", size[0], size[1], strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if m.state.Step != wizard.StepOutput || m.answers()[0] != answerYes {
			t.Errorf("scrolling changed the step or the answer: %v %q", m.state.Step, m.answers())
		}
	}
}

// Golden views of the scrolled diff at 80×24 and 60×20: the top, a page
// down, and the end; no "use --plain" hint.
func TestGoldenScrolledDiff(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {60, 20}} {
		m := atOutputWithDiff(t, size[0], size[1])
		for _, at := range []struct {
			name string
			key  tea.KeyType
		}{{"top", tea.KeyHome}, {"pgdn", tea.KeyPgDown}, {"end", tea.KeyEnd}} {
			press(m, at.key)
			name := fmt.Sprintf("step8-diff-%s-%dx%d", at.name, size[0], size[1])
			view := m.View()
			checkFits(t, name, view, size[0], size[1])
			checkGolden(t, name, view)
			if strings.Contains(view, "--plain") {
				t.Errorf("%s still sends to --plain:\n%s", name, view)
			}
		}
	}
}

// PgUp and PgDn scroll a step whose facts overflow even with several fields,
// where ↑ and ↓ keep moving the focus.
func TestPageKeysWithFields(t *testing.T) {
	m := newTestModel(&fakeRunner{})
	drain(m, m.Init())
	m.Update(tea.WindowSizeMsg{Width: 60, Height: 12})
	view := m.View()
	if !strings.Contains(view, "lines 1–") || !strings.Contains(view, "pgup pgdn scroll") || strings.Contains(view, "↑↓") {
		t.Fatalf("no position line naming the page keys:\n%s", view)
	}
	press(m, tea.KeyPgDown)
	if m.pager.top == 0 {
		t.Errorf("PgDn did not scroll:\n%s", m.View())
	}
	press(m, tea.KeyDown)
	if m.focus != 1 {
		t.Errorf("↓ moved no focus: field %d", m.focus)
	}
}
