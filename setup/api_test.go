package setup

import (
	"context"
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/ovhapi"
)

func TestProveAppKey(t *testing.T) {
	sim, sb := startSandbox(t, 0)
	r := New(Options{Sandbox: sb})
	tests := []struct {
		name    string
		ak, as  string
		wantErr string
	}{
		{"known key and secret", sb.AppKey, sb.AppSecret, ""},
		{"unknown key", "nosuchkey", sb.AppSecret, "OVH does not know this application key"},
		{"wrong secret", sb.AppKey, "wrongsecret", "the application secret does not match"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := r.proveAppKey(context.Background(), ovhapi.Config{Endpoint: sb.Endpoint, ApplicationKey: tt.ak, ApplicationSecret: tt.as})
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("err = %v, want %q", err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), tt.as) {
				t.Errorf("the error shows the secret: %v", err)
			}
		})
	}
	if n := len(sim.Requests()); n == 0 {
		t.Error("the simulator saw no request")
	}
}
