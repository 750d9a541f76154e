package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ovhfence/ovhfence/keys"
	"github.com/ovhfence/ovhfence/ovhapi"
)

// Nagios plugin exit codes (monitoring-plugins' guidelines), used by
// `ovhfence check --nagios`, which cron runs on cman clusters.
const (
	nagiosOK       = 0
	nagiosWarning  = 1
	nagiosCritical = 2
	nagiosUnknown  = 3
)

var nagiosStates = [...]string{"OK", "WARNING", "CRITICAL", "UNKNOWN"}

// expiryWarning is how long before its expiration a key with limited validity
// raises a WARNING; until then monitoring stays quiet (plain check reports it).
const expiryWarning = 30 * 24 * time.Hour

// nagiosStatus turns a check report into one status line and its exit code:
// CRITICAL if fencing cannot work as configured, WARNING if the key expires
// within expiryWarning, UNKNOWN if OVH could not be reached to tell, OK else.
func nagiosStatus(report keys.Report, now time.Time) (int, string) {
	if report.Unusable != nil {
		if ovhapi.Retryable(report.Unusable) {
			return nagiosLine(nagiosUnknown, "cannot reach OVH to check the key: %v", report.Unusable)
		}
		return nagiosLine(nagiosCritical, "%s", strings.Join(report.Problems(), "; "))
	}
	// What is left once expiry and unreachable servers are set aside is a key
	// that is wrong now.
	definite := report
	definite.Unreadable = nil
	if exp := report.Expiration; exp != nil && exp.After(now) {
		definite.Expiration = nil
	}
	var unreachable []string
	for _, u := range report.Unreadable {
		if ovhapi.Retryable(u.Err) {
			unreachable = append(unreachable, u.Server)
		} else {
			definite.Unreadable = append(definite.Unreadable, u)
		}
	}
	if len(definite.Problems()) > 0 {
		problems := report.Problems() // all of them, so the line says everything check would
		return nagiosLine(nagiosCritical, "%s: %s", keys.ProblemCount(len(problems)), strings.Join(problems, "; "))
	}
	if exp := report.Expiration; exp != nil && exp.Sub(now) < expiryWarning {
		expiry := keys.Report{Status: ovhapi.CredentialValidated, Expiration: exp}
		return nagiosLine(nagiosWarning, "%s", strings.Join(expiry.Problems(), "; "))
	}
	if len(unreachable) > 0 {
		return nagiosLine(nagiosUnknown, "cannot reach OVH to read %s", strings.Join(unreachable, ", "))
	}
	note := ""
	if exp := report.Expiration; exp != nil {
		note = ", but it expires on " + exp.UTC().Format("2006-01-02")
	}
	return nagiosLine(nagiosOK, "the key can fence %s and nothing more%s", strings.Join(report.Servers, ", "), note)
}

// nagiosLine is "OVHFENCE STATE: text" on one line. A "|" would start Nagios
// performance data, so none is left in the text.
func nagiosLine(code int, format string, args ...any) (int, string) {
	text := fmt.Sprintf(format, args...)
	text = strings.NewReplacer("\n", " ", "\r", " ", "|", "/").Replace(text)
	return code, "OVHFENCE " + nagiosStates[code] + ": " + text
}

// printNagios writes the status line of report and returns its exit code.
func printNagios(w io.Writer, report keys.Report) int {
	code, line := nagiosStatus(report, time.Now())
	fmt.Fprintln(w, line)
	return code
}

// nagiosFailure reports what kept check from running: bad flags are UNKNOWN
// (the plugin was called wrongly); an unusable configuration, such as a missing
// or unsafe ovh.conf, is CRITICAL, because the fence agent would fail the same way.
func nagiosFailure(w io.Writer, code int, err error) int {
	code, line := nagiosLine(code, "%v", err)
	fmt.Fprintln(w, line)
	return code
}
