package tui

import (
	"reflect"
	"testing"
)

func TestWrapText(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		width int
		want  []string
	}{
		{"fits: spacing kept", "node1    ns1   ON", 20, []string{"node1    ns1   ON"}},
		{"breaks at spaces", "one two three four", 9, []string{"one two", "three", "four"}},
		{"never inside a flag", "fence_ovh -o on --ovh-config=/etc/ovh.conf", 20,
			[]string{"fence_ovh -o on", "--ovh-config=/etc/ov", "h.conf"}},
		{"continuation keeps the indent", "    sh /tmp/fence.sh   and more", 18,
			[]string{"    sh", "    /tmp/fence.sh", "    and more"}},
		{"a long URL is cut, not lost", "https://eu.api.ovh.com/auth/?t=abc", 12,
			[]string{"https://eu.a", "pi.ovh.com/a", "uth/?t=abc"}},
		{"lines kept apart", "a b\nc", 80, []string{"a b", "c"}},
		{"empty line", "", 80, []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := WrapText(tt.text, tt.width)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("WrapText(%q, %d) = %q, want %q", tt.text, tt.width, got, tt.want)
			}
			for _, l := range got {
				if len([]rune(l)) > tt.width {
					t.Errorf("%q is wider than %d", l, tt.width)
				}
			}
		})
	}
}
