package agent

import "strings"

// valueKind is what an option's value is, and so its metadata content type.
type valueKind int

const (
	kindFlag    valueKind = iota // no value; true by presence ("boolean")
	kindString                   // free text
	kindSecond                   // seconds, integer or decimal ("second")
	kindInteger                  // decimal integer ("integer")
	kindSelect                   // one of choices ("select")
)

// option is one row of the agent's option table, modelled on fence-agents'
// all_opt. When key differs from long (dashes as underscores), key is the old
// stdin/metadata name: metadata emits it deprecated="1" and the new name with
// obsoletes=key, and both names are accepted everywhere.
type option struct {
	key       string // stdin name as fence-agents' dict key, e.g. "port"
	long      string // getopt long name, e.g. "plug"; its underscore form is the canonical name
	short     byte   // getopt short letter, 0 if none
	kind      valueKind
	choices   []string
	def       string
	required  bool
	secret    bool
	obsolete  bool   // accepted for old configurations but ignored; metadata marks it deprecated
	order     int    // fencing.py's sort order; upstream's values keep upstream's parameter order
	mixed     string // the getopt text shown in metadata and usage, e.g. "-n, --plug=[id]"
	shortdesc string
}

// canonical is the option's new name: its long option with underscores.
func (opt *option) canonical() string {
	return strings.ReplaceAll(opt.long, "-", "_")
}

// renamed reports whether key is an old name that canonical replaces.
func (opt *option) renamed() bool {
	return opt.key != opt.canonical()
}

// takesValue reports whether the option needs a value on the command line.
func (opt *option) takesValue() bool {
	return opt.kind != kindFlag
}

// optionTable is the vocabulary every part of ovhfence uses. Upstream fence_ovh's
// parameters keep their upstream getopt text, content type and order values.
//
// Only action and plug/port are required="1", unlike upstream's login/username and
// email: pcs and Pacemaker refuse to create a device that lacks a required
// parameter, and the OVH keys belong in ovh_config rather than in the CIB
// (DESIGN.md D4); email is optional for the REST API.
var optionTable = [...]option{
	{key: "action", long: "action", short: 'o', kind: kindString, def: "reboot", required: true, order: 1,
		mixed: "-o, --action=[action]", shortdesc: "Fencing action"},
	{key: "port", long: "plug", short: 'n', kind: kindString, required: true, order: 1,
		mixed: "-n, --plug=[id]", shortdesc: "OVH server name to fence, e.g. ns1234567.ip-1-2-3.eu; several names separated by plug_separator"},
	{key: "login", long: "username", short: 'l', kind: kindString, order: 1,
		mixed: "-l, --username=[name]", shortdesc: "OVH application key (older name of application_key)"},
	{key: "passwd", long: "password", short: 'p', kind: kindString, secret: true, order: 1,
		mixed: "-p, --password=[password]", shortdesc: "OVH application secret (older name of application_secret)"},
	{key: "passwd_script", long: "password-script", short: 'S', kind: kindString, order: 1,
		mixed: "-S, --password-script=[script]", shortdesc: "Script to run to retrieve the OVH application secret"},
	{key: "email", long: "email", short: 'Z', kind: kindString, order: 1,
		mixed: "-Z, --email=[email]", shortdesc: "E-mail address OVH sends the rescue system's credentials to (the server's rescueMail)"},
	{key: "method", long: "method", short: 'm', kind: kindSelect, choices: []string{"onoff", "cycle"}, def: "cycle", order: 1,
		mixed: "-m, --method=[method]", shortdesc: "Method to fence: cycle is one verified hard reboot, onoff is off then on"},
	{key: "ovhapilocation", long: "endpoint", kind: kindString, def: "ovh-eu", order: 1,
		mixed: "--endpoint=[name|url]", shortdesc: "OVH API endpoint: ovh-eu, ovh-ca, ovh-us or the URL of an API (the old fork's EU and CA work too)"},
	{key: "application_key", long: "application-key", kind: kindString, order: 1,
		mixed: "--application-key=[key]", shortdesc: "OVH application key; wins over login/username"},
	{key: "application_secret", long: "application-secret", kind: kindString, secret: true, order: 1,
		mixed: "--application-secret=[secret]", shortdesc: "OVH application secret; wins over passwd/password. Prefer ovh_config: parameters end up in the cluster configuration"},
	{key: "ovhcustomerkey", long: "consumer-key", kind: kindString, secret: true, order: 1,
		mixed: "--consumer-key=[key]", shortdesc: "OVH consumer key allowed to reboot the server. Prefer ovh_config: parameters end up in the cluster configuration"},
	{key: "client_id", long: "client-id", kind: kindString, order: 1,
		mixed: "--client-id=[id]", shortdesc: "OVH service account (OAuth2 client) ID, instead of the application and consumer keys; its IAM policy grants the rights"},
	{key: "client_secret", long: "client-secret", kind: kindString, secret: true, order: 1,
		mixed: "--client-secret=[secret]", shortdesc: "OVH service account secret. Prefer ovh_config: parameters end up in the cluster configuration"},
	{key: "ovh_config", long: "ovh-config", kind: kindString, order: 1,
		mixed: "--ovh-config=[path]", shortdesc: "Path of an ovh.conf file holding the OVH keys or service account, readable by root only"},
	{key: "fence_mode", long: "fence-mode", kind: kindSelect, choices: []string{"rescue", "poweroff"}, def: "rescue", order: 1,
		mixed: "--fence-mode=[mode]", shortdesc: "rescue reboots the server into the rescue system (every range); poweroff uses the power-off netboot where the range has one"},
	{key: "rescue_boot_id", long: "rescue-boot-id", kind: kindInteger, order: 1,
		mixed: "--rescue-boot-id=[id]", shortdesc: "Boot ID of the server's rescue system (looked up when unset)"},
	{key: "power_boot_id", long: "power-boot-id", kind: kindInteger, order: 1,
		mixed: "--power-boot-id=[id]", shortdesc: "Boot ID of the server's power-off netboot (looked up when unset)"},
	{key: "disk_boot_id", long: "disk-boot-id", kind: kindInteger, def: "1", order: 1,
		mixed: "--disk-boot-id=[id]", shortdesc: "Boot ID of the server's hard disk boot"},
	{key: "bigserver", long: "bigserver", kind: kindString, obsolete: true, order: 1,
		mixed: "--bigserver=[on|off]", shortdesc: "Deprecated and ignored: accepted so configurations of the old REST fence_ovh keep working"},
	{key: "quiet", long: "quiet", short: 'q', kind: kindFlag, order: 50,
		mixed: "-q, --quiet", shortdesc: "Disable logging to stderr. Does not affect --verbose or --debug-file or logging to syslog."},
	{key: "verbose", long: "verbose", short: 'v', kind: kindFlag, order: 51,
		mixed: "-v, --verbose", shortdesc: "Verbose mode. Multiple -v flags can be stacked on the command line (e.g., -vvv) to increase verbosity."},
	{key: "verbose_level", long: "verbose-level", kind: kindInteger, order: 52,
		mixed: "--verbose-level", shortdesc: "Level of debugging detail in output. Defaults to the number of --verbose flags specified on the command line, or to 1 if verbose=1 in a stonith device configuration (i.e., on stdin)."},
	{key: "debug", long: "debug-file", short: 'D', kind: kindString, order: 53,
		mixed: "-D, --debug-file=[debugfile]", shortdesc: "Write debug information to given file"},
	{key: "version", long: "version", short: 'V', kind: kindFlag, order: 54,
		mixed: "-V, --version", shortdesc: "Display version information and exit"},
	{key: "help", long: "help", short: 'h', kind: kindFlag, order: 55,
		mixed: "-h, --help", shortdesc: "Display help and exit"},
	{key: "plug_separator", long: "plug-separator", kind: kindString, def: ",", order: 100,
		mixed: "--plug-separator=[char]", shortdesc: "Separator for plug parameter when specifying more than 1 plug"},
	{key: "separator", long: "separator", short: 'C', kind: kindString, def: ",", order: 100,
		mixed: "-C, --separator=[char]", shortdesc: "Separator for CSV created by 'list' operation"},
	{key: "delay", long: "delay", kind: kindSecond, def: "0", order: 200,
		mixed: "--delay=[seconds]", shortdesc: "Wait X seconds before fencing is started"},
	{key: "disable_timeout", long: "disable-timeout", kind: kindString, order: 200,
		mixed: "--disable-timeout=[true/false]", shortdesc: "Disable timeout (true/false) (default: true when run from Pacemaker 2.0+)"},
	// The timeouts below differ from fence-agents' defaults on purpose: an OVH
	// reboot task takes minutes, and polling must stay under OVH's 60 calls/min.
	{key: "login_timeout", long: "login-timeout", kind: kindSecond, def: "5", order: 200,
		mixed: "--login-timeout=[seconds]", shortdesc: "Wait at most X seconds for the OVH API's time synchronisation or a service account's token"},
	{key: "power_timeout", long: "power-timeout", kind: kindSecond, def: "300", order: 200,
		mixed: "--power-timeout=[seconds]", shortdesc: "Wait at most X seconds for the OVH reboot task and the check of the new state"},
	{key: "power_wait", long: "power-wait", kind: kindSecond, def: "0", order: 200,
		mixed: "--power-wait=[seconds]", shortdesc: "Wait X seconds after issuing ON/OFF"},
	{key: "shell_timeout", long: "shell-timeout", kind: kindSecond, def: "15", order: 200,
		mixed: "--shell-timeout=[seconds]", shortdesc: "Wait at most X seconds for each OVH API request"},
	{key: "stonith_status_sleep", long: "stonith-status-sleep", kind: kindSecond, def: "2", order: 200,
		mixed: "--stonith-status-sleep=[seconds]", shortdesc: "Sleep X seconds between status calls during a STONITH action"},
	{key: "reboot_time", long: "reboot-time", kind: kindSecond, def: "0", order: 200,
		mixed: "--reboot-time=[seconds]", shortdesc: "How long an OVH hard reboot of this server usually takes: until then the reboot task is polled sparsely, around it every stonith_status_sleep (0: 150 s is assumed)"},
	{key: "retry_on", long: "retry-on", kind: kindInteger, def: "1", order: 201,
		mixed: "--retry-on=[attempts]", shortdesc: "Count of attempts to retry power on"},
}

// silentStdinKeys are sent by the cluster managers but mean nothing to this agent:
// Pacemaker always sends nodename, cman always sends agent.
var silentStdinKeys = [...]string{"nodename", "agent"}

// optionIndex maps every accepted name (canonical, old key, long option), with
// dashes written as underscores, to its row in optionTable.
var optionIndex = buildOptionIndex()

func buildOptionIndex() map[string]int {
	index := make(map[string]int, 2*len(optionTable))
	for i := range optionTable {
		opt := &optionTable[i]
		index[opt.key] = i
		index[opt.canonical()] = i
	}
	return index
}

// lookupOption finds an option by any of its names; '-' and '_' are interchangeable.
func lookupOption(name string) (int, bool) {
	i, ok := optionIndex[strings.ReplaceAll(name, "-", "_")]
	return i, ok
}

// SecretValues returns the values of every given option that holds a secret, so
// the logger can mask them all, also those a later option overrides (DESIGN.md
// D4). The output of passwd_script is a secret too, but the script's path is not.
func (o *Options) SecretValues() []string {
	var secrets []string
	for i := range optionTable {
		if optionTable[i].secret && o.given[i] && o.values[i] != "" {
			secrets = append(secrets, o.values[i])
		}
	}
	return secrets
}
