package ovhapi

import (
	"bytes"
	"fmt"
	"os"
	"sort"
	"strings"
)

// ovh.conf keys (reference/ovh-api.md §1, Config).
const (
	confEndpoint          = "endpoint"
	confApplicationKey    = "application_key"
	confApplicationSecret = "application_secret"
	confConsumerKey       = "consumer_key"
	confClientID          = "client_id"
	confClientSecret      = "client_secret"
	confDefaultSection    = "default"
)

// LoadConfigFile reads credentials from an ovh.conf file the way go-ovh does:
// the endpoint is the argument, else [default] endpoint=, else ovh-eu; the
// keys come from the section named after that endpoint. Errors name the file
// and line and never contain a secret value.
func LoadConfigFile(path, endpoint string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("%w; the OVH credentials file must exist and be readable by root (mode 0600)", err)
	}
	sections, err := parseINI(path, data)
	if err != nil {
		return Config{}, err
	}
	if endpoint == "" {
		if def := sections[confDefaultSection]; def != nil {
			endpoint = def.keys[confEndpoint]
		}
	}
	endpoint = orDefaultEndpoint(endpoint)
	if _, err := ResolveEndpoint(endpoint); err != nil {
		return Config{}, fmt.Errorf("%s: %v", path, err)
	}
	section := findEndpointSection(sections, endpoint)
	if section == nil {
		return Config{}, fmt.Errorf("%s: no [%s] section with the credentials (sections present: %s)",
			path, endpoint, sectionList(sections))
	}
	cfg := Config{
		Endpoint:          endpoint,
		ApplicationKey:    section.keys[confApplicationKey],
		ApplicationSecret: section.keys[confApplicationSecret],
		ConsumerKey:       section.keys[confConsumerKey],
		ClientID:          section.keys[confClientID],
		ClientSecret:      section.keys[confClientSecret],
	}
	if cfg.ServiceAccount() {
		if err := cfg.CheckAuthMethod(); err != nil {
			return Config{}, fmt.Errorf("%s:%d: section [%s]: %v", path, section.line, endpoint, err)
		}
		return cfg, nil
	}
	for _, key := range []string{confApplicationKey, confApplicationSecret} {
		if section.keys[key] == "" {
			return Config{}, fmt.Errorf("%s:%d: section [%s] has no %s", path, section.line, endpoint, key)
		}
	}
	return cfg, nil
}

// findEndpointSection accepts the section spelled as given or, for legacy
// names (EU) and URLs with a trailing slash, spelled canonically.
func findEndpointSection(sections map[string]*iniSection, endpoint string) *iniSection {
	candidates := []string{endpoint, strings.TrimRight(endpoint, "/")}
	if name, ok := legacyLocations[strings.ToLower(endpoint)]; ok {
		candidates = append(candidates, name)
	}
	for _, name := range candidates {
		if s := sections[name]; s != nil {
			return s
		}
	}
	return nil
}

func sectionList(sections map[string]*iniSection) string {
	if len(sections) == 0 {
		return "none"
	}
	names := make([]string, 0, len(sections))
	for name := range sections {
		names = append(names, "["+name+"]")
	}
	sort.Strings(names)
	return strings.Join(names, " ")
}

// FormatConfigFile renders cfg as an ovh.conf that go-ovh and LoadConfigFile
// read back. The caller writes it with mode 0600 (DESIGN.md D4).
func FormatConfigFile(cfg Config) []byte {
	endpoint := orDefaultEndpoint(cfg.Endpoint)
	var b bytes.Buffer
	b.WriteString("; OVH API credentials for ovhfence (fence_ovh), in go-ovh's ovh.conf format.\n")
	b.WriteString("; Keep this file mode 0600, owned by root: it holds secrets (application secret and consumer key, or client secret).\n")
	fmt.Fprintf(&b, "[%s]\n%s=%s\n\n", confDefaultSection, confEndpoint, quoteINI(endpoint))
	fmt.Fprintf(&b, "[%s]\n", endpoint)
	// Nothing given is dropped: a config mixing keys and a service account is
	// written whole, and refused when read (CheckAuthMethod), never half-kept.
	if !cfg.ServiceAccount() || cfg.ApplicationKey+cfg.ApplicationSecret+cfg.ConsumerKey != "" {
		fmt.Fprintf(&b, "%s=%s\n", confApplicationKey, quoteINI(cfg.ApplicationKey))
		fmt.Fprintf(&b, "%s=%s\n", confApplicationSecret, quoteINI(cfg.ApplicationSecret))
		fmt.Fprintf(&b, "%s=%s\n", confConsumerKey, quoteINI(cfg.ConsumerKey))
	}
	if cfg.ServiceAccount() {
		fmt.Fprintf(&b, "%s=%s\n", confClientID, quoteINI(cfg.ClientID))
		fmt.Fprintf(&b, "%s=%s\n", confClientSecret, quoteINI(cfg.ClientSecret))
	}
	return b.Bytes()
}
