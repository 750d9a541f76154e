package agent

import (
	"reflect"
	"strings"
	"testing"
)

// givenValues returns every given option by canonical name, for comparisons.
func givenValues(o *Options) map[string]string {
	got := map[string]string{}
	for i := range optionTable {
		if o.given[i] {
			got[optionTable[i].canonical()] = o.values[i]
		}
	}
	return got
}

func TestParseStdin(t *testing.T) {
	tests := []struct {
		name     string
		input    string
		want     map[string]string
		warnings []string
	}{
		{
			name:  "pacemaker style",
			input: "action=off\nnodename=node1\nplug=ns1.ip-1-2-3.eu\nlogin=ak\npasswd=as\nemail=ops@example.com\n",
			want:  map[string]string{"action": "off", "plug": "ns1.ip-1-2-3.eu", "username": "ak", "password": "as", "email": "ops@example.com"},
		},
		{
			name:  "cman style: agent= and nodename= are silent, no action",
			input: "nodename=node2\nagent=fence_ovh\nport=ns2\novh_config=/etc/pve/priv/ovh.conf\n",
			want:  map[string]string{"plug": "ns2", "ovh_config": "/etc/pve/priv/ovh.conf"},
		},
		{
			name:  "comments, blank lines and surrounding whitespace",
			input: "# a comment\n\n   \n  plug=ns3  \n\t# indented comment\n",
			want:  map[string]string{"plug": "ns3"},
		},
		{
			name:  "one pair of surrounding quotes is stripped",
			input: "plug=\"ns4\"\nemail=\"\"a@b\"\"\nusername=\"half\nseparator=\"\n",
			want:  map[string]string{"plug": "ns4", "email": "\"a@b\"", "username": "\"half", "separator": "\""},
		},
		{
			name:  "split at the first equals sign only",
			input: "password=a=b==\n",
			want:  map[string]string{"password": "a=b=="},
		},
		{
			name:  "last value wins across port and plug",
			input: "port=first\nplug=second\nport=third\n",
			want:  map[string]string{"plug": "third"},
		},
		{
			name:  "old and new names of the REST fork",
			input: "ovhcustomerkey=ck1\nconsumer_key=ck2\novhapilocation=ovh-ca\n",
			want:  map[string]string{"consumer_key": "ck2", "endpoint": "ovh-ca"},
		},
		{
			name:  "dash and underscore are interchangeable",
			input: "power-wait=3\npower_timeout=60\nstonith-status-sleep=1.5\nfence-mode=poweroff\ndebug-file=/tmp/x\n",
			want:  map[string]string{"power_wait": "3", "power_timeout": "60", "stonith_status_sleep": "1.5", "fence_mode": "poweroff", "debug_file": "/tmp/x"},
		},
		{
			name:  "select values are lower-cased",
			input: "method=CYCLE\nfence_mode=Rescue\n",
			want:  map[string]string{"method": "cycle", "fence_mode": "rescue"},
		},
		{
			name:     "unknown keys warn with the key only, never the value",
			input:    "pasword=TopSecret\nPLUG=ns5\n",
			want:     map[string]string{},
			warnings: []string{`Parse error: Ignoring unknown option "pasword"`, `Parse error: Ignoring unknown option "PLUG"`},
		},
		{
			name:     "a line without '=' that is no option is not echoed",
			input:    "SecretPastedAlone\n",
			want:     map[string]string{},
			warnings: []string{warnLineWithoutEq},
		},
		{
			name:  "a value option without '=' gets the empty value",
			input: "plug\n",
			want:  map[string]string{"plug": ""},
		},
		{
			name:  "flags take 1|yes|on|true and 0|no|off|false in any case",
			input: "quiet=YES\nverbose=on\nhelp=False\nversion=0\n",
			want:  map[string]string{"quiet": "1", "verbose": "1", "help": "0", "version": "0"},
		},
		{
			name:     "a flag with another value is ignored with a warning",
			input:    "quiet=maybe\nverbose\n",
			want:     map[string]string{},
			warnings: []string{"Parse error: Ignoring option 'quiet' because it does not have value", "Parse error: Ignoring option 'verbose' because it does not have value"},
		},
		{
			name:  "CRLF and lone CR end lines",
			input: "action=status\r\nplug=ns6\r\rlogin=ak\rpasswd=\"as\"\r\n",
			want:  map[string]string{"action": "status", "plug": "ns6", "username": "ak", "password": "as"},
		},
		{
			name:  "no trailing newline",
			input: "plug=ns7",
			want:  map[string]string{"plug": "ns7"},
		},
		{
			name:  "empty input",
			input: "",
			want:  map[string]string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts, warnings := ParseStdin(strings.NewReader(tt.input))
			if got := givenValues(opts); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("values = %v, want %v", got, tt.want)
			}
			if !reflect.DeepEqual(warnings, tt.warnings) {
				t.Errorf("warnings = %q, want %q", warnings, tt.warnings)
			}
			if !reflect.DeepEqual(opts.Warnings(), tt.warnings) {
				t.Errorf("Warnings() = %q, want %q", opts.Warnings(), tt.warnings)
			}
		})
	}
}

func TestParseStdinFlagsCountByPresence(t *testing.T) {
	opts, _ := ParseStdin(strings.NewReader("quiet=0\n"))
	if !opts.Flag("quiet") {
		t.Error("quiet=0 must still mean quiet, as in fencing.py")
	}
	if opts.Flag("verbose") {
		t.Error("verbose was not given")
	}
}

func TestParseArgs(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    map[string]string
		wantErr string
	}{
		{
			name: "short options with separate values",
			args: []string{"-o", "off", "-n", "ns1", "-l", "ak", "-p", "as"},
			want: map[string]string{"action": "off", "plug": "ns1", "username": "ak", "password": "as"},
		},
		{
			name: "short value glued to its letter",
			args: []string{"-ooff", "-nns1"},
			want: map[string]string{"action": "off", "plug": "ns1"},
		},
		{
			name: "bundled flags end with a value option",
			args: []string{"-qvo", "status", "-vn", "ns2"},
			want: map[string]string{"quiet": "1", "verbose": "1", "action": "status", "plug": "ns2"},
		},
		{
			name: "long options with = and with a separate value",
			args: []string{"--plug=ns3", "--ovh-config", "/etc/ovh.conf", "--fence-mode=POWEROFF", "--email="},
			want: map[string]string{"plug": "ns3", "ovh_config": "/etc/ovh.conf", "fence_mode": "poweroff", "email": ""},
		},
		{
			name: "a value may itself start with a dash",
			args: []string{"--password", "-secret-", "-S", "--x"},
			want: map[string]string{"password": "-secret-", "password_script": "--x"},
		},
		{
			name: "options and words are permuted, -- ends options",
			args: []string{"stray", "-o", "on", "word", "--plug=ns4", "--", "-q"},
			want: map[string]string{"action": "on", "plug": "ns4"},
		},
		{
			name: "a unique prefix of a long option is accepted",
			args: []string{"--consumer=ck", "--stonith=3"},
			want: map[string]string{"consumer_key": "ck", "stonith_status_sleep": "3"},
		},
		{
			name: "last value wins",
			args: []string{"-n", "a", "--plug", "b"},
			want: map[string]string{"plug": "b"},
		},
		{name: "unknown long option", args: []string{"--app-secret=xyz"}, wantErr: "Parse error: unknown option '--app-secret'"},
		{name: "old stdin key is not a long option", args: []string{"--port", "ns1"}, wantErr: "Parse error: unknown option '--port'"},
		{name: "unknown short option", args: []string{"-vXsecret"}, wantErr: "Parse error: unknown option '-X'"},
		{name: "ambiguous prefix", args: []string{"--power=1"}, wantErr: "Parse error: option '--power' is not a unique prefix"},
		{name: "missing value of a long option", args: []string{"--plug"}, wantErr: "Parse error: option '--plug' requires an argument"},
		{name: "missing value of a short option", args: []string{"-vo"}, wantErr: "Parse error: option '-o' requires an argument"},
		{name: "a flag given a value", args: []string{"--quiet=secret"}, wantErr: "Parse error: option '--quiet' must not have an argument"},
		{name: "a NUL letter is not an option", args: []string{"-\x00"}, wantErr: "Parse error: unknown option '-\x00'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts, err := ParseArgs(tt.args)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if got := givenValues(opts); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("values = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseArgsWarnsAboutUnusedWordsWithoutShowingThem(t *testing.T) {
	opts, err := ParseArgs([]string{"--application-secret=", "S3cr3tValue", "-o", "status", "--", "-q"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2" + warnUnusedArgs}
	if !reflect.DeepEqual(opts.Warnings(), want) {
		t.Errorf("Warnings() = %q, want %q", opts.Warnings(), want)
	}
	if opts.Flag("quiet") {
		t.Error("-q after -- is a word, not an option")
	}
}

func TestVerbosity(t *testing.T) {
	tests := []struct {
		name  string
		args  []string // nil: parse stdin instead
		stdin string
		want  int
	}{
		{name: "none", args: []string{"-o", "status"}, want: 0},
		{name: "-vvv", args: []string{"-vvv"}, want: 3},
		{name: "-v -v --verbose", args: []string{"-v", "-v", "--verbose"}, want: 3},
		{name: "verbose_level wins over -v", args: []string{"-vv", "--verbose-level=5"}, want: 5},
		{name: "verbose_level=0 silences -v", args: []string{"-v", "--verbose-level=0"}, want: 0},
		{name: "bad verbose_level is 0", args: []string{"--verbose-level=lots"}, want: 0},
		{name: "negative verbose_level is 0", args: []string{"--verbose-level=-2"}, want: 0},
		{name: "verbose=1 on stdin", stdin: "verbose=1\n", want: 1},
		{name: "verbose=0 on stdin", stdin: "verbose=0\n", want: 0},
		{name: "last verbose on stdin wins", stdin: "verbose=1\nverbose=off\n", want: 0},
		{name: "verbose_level on stdin", stdin: "verbose=1\nverbose_level=2\n", want: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts *Options
			if tt.args != nil {
				var err error
				if opts, err = ParseArgs(tt.args); err != nil {
					t.Fatal(err)
				}
			} else {
				opts, _ = ParseStdin(strings.NewReader(tt.stdin))
			}
			if got := opts.Verbosity(); got != tt.want {
				t.Errorf("Verbosity() = %d, want %d", got, tt.want)
			}
		})
	}
}

func BenchmarkParseStdin(b *testing.B) {
	input := "action=reboot\nnodename=node1\nplug=ns1234567.ip-1-2-3.eu\novh_config=/etc/ovh.conf\n" +
		"fence_mode=rescue\nrescue_boot_id=22\npower_timeout=300\n"
	b.ReportAllocs()
	for n := 0; n < b.N; n++ {
		ParseStdin(strings.NewReader(input))
	}
}
