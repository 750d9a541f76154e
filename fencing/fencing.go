// Package fencing says what fencing means on OVH (DESIGN.md D1): a server is "off"
// once a hard reboot into the rescue (or power) netboot has finished and the state
// has been read back; "on" is the same with the disk netboot.
//
// A false claim lets two nodes write the same disks, so every claim this package
// makes needs a proof, stated here once and enforced in the code named:
//
//   - Powered OFF / Powered ON / Rebooted (rebootInto, verify): the hard reboot
//     task our own request created, right after our netboot change, is done, its
//     body is that task (taskId and function hardReboot), and the server read back
//     afterwards is set to our netboot (and, when off means poweroff, reports
//     powerState poweroff). A hard reboot our request did not create (pending
//     before the change, another node's, or one found after a lost answer) proves
//     nothing: it is followed to its end, then our change and request are made
//     again, back to back. The netboot must still be ours when checked, and no
//     hard reboot may have begun after ours: either could let another netboot
//     start. The checks follow the fair-use schedule (nextPoll): right after the
//     reboot request, the server's netboot is ours; at each dense task poll
//     (densePoll: the reboot is due, polls a stonith_status_sleep apart), and
//     at the first poll that sees the task doing (when OVH may read the
//     netboot), the task, then the server's netboot; at each other sparse poll (before the reboot is
//     due, or long past it), the task only, to stay within OVH's 60 calls a
//     minute per key; once the task is done (verify), no hard reboot newer than
//     ours is listed, then the server read back is set to our netboot, the two
//     answered within a poll interval of each other, else both are read again
//     (a later reboot purged from the list leaves its netboot change for the
//     read; a retried call leaves time for a whole foreign reboot). A netboot
//     change and change-back wholly between two checks goes unseen at any poll
//     rate (a known limit); a reboot asked with it is caught by the read-back's
//     task list. The worst case is an A-B-A around the moment our reboot
//     reads the netboot: another node's netboot written just before it, and
//     ours written back before our next read. If OVH reads it at the request,
//     that moment is between our change and our request; if when the reboot
//     begins, between two of our server reads. Nothing in the API shows it (no
//     compare-and-set, no field naming the netboot a reboot read, or when):
//     test/campaign defines it strictly, stages it (TestStagedABA) and counts
//     it apart.
//   - Already OFF (provenOff): powerState poweroff, the off netboot set, no hard
//     reboot pending, and the task list unchanged around the server read. While any
//     hard reboot is pending there is never an "Already".
//   - Status: OFF (provenOff): powerState poweroff on a netboot that is not the disk,
//     with no hard reboot pending, as above. A server set to a rescue netboot and
//     powered on answers ON: the API cannot tell one running the rescue system from
//     one merely set to boot it.
//   - Already ON: never. The API cannot prove that a server runs its disk: a disk
//     netboot set by another node's on that has not rebooted yet (or left by one
//     that was killed) reads the same as one a finished reboot started. So on
//     always reboots to the disk and claims Powered ON as above.
//   - Answers (ovhapi): a server body is that server's only if its name matches, a
//     task body only if its taskId does (and, here, its function is hardReboot);
//     null or {} is an error, never ON or an empty list.
//   - Netboots (checkedOffBoot): the off netboot is never the disk netboot, and when
//     the key may read it, its type is rescue (rescue mode) or power (poweroff mode).
//   - Retries (ovhapi.Options.MaxAttempts < 0, waitTask): 5xx, 429 (after its
//     Retry-After), dropped connections, a slow or failing /auth/time and a 404 on a
//     task younger than 5 minutes are retried with capped, jittered backoff until the
//     action's deadline, each retry a warning. Only the deadline, a final task state
//     or a 4xx that retrying cannot change ends an action.
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
	ListTasks(ctx context.Context, sn, function, status string) ([]int64, error)
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
	// PowerOnErr is why the on of an onoff reboot failed after a verified off:
	// the server is fenced, and the reboot counts as done (as in fence-agents).
	PowerOnErr error
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
	Timeout      time.Duration // bound on one action, per attempt and per phase of an onoff reboot (power_timeout)
	PowerWait    time.Duration // pause after the reboot request before polling (power_wait)
	// RebootTime is how long a hard reboot usually takes (reboot_time): until it
	// is near, task polls are sparse (nextPoll); 0 assumes TypicalRebootTime.
	RebootTime time.Duration
	// RetryOn is how many times a failed on is tried again (retry_on): On makes
	// 1 + RetryOn attempts, the on of an onoff reboot max(RetryOn, 1), as fence-agents.
	RetryOn  int
	Logf     func(format string, args ...any)
	Warnf    func(format string, args ...any) // retries and failed attempts; nil → Logf
	Progress func(Event)
	Clock    Clock // what the waits are measured with; nil: the real clock
}

const defaultPollInterval = 2 * time.Second

func (f *Fencer) logf(format string, args ...any) {
	if f.Logf != nil {
		f.Logf(format, args...)
	}
}

func (f *Fencer) warnf(format string, args ...any) {
	if f.Warnf != nil {
		f.Warnf(format, args...)
		return
	}
	f.logf(format, args...)
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
