package ovhapi

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
)

// endpointURL is the only shape of endpoint URL accepted: a scheme, a host
// name or IP address, an optional port, an optional path, all of characters
// that need no quoting in a shell, a crm line or a cluster.conf attribute. An
// endpoint is written into the CIB and into commands shown to paste: no
// space, quote, shell metacharacter, query, fragment or user info gets there.
var endpointURL = regexp.MustCompile(`^(https?)://([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?$`)

// resolveURL accepts an https:// endpoint URL of safe characters, or an
// http:// one on a loopback host (the sandbox, tests): over plain HTTP the
// consumer key and the signatures travel in clear.
func resolveURL(s string) (string, error) {
	s = strings.TrimRight(s, "/")
	m := endpointURL.FindStringSubmatch(s)
	if m == nil {
		return "", fmt.Errorf("endpoint URL %q must be an http:// or https:// URL of the form https://HOST[:PORT]/PATH, of letters, digits and . _ ~ - / only", s)
	}
	if m[1] == "http" && !isLoopback(m[2]) {
		return "", fmt.Errorf("endpoint URL %q: http:// is accepted only for a loopback host such as the sandbox's 127.0.0.1 "+
			"(over plain HTTP the consumer key travels in clear); use https://", s)
	}
	if _, err := url.Parse(s); err != nil {
		return "", fmt.Errorf("endpoint URL %q: %w", s, err)
	}
	return s, nil
}

func isLoopback(host string) bool {
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
