package agent

import (
	"strings"
	"testing"
	"time"
)

func stdinOptions(t *testing.T, input string) *Options {
	t.Helper()
	opts, warnings := ParseStdin(strings.NewReader(input))
	if len(warnings) > 0 {
		t.Fatalf("unexpected warnings: %q", warnings)
	}
	return opts
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		input   string
		action  string
		wantErr string
	}{
		{name: "off with a plug", input: "plug=ns1\n", action: "off"},
		{name: "reboot needs a plug", input: "", action: "reboot", wantErr: "Failed: You have to enter plug number or machine identification"},
		{name: "an empty plug is no plug", input: "plug=\n", action: "status", wantErr: "Failed: You have to enter plug number or machine identification"},
		{name: "validate-all needs a plug", input: "", action: "validate-all", wantErr: "Failed: You have to enter plug number or machine identification"},
		{name: "list needs no plug", input: "", action: "list"},
		{name: "list-status needs no plug", input: "", action: "list-status"},
		{name: "monitor needs no plug", input: "", action: "monitor"},
		{name: "metadata needs no plug", input: "", action: "meta-data"},
		{name: "action is case-insensitive", input: "plug=ns1\n", action: "OFF"},
		{name: "no credentials are checked here", input: "plug=ns1\n", action: "on"},
		{name: "unknown action", input: "plug=ns1\n", action: "Explode", wantErr: "Failed: Unrecognised action 'explode'"},
		{name: "bad fence_mode", input: "plug=ns1\nfence_mode=halt\n", action: "off", wantErr: "Failed: fence_mode must be one of rescue, poweroff"},
		{name: "bad method", input: "plug=ns1\nmethod=twice\n", action: "reboot", wantErr: "Failed: method must be one of onoff, cycle"},
		{name: "select values are case-insensitive", input: "plug=ns1\nfence_mode=POWEROFF\nmethod=OnOff\n", action: "off"},
		{name: "decimal seconds", input: "plug=ns1\npower_wait=2.5\ndelay=.5\n", action: "off"},
		{name: "bad seconds", input: "plug=ns1\npower_timeout=5m\n", action: "off", wantErr: "Failed: The value you have entered for --power-timeout is not a valid time in seconds"},
		{name: "negative seconds", input: "plug=ns1\ndelay=-1\n", action: "off", wantErr: "Failed: The value you have entered for --delay is not a valid time in seconds"},
		{name: "bad integer", input: "plug=ns1\nrescue_boot_id=rescue\n", action: "off", wantErr: "Failed: The value you have entered for --rescue-boot-id is not a valid integer"},
		{name: "bad retry_on", input: "plug=ns1\nretry_on=1.5\n", action: "on", wantErr: "Failed: The value you have entered for --retry-on is not a valid integer"},
		{name: "bad verbose_level only means 0", input: "plug=ns1\nverbose_level=x\n", action: "off"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := stdinOptions(t, tt.input).Validate(tt.action)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate(%q) = %v, want nil", tt.action, err)
				}
				return
			}
			if err == nil || err.Error() != tt.wantErr {
				t.Fatalf("Validate(%q) = %v, want %q", tt.action, err, tt.wantErr)
			}
		})
	}
}

func TestValidateNeverEchoesAValue(t *testing.T) {
	opts := stdinOptions(t, "plug=ns1\nrescue_boot_id=Secr3tValue\n")
	if err := opts.Validate("off"); err == nil || strings.Contains(err.Error(), "Secr3tValue") {
		t.Fatalf("Validate = %v; want an error that does not quote the value", err)
	}
}

func TestGetReturnsDefaultsAsNotGiven(t *testing.T) {
	opts := stdinOptions(t, "plug=ns1\npower_timeout=60\n")
	tests := []struct {
		name      string
		want      string
		wantGiven bool
	}{
		{"power_timeout", "60", true},
		{"action", "reboot", false},
		{"method", "cycle", false},
		{"endpoint", "ovh-eu", false},
		{"ovhapilocation", "ovh-eu", false},
		{"fence_mode", "rescue", false},
		{"disk_boot_id", "1", false},
		{"shell_timeout", "15", false},
		{"login_timeout", "5", false},
		{"stonith_status_sleep", "2", false},
		{"separator", ",", false},
		{"rescue_boot_id", "", false},
		{"no_such_option", "", false},
	}
	for _, tt := range tests {
		got, given := opts.Get(tt.name)
		if got != tt.want || given != tt.wantGiven {
			t.Errorf("Get(%q) = %q, %v; want %q, %v", tt.name, got, given, tt.want, tt.wantGiven)
		}
	}
}

// checkTypedGet checks one typed accessor call against its wanted value and error.
func checkTypedGet[T comparable](t *testing.T, opts *Options, get func(*Options, string) (T, error), name string, want T, wantErr string) {
	t.Helper()
	got, err := get(opts, name)
	if (err == nil) != (wantErr == "") || (err != nil && err.Error() != wantErr) {
		t.Errorf("%s: error = %v, want %q", name, err, wantErr)
	}
	if got != want {
		t.Errorf("%s = %v, want %v", name, got, want)
	}
}

func TestSeconds(t *testing.T) {
	tests := []struct {
		input   string
		name    string
		want    time.Duration
		wantErr string
	}{
		{"", "power_timeout", 300 * time.Second, ""},
		{"", "stonith-status-sleep", 2 * time.Second, ""},
		{"power_wait=2.5\n", "power_wait", 2500 * time.Millisecond, ""},
		{"delay=10\n", "delay", 10 * time.Second, ""},
		{"delay=7.\n", "delay", 7 * time.Second, ""},
		{"delay=1e3\n", "delay", 0, "The value you have entered for --delay is not a valid time in seconds"},
		{"delay=inf\n", "delay", 0, "The value you have entered for --delay is not a valid time in seconds"},
		{"delay=1.2.3\n", "delay", 0, "The value you have entered for --delay is not a valid time in seconds"},
		{"delay=99999999999999999999\n", "delay", 0, "The value you have entered for --delay is not a valid time in seconds"},
		{"", "nonsense", 0, "unknown option 'nonsense'"},
	}
	for _, tt := range tests {
		checkTypedGet(t, stdinOptions(t, tt.input), (*Options).Seconds, tt.name, tt.want, tt.wantErr)
	}
}

func TestInt(t *testing.T) {
	tests := []struct {
		input   string
		name    string
		want    int64
		wantErr string
	}{
		{"", "disk_boot_id", 1, ""},
		{"", "retry_on", 1, ""},
		{"rescue_boot_id=22\n", "rescue-boot-id", 22, ""},
		{"", "rescue_boot_id", 0, "The value you have entered for --rescue-boot-id is not a valid integer"},
		{"power_boot_id=x\n", "power_boot_id", 0, "The value you have entered for --power-boot-id is not a valid integer"},
	}
	for _, tt := range tests {
		checkTypedGet(t, stdinOptions(t, tt.input), (*Options).Int, tt.name, tt.want, tt.wantErr)
	}
}

func TestAction(t *testing.T) {
	tests := []struct{ input, want string }{
		{"", "reboot"},
		{"action=OFF\n", "off"},
		{"action=meta-data\n", "metadata"},
		{"action=List-Status\n", "list-status"},
	}
	for _, tt := range tests {
		if got := stdinOptions(t, tt.input).Action(); got != tt.want {
			t.Errorf("%q: Action() = %q, want %q", tt.input, got, tt.want)
		}
	}
}
