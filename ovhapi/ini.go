package ovhapi

import (
	"bytes"
	"fmt"
	"strings"
)

// iniSection is one [section] of an ovh.conf file.
type iniSection struct {
	line int // where the section header first appears, for error messages
	keys map[string]string
}

// parseINI reads the subset of the ini format that go-ovh's ovh.conf uses
// (gopkg.in/ini.v1 defaults): [section] headers, key = value or key: value,
// ; and # comments, inline comments after unquoted values, quoted values.
// Errors name the line but never quote it: the line may hold a secret.
func parseINI(name string, data []byte) (map[string]*iniSection, error) {
	sections := map[string]*iniSection{}
	var current *iniSection
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	for i, raw := range strings.Split(string(data), "\n") {
		lineNo := i + 1
		line := strings.TrimSpace(raw)
		switch {
		case line == "" || line[0] == ';' || line[0] == '#':
			continue
		case line[0] == '[':
			sectionName, err := parseSectionHeader(line)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %v", name, lineNo, err)
			}
			if sections[sectionName] == nil {
				sections[sectionName] = &iniSection{line: lineNo, keys: map[string]string{}}
			}
			current = sections[sectionName]
		default:
			key, value, err := parseKeyValue(line)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %v", name, lineNo, err)
			}
			if current == nil {
				return nil, fmt.Errorf("%s:%d: key %q is outside any section: put it under [default] or an endpoint section such as [ovh-eu]", name, lineNo, key)
			}
			current.keys[key] = value
		}
	}
	return sections, nil
}

func parseSectionHeader(line string) (string, error) {
	end := strings.IndexByte(line, ']')
	if end < 0 {
		return "", fmt.Errorf("section header is missing its closing ]")
	}
	if rest := strings.TrimSpace(line[end+1:]); rest != "" && rest[0] != ';' && rest[0] != '#' {
		return "", fmt.Errorf("unexpected text after the section header")
	}
	sectionName := strings.TrimSpace(line[1:end])
	if sectionName == "" {
		return "", fmt.Errorf("empty section name")
	}
	return sectionName, nil
}

func parseKeyValue(line string) (key, value string, err error) {
	sep := strings.IndexAny(line, "=:")
	if sep <= 0 {
		return "", "", fmt.Errorf("expected key = value, a [section] or a comment")
	}
	key = strings.TrimSpace(line[:sep])
	value = strings.TrimSpace(line[sep+1:])
	if unquoted, ok := unquoteINI(value); ok {
		return key, unquoted, nil
	}
	if cut := strings.IndexAny(value, "#;"); cut >= 0 {
		value = strings.TrimSpace(value[:cut])
	}
	return key, value, nil
}

// iniQuotes are the quote characters go-ini strips around a whole value.
const iniQuotes = "\"'`"

func unquoteINI(value string) (string, bool) {
	if len(value) < 2 || !strings.ContainsRune(iniQuotes, rune(value[0])) {
		return "", false
	}
	end := strings.IndexByte(value[1:], value[0])
	if end < 0 {
		return "", false
	}
	return value[1 : end+1], true
}

// quoteINI quotes a value that parseKeyValue would otherwise cut or trim.
func quoteINI(value string) string {
	if !strings.ContainsAny(value, "#;"+iniQuotes) && value == strings.TrimSpace(value) {
		return value
	}
	for _, q := range iniQuotes {
		if !strings.ContainsRune(value, q) {
			return string(q) + value + string(q)
		}
	}
	return value // holds every quote character: no ini spelling can round-trip it
}
