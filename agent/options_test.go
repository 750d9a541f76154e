package agent

import (
	"slices"
	"strings"
	"testing"
)

func TestOptionTableShortLettersAreUnique(t *testing.T) {
	// fencing.py refuses to run with duplicate short letters ("Short getopt for X is not unique").
	seen := map[byte]string{}
	for _, opt := range optionTable {
		if opt.short == 0 {
			continue
		}
		if other, dup := seen[opt.short]; dup {
			t.Errorf("-%c is used by both %s and %s", opt.short, other, opt.key)
		}
		seen[opt.short] = opt.key
	}
}

func TestOptionTableNamesResolveToOneRow(t *testing.T) {
	owner := map[string]int{}
	for i, opt := range optionTable {
		for _, name := range []string{opt.key, opt.canonical(), strings.ReplaceAll(opt.long, "_", "-")} {
			if j, dup := owner[name]; dup && j != i {
				t.Errorf("name %q belongs to rows %d and %d", name, j, i)
			}
			owner[name] = i
		}
	}
}

func TestOptionTableMixedNamesTheLongOption(t *testing.T) {
	for _, opt := range optionTable {
		if !strings.Contains(opt.mixed, "--"+opt.long) {
			t.Errorf("%s: mixed %q does not mention --%s", opt.key, opt.mixed, opt.long)
		}
		if opt.short != 0 && !strings.HasPrefix(opt.mixed, "-"+string(opt.short)+", ") {
			t.Errorf("%s: mixed %q does not start with -%c", opt.key, opt.mixed, opt.short)
		}
		if opt.kind == kindSelect && !slices.Contains(opt.choices, opt.def) {
			t.Errorf("%s: default %q is not one of %v", opt.key, opt.def, opt.choices)
		}
	}
}

func TestSecretValues(t *testing.T) {
	opts, _ := ParseStdin(strings.NewReader("passwd=pw-old\napplication-secret=as-new\nconsumer_key=ck\n" +
		"passwd_script=/bin/pw\napplication_key=ak\nlogin=ak2\nplug=ns1\n"))
	got := strings.Join(opts.SecretValues(), " ")
	for _, secret := range []string{"pw-old", "as-new", "ck"} {
		if !strings.Contains(got, secret) {
			t.Errorf("SecretValues() = %q lacks %q", got, secret)
		}
	}
	for _, public := range []string{"/bin/pw", "ak", "ns1"} { // the script's path is not the secret, its output is
		if strings.Contains(" "+got+" ", " "+public+" ") {
			t.Errorf("SecretValues() = %q holds the public %q", got, public)
		}
	}
	if none, _ := ParseStdin(strings.NewReader("plug=ns1\n")); len(none.SecretValues()) != 0 {
		t.Errorf("SecretValues() without secrets = %q", none.SecretValues())
	}
}

func TestGetAcceptsEveryNameOfAnOption(t *testing.T) {
	opts, _ := ParseStdin(strings.NewReader("port=ns1\nlogin=ak\npasswd=as\novhcustomerkey=ck\novhapilocation=ovh-ca\ndebug=/tmp/d\npasswd_script=/bin/pw\n"))
	tests := []struct {
		names []string
		want  string
	}{
		{[]string{"plug", "port"}, "ns1"},
		{[]string{"username", "login"}, "ak"},
		{[]string{"password", "passwd"}, "as"},
		{[]string{"consumer_key", "consumer-key", "ovhcustomerkey"}, "ck"},
		{[]string{"endpoint", "ovhapilocation"}, "ovh-ca"},
		{[]string{"debug_file", "debug-file", "debug"}, "/tmp/d"},
		{[]string{"password_script", "password-script", "passwd_script"}, "/bin/pw"},
	}
	for _, tt := range tests {
		for _, name := range tt.names {
			if got, ok := opts.Get(name); !ok || got != tt.want {
				t.Errorf("Get(%q) = %q, %v; want %q, true", name, got, ok, tt.want)
			}
		}
	}
}
