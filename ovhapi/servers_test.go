package ovhapi

import "testing"

func TestSplitServerPath(t *testing.T) {
	tests := []struct {
		path, sn, sub string
		ok            bool
	}{
		{"/dedicated/server/ns1", "ns1", "", true},
		{"/dedicated/server/ns1/task/*", "ns1", "/task/*", true},
		{"/dedicated/server/ns1/", "ns1", "/", true},
		{"/dedicated/server/*", "", "", false},
		{"/dedicated/server/", "", "", false},
		{"/dedicated/server", "", "", false},
		{"/me", "", "", false},
	}
	for _, tt := range tests {
		sn, sub, ok := SplitServerPath(tt.path)
		if sn != tt.sn || sub != tt.sub || ok != tt.ok {
			t.Errorf("SplitServerPath(%q) = %q, %q, %v; want %q, %q, %v", tt.path, sn, sub, ok, tt.sn, tt.sub, tt.ok)
		}
	}
}
