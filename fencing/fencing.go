// Package fencing says what fencing means on OVH (DESIGN.md D1): a server is "off"
// once a hard reboot into the rescue (or power) netboot has finished and the state
// has been read back; "on" is the same with the disk netboot. Nothing here reports
// success before the OVH reboot task is done.
package fencing

import (
	"context"
	"time"

	"github.com/ovhfence/ovhfence/ovhapi"
)

// API is the part of *ovhapi.Client that fencing uses.
type API interface {
	ListServers(ctx context.Context) ([]string, error)
	GetServer(ctx context.Context, sn string) (ovhapi.Server, error)
	ListBoots(ctx context.Context, sn, bootType string) ([]int64, error)
	GetBoot(ctx context.Context, sn string, id int64) (ovhapi.Boot, error)
	SetBoot(ctx context.Context, sn string, bootID int64, rescueMail string) error
	Reboot(ctx context.Context, sn string) (task ovhapi.Task, followed bool, err error)
	GetTask(ctx context.Context, sn string, id int64) (ovhapi.Task, error)
	CurrentCredential(ctx context.Context) (ovhapi.Credential, error)
}

// Mode is how a server is kept off.
type Mode string

const (
	// ModeRescue reboots into OVH's rescue system: works on every range, the
	// cluster's OS no longer runs.
	ModeRescue Mode = "rescue"
	// ModePoweroff reboots into the "power" netboot, which really stops the server.
	ModePoweroff Mode = "poweroff"
)

// Method is how reboot is done.
type Method string

const (
	// MethodCycle is one verified hard reboot to disk.
	MethodCycle Method = "cycle"
	// MethodOnOff is a verified off followed by a verified on.
	MethodOnOff Method = "onoff"
)

// Power is a server's fencing state.
type Power int

const (
	PowerOn Power = iota
	PowerOff
)

func (p Power) String() string {
	if p == PowerOff {
		return "OFF"
	}
	return "ON"
}

// Target is one server to fence and how.
type Target struct {
	Server     string
	Mode       Mode
	Boots      BootIDs // zero IDs are discovered when needed
	RescueMail string  // where OVH mails the rescue credentials; "" keeps the server's setting
}

// Result is what a successful action did.
type Result struct {
	Already bool          // the server was already in the wanted state; nothing was changed
	Elapsed time.Duration // from the start of the action to the verified state
}

// Event reports progress, for the wizard's live test and for debug logs.
type Event struct {
	Server  string
	Step    string // "boot", "reboot", "task", "verify"
	Task    ovhapi.Task
	Elapsed time.Duration
}

// Fencer runs fencing actions. The zero durations mean: PollInterval 2 s,
// Timeout unbounded (the caller's context still applies), PowerWait none.
type Fencer struct {
	API          API
	PollInterval time.Duration // between task polls (stonith_status_sleep)
	Timeout      time.Duration // bound on one action, per phase of an onoff reboot (power_timeout)
	PowerWait    time.Duration // pause after the reboot request before polling (power_wait)
	Logf         func(format string, args ...any)
	Warnf        func(format string, args ...any) // what the operator should see; nil: Logf
	Progress     func(Event)
}

const defaultPollInterval = 2 * time.Second

func (f *Fencer) logf(format string, args ...any) {
	if f.Logf != nil {
		f.Logf(format, args...)
	}
}

func (f *Fencer) progress(ev Event) {
	if f.Progress != nil {
		f.Progress(ev)
	}
}

func (f *Fencer) pollInterval() time.Duration {
	if f.PollInterval > 0 {
		return f.PollInterval
	}
	return defaultPollInterval
}
