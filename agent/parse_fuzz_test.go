package agent

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// serializeStdin writes the given options back as stdin lines, quoting every
// value so that quotes and leading spaces inside it survive the round trip.
func serializeStdin(o *Options) string {
	var b strings.Builder
	for i := range optionTable {
		if o.given[i] {
			b.WriteString(optionTable[i].canonical() + `="` + o.values[i] + "\"\n")
		}
	}
	return b.String()
}

// warningSourceText is everything a warning may legitimately be built from: the
// fixed texts and the keys of key=value lines (raw and quoted), but no value and
// no line without '=', which may be a secret pasted on its own.
func warningSourceText(input string) string {
	parts := []string{warnUnknownOption, warnLineWithoutEq, warnFlagPrefix, warnFlagSuffix, warnReadFailed, warnUnusedArgs}
	for _, line := range strings.FieldsFunc(input, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if key, _, hasEq := strings.Cut(strings.TrimSpace(line), "="); hasEq {
			parts = append(parts, key, strconv.Quote(key))
		}
	}
	return strings.Join(parts, "\n")
}

func FuzzParseStdin(f *testing.F) {
	for _, seed := range []string{
		"action=off\nnodename=n1\nplug=ns1.ip-1-2-3.eu\nlogin=ak\npasswd=as\nemail=a@b.c\n",
		"agent=fence_ovh\nport=\"ns2\"\novhcustomerkey=ck\novhapilocation=EU\nbigserver=on\n",
		"# comment\r\n\r\nquiet=0\r\nverbose=yes\rverbose_level=3\n",
		"pasword=TopSecret\npasswd=TopSecret\n",
		"application_secret=\"\"quoted\"\"\nconsumer-key= spaced\nfence_mode=POWEROFF\n",
		"SecretAlone\nplug\n=\n\"=\"\n",
		"passwd=SecretAlone\nSecretAlone\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, input string) {
		opts, warnings := ParseStdin(strings.NewReader(input))

		sources := warningSourceText(input)
		for i := range optionTable {
			secret := opts.values[i]
			if !optionTable[i].secret || secret == "" || strings.Contains(sources, secret) {
				continue
			}
			for _, w := range warnings {
				if strings.Contains(w, secret) {
					t.Fatalf("warning %q contains the value of %s", w, optionTable[i].key)
				}
			}
		}

		serialized := serializeStdin(opts)
		again, againWarnings := ParseStdin(strings.NewReader(serialized))
		if len(againWarnings) > 0 {
			t.Fatalf("re-parsing %q warns: %q", serialized, againWarnings)
		}
		if got, want := givenValues(again), givenValues(opts); !reflect.DeepEqual(got, want) {
			t.Fatalf("round trip through %q changed the values:\n got %q\nwant %q", serialized, got, want)
		}
		if again.Verbosity() != opts.Verbosity() {
			t.Fatalf("round trip changed Verbosity from %d to %d", opts.Verbosity(), again.Verbosity())
		}
	})
}
