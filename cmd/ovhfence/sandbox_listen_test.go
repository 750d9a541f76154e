package main

import (
	"strings"
	"testing"
)

// Item 10: the sandbox listens on loopback only, unless told otherwise.
func TestSandboxRefusesRemoteListenWithoutAllowRemote(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0", "192.0.2.1:0", "example.com:0"} {
		res := runInProcess("sandbox", "--listen", addr)
		if res.code != 2 || !strings.Contains(res.stderr, "--allow-remote") {
			t.Errorf("--listen %s: exit %d, stderr %q", addr, res.code, res.stderr)
		}
	}
	for _, tt := range []struct {
		addr  string
		allow bool
	}{{"127.0.0.1:0", false}, {"[::1]:0", false}, {"localhost:0", false}, {"0.0.0.0:0", true}} {
		if err := checkListen(tt.addr, tt.allow); err != nil {
			t.Errorf("checkListen(%s, %v): %v", tt.addr, tt.allow, err)
		}
	}
}
