package ovhapi

import (
	"strings"
	"testing"
)

func TestResolveEndpoint(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr string
	}{
		{in: "ovh-eu", want: "https://eu.api.ovh.com/1.0"},
		{in: "ovh-ca", want: "https://ca.api.ovh.com/1.0"},
		{in: "ovh-us", want: "https://api.us.ovhcloud.com/1.0"},
		{in: "kimsufi-eu", want: "https://eu.api.kimsufi.com/1.0"},
		{in: "kimsufi-ca", want: "https://ca.api.kimsufi.com/1.0"},
		{in: "soyoustart-eu", want: "https://eu.api.soyoustart.com/1.0"},
		{in: "soyoustart-ca", want: "https://ca.api.soyoustart.com/1.0"},
		{in: "EU", want: "https://eu.api.ovh.com/1.0"},
		{in: "ca", want: "https://ca.api.ovh.com/1.0"},
		{in: " ovh-eu ", want: "https://eu.api.ovh.com/1.0"},
		{in: "http://127.0.0.1:8080/1.0/", want: "http://127.0.0.1:8080/1.0"},
		{in: "https://eu.api.ovh.com/1.0", want: "https://eu.api.ovh.com/1.0"},
		{in: "ftp://example.com/1.0", wantErr: "http:// or https://"},
		{in: "/1.0", wantErr: "http:// or https://"},
		{in: "ovh-fr", wantErr: "ovh-eu, ovh-ca, ovh-us, kimsufi-eu"},
		{in: "", wantErr: "unknown OVH endpoint"},
		{in: "us", wantErr: "unknown OVH endpoint"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ResolveEndpoint(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ResolveEndpoint(%q) = %q, %v; want error containing %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ResolveEndpoint(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestEndpointNamesAllResolve(t *testing.T) {
	names := EndpointNames()
	if len(names) != 7 || names[0] != DefaultEndpoint {
		t.Fatalf("EndpointNames() = %v; want 7 names starting with %s", names, DefaultEndpoint)
	}
	for _, name := range names {
		if _, err := ResolveEndpoint(name); err != nil {
			t.Errorf("listed endpoint %q does not resolve: %v", name, err)
		}
	}
}

func TestCreateAppURL(t *testing.T) {
	tests := []struct{ endpoint, want string }{
		{"ovh-eu", "https://eu.api.ovh.com/createApp/"},
		{"", "https://eu.api.ovh.com/createApp/"},
		{"CA", "https://ca.api.ovh.com/createApp/"},
		{"ovh-us", "https://api.us.ovhcloud.com/createApp/"},
		{"kimsufi-ca", "https://ca.api.kimsufi.com/createApp/"},
		{"soyoustart-eu", "https://eu.api.soyoustart.com/createApp/"},
		{"http://127.0.0.1:1/1.0", ""},
		{"nonsense", ""},
	}
	for _, tt := range tests {
		if got := CreateAppURL(tt.endpoint); got != tt.want {
			t.Errorf("CreateAppURL(%q) = %q; want %q", tt.endpoint, got, tt.want)
		}
	}
}
