package ovhapi

import (
	"fmt"
	"strings"

	"github.com/ovh/go-ovh/ovh"
)

// endpoint is one named OVH API region (reference/ovh-api.md §1, Endpoints).
type endpoint struct {
	name string
	url  string
}

// endpoints keeps the table order so that help texts list ovh-eu first.
var endpoints = []endpoint{
	{"ovh-eu", ovh.OvhEU},
	{"ovh-ca", ovh.OvhCA},
	{"ovh-us", ovh.OvhUS},
	{"kimsufi-eu", ovh.KimsufiEU},
	{"kimsufi-ca", ovh.KimsufiCA},
	{"soyoustart-eu", ovh.SoyoustartEU},
	{"soyoustart-ca", ovh.SoyoustartCA},
}

// DefaultEndpoint is what go-ovh uses when nothing names an endpoint.
const DefaultEndpoint = "ovh-eu"

// legacyLocations are the old REST fence_ovh fork's ovhapilocation values.
var legacyLocations = map[string]string{"eu": "ovh-eu", "ca": "ovh-ca"}

// EndpointNames lists the endpoint names ResolveEndpoint accepts.
func EndpointNames() []string {
	names := make([]string, len(endpoints))
	for i, e := range endpoints {
		names[i] = e.name
	}
	return names
}

// ResolveEndpoint turns an endpoint name, a legacy location (EU, CA) or a URL
// into the API base URL. URLs (anything containing "/") let tests and the
// sandbox point the client at a local server; resolveURL says which are accepted.
func ResolveEndpoint(nameOrURL string) (string, error) {
	s := strings.TrimSpace(nameOrURL)
	if strings.Contains(s, "/") {
		return resolveURL(s)
	}
	if name, ok := legacyLocations[strings.ToLower(s)]; ok {
		s = name
	}
	for _, e := range endpoints {
		if e.name == strings.ToLower(s) {
			return e.url, nil
		}
	}
	return "", fmt.Errorf("unknown OVH endpoint %q: use one of %s, or an http(s):// URL",
		nameOrURL, strings.Join(EndpointNames(), ", "))
}

// CreateAppURL is the page where an OVH account creates an application key
// (reference/ovh-api.md §2), or "" when the endpoint is a URL. An empty name
// means DefaultEndpoint.
func CreateAppURL(endpoint string) string {
	if strings.Contains(endpoint, "/") {
		return ""
	}
	base, err := ResolveEndpoint(orDefaultEndpoint(endpoint))
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(base, "/1.0") + "/createApp/"
}

func orDefaultEndpoint(nameOrURL string) string {
	if strings.TrimSpace(nameOrURL) == "" {
		return DefaultEndpoint
	}
	return nameOrURL
}
