package keys

import "testing"

func TestPathMatches(t *testing.T) {
	tests := []struct {
		pattern, path string
		want          bool
	}{
		{"/dedicated/server/ns1", "/dedicated/server/ns1", true},
		{"/dedicated/server/ns1", "/dedicated/server/ns12", false},
		{"/*", "/dedicated/server/ns1/reboot", true},
		{"/dedicated/server/*", "/dedicated/server/ns1/task/5", true},
		{"/x/*", "/x", false},
		{"/domain/zone/*/record", "/domain/zone/example.com/record", true},
		{"/domain/zone/*/record", "/domain/zone/example.com/record/1", false},
		{"/a/*/b/*/c", "/a/1/b/2/c", true},
		{"/a/*b", "/a/b", true},
		{"/a*a", "/a", false},
	}
	for _, tt := range tests {
		if got := pathMatches(tt.pattern, tt.path); got != tt.want {
			t.Errorf("pathMatches(%q, %q) = %v, want %v", tt.pattern, tt.path, got, tt.want)
		}
	}
}
