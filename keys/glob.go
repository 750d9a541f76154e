package keys

import "strings"

// pathMatches reports whether an access-rule path pattern grants path. As on
// OVH (reference/ovh-api.md §5) the pattern is anchored and '*' matches any
// run of characters, '/' included, so "/x/*" does not grant "/x".
func pathMatches(pattern, path string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == path
	}
	first, last := parts[0], parts[len(parts)-1]
	if !strings.HasPrefix(path, first) {
		return false
	}
	rest := path[len(first):]
	for _, middle := range parts[1 : len(parts)-1] {
		i := strings.Index(rest, middle)
		if i < 0 {
			return false
		}
		rest = rest[i+len(middle):]
	}
	return len(rest) >= len(last) && strings.HasSuffix(rest, last)
}
