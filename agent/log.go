package agent

import (
	"fmt"
	"io"
	"log/syslog"
	"strings"
	"sync"
	"time"

	"github.com/ovhfence/ovhfence/atomicfile"
	"github.com/ovhfence/ovhfence/safetext"
)

// logger writes fence-agents style lines ("2006-01-02 15:04:05,000 LEVEL: msg") to
// stderr (unless quiet), syslog and an optional debug file. Debug lines appear only
// when verbose. Every line is scrubbed of the secrets it was told about, so a
// secret quoted by a library error can still not leak (DESIGN.md D4).
type logger struct {
	mu      sync.Mutex
	stderr  io.Writer // nil when quiet
	file    io.WriteCloser
	syslog  *syslog.Writer
	verbose bool
	secrets []string
}

func newLogger(stderr io.Writer, quiet, verbose bool) *logger {
	l := &logger{verbose: verbose}
	if !quiet {
		l.stderr = stderr
	}
	// No syslog daemon (containers, CI) is not an error for a fence agent.
	if w, err := syslog.New(syslog.LOG_DAEMON|syslog.LOG_INFO, "fence_ovh"); err == nil {
		l.syslog = w
	}
	return l
}

// openDebugFile appends to path, as fence-agents' --debug-file does, never
// through a link and only to a regular file (atomicfile's append rule).
func (l *logger) openDebugFile(path string) error {
	f, err := atomicfile.OpenAppend(path)
	if err != nil {
		return err
	}
	l.file = f
	return nil
}

// minSecretLen: OVH secrets and consumer keys are 32 characters. Masking a
// value of a few characters (a test's "x") would garble every line instead.
const minSecretLen = 8

// hide registers a secret to be masked in every later line.
func (l *logger) hide(secret string) {
	if len(secret) >= minSecretLen {
		l.secrets = append(l.secrets, secret)
	}
}

func (l *logger) scrub(s string) string {
	for _, secret := range l.secrets {
		s = strings.ReplaceAll(s, secret, "****")
	}
	return s
}

func (l *logger) debugf(format string, args ...any) {
	if l.verbose {
		l.write("DEBUG", fmt.Sprintf(format, args...))
	}
}

func (l *logger) warnf(format string, args ...any) {
	l.write("WARNING", fmt.Sprintf(format, args...))
}

// failed logs the one "Failed: …" line that ends an unsuccessful run.
func (l *logger) failed(msg string) {
	l.write("ERROR", "Failed: "+msg)
}

// maxLogLine bounds one log line; OVH's own text within it is already cut to
// safetext.MaxLen by ovhapi.
const maxLogLine = 4096

// write logs one line. A message is made one line without control characters
// (safetext), so no text quoted from OVH can forge a line of its own, such as
// "Success: Powered OFF", nor send terminal escapes.
func (l *logger) write(level, msg string) {
	msg = safetext.Clip(l.scrub(strings.TrimRight(msg, "\n")), maxLogLine)
	l.mu.Lock()
	defer l.mu.Unlock()
	line := time.Now().Format("2006-01-02 15:04:05,000") + " " + level + ": " + msg + "\n"
	if l.stderr != nil {
		io.WriteString(l.stderr, line)
	}
	if l.file != nil {
		io.WriteString(l.file, line)
	}
	if l.syslog != nil {
		switch level {
		case "ERROR":
			l.syslog.Err(msg)
		case "WARNING":
			l.syslog.Warning(msg)
		default:
			l.syslog.Debug(msg)
		}
	}
}

func (l *logger) close() {
	if l.file != nil {
		l.file.Close()
	}
	if l.syslog != nil {
		l.syslog.Close()
	}
}
