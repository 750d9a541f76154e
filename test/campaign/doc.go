// Package campaign is the randomized race-and-fault campaign of fence_ovh
// (issue 8, DESIGN.md D1): several agents at once, as several cluster nodes
// would, run the real fence_ovh binary (stdin key=value, as Pacemaker does)
// with random off / on / reboot / status / list on shared servers of ovhsim,
// while a chaos loop injects every fault the simulator offers, changes task
// durations (0–500 ms), sets boots by hand, reboots from the OVH manager (one into
// the disk hidden behind the power netboot set by hand right after) and
// kills agents mid-action (as Pacemaker does on its timeout), in both netboot
// read models. Now and then an agent whose key may not read netboots gets a
// device misconfigured with the disk as its off netboot, which only the
// agent's own rule can refuse. An oracle checks every claim, when it is
// printed, against the simulator's ground truth.
//
// # What each claim means in ground truth
//
// Ground truth (ovhsim/groundtruth.go) says which OS a server runs — disk (the
// cluster node's own OS), rescue, ipxe, poweroff, or booting (a hard reboot has
// taken it down) — since when, and which hard reboots are pending and, once
// OVH has read the netboot (at the request or when the task reaches doing,
// depending on the model), which OS each will boot: a committed boot.
//
// Let S be the moment the action started and T the moment a claim is printed.
// The claim is about the server named by plug, in the fence_mode the device
// is configured with:
//
//   - Status: OFF, Success: Powered OFF, Success: Already OFF — the node is
//     fenced at T and nothing already set in motion unfences it. In rescue mode:
//     the server does not run its disk OS at T, and no pending reboot is
//     committed to boot the disk. In poweroff mode: the server is powered off at
//     T (it runs the power netboot, or a reboot into it has taken it down), and
//     no pending reboot is committed to boot anything else. A reboot whose netboot is not read yet (the at-boot model)
//     commits nothing: whoever sets the netboot afterwards acts after the claim.
//   - Success: Powered ON — the server runs its disk OS at T (or a reboot into
//     the disk has taken it down), booted (taken down) after S: the action did
//     restart it; and no pending reboot is committed to boot anything else.
//   - Success: Already ON — the server runs its disk OS at T (or a reboot into
//     the disk has taken it down) and no pending reboot is committed to boot
//     anything else.
//   - Success: Rebooted — the node's OS that ran at S is gone: at T the server
//     does not run a disk OS booted before S. (With method onoff a failed on
//     still prints Rebooted, as fence-agents does; the server is then fenced.)
//   - Status: ON makes no claim: it is the safe answer, never counted false.
//
// T is not known to the nanosecond: the agent prints between its last OVH
// request (the last time it could look) and the moment the campaign reads the
// line. A claim is false only if ground truth contradicts it at every instant
// of that window, so an agent is never blamed for a change it could not see.
//
// A claim is interfered with when a manual actor (a boot set by hand, a reboot
// from the OVH manager) touched its server between S and T; such claims are
// checked and counted apart, and a contradicted one is reported but does not
// fail the campaign. Other agents are no excuse, and neither is anything
// present before S (a reboot already pending, a boot set by hand earlier).
//
// # The unobservable A-B-A: an API limit, counted apart
//
// OVH's API has no compare-and-set on the netboot, and nothing tells which
// netboot a hard reboot read, or when. So, in the at-request model, agent X
// can write the off netboot A, another agent's on can write the disk netboot
// B just before X's reboot request, and a third agent can write A back just
// after it: every read X can make shows A, X's observations are the same as
// if B never happened, and no guard of X can tell. The at-boot model has the
// same race around the moment X's reboot task begins, which X cannot see
// either: B written after X's last read before it, A back before X's first
// read after it. Such a false claim is an unobservable A-B-A when, in ground
// truth (ovhsim records every netboot write, reboot request, task start, and
// API read of the server or of one of its tasks (not of the task list), in
// the order they happened):
//
//  1. R, X's last hard reboot request in the action (before the claim), read
//     its netboot at a moment M: the request itself in the at-request model,
//     the going down of R's task in the at-boot model;
//  2. the netboot M read was written by B, a PUT of another actor than X; X's
//     own last netboot PUT before R, A, is inside the action, before B, and
//     another netboot than B;
//  3. X read the server at least once after M, and every read of X after B up
//     to the claim showed A: the netboot was set back to A before X's first
//     read after M, and no read of X could see B; and X made the reads its
//     protocol owes: one right after the request (no poll of R's task by X
//     before it), and, in the at-boot model, one right after the first poll
//     that saw R's task begun or done (at most one poll between M and X's
//     first read after M). An agent that skipped one of those is not
//     excused. The class cannot tell a dense poll from a sparse one, so it
//     would excuse an agent that skipped the reads at dense polls:
//     TestStagedGuards/densecheck catches that instead;
//  4. the claim is false because of R: the server's last going down or coming
//     up before the claim was R's coming up (its task done), and no hard
//     reboot was asked after R (X's last look lists any such reboot, so it is
//     observable);
//  5. neither A nor B is the server's power netboot: a reboot into or out of
//     it changes the powerState X reads back (poweroff mode's off fails on it,
//     and so does an on), so it is observable.
//
// Such claims are counted and reported apart ("unobservable A-B-A, API
// limit", with the seed, the replay command and the trace) and do not fail
// the campaign; every other false claim does, including one where B was
// visible to a read of X, came before X's own PUT, or where R read X's own
// netboot. The definition is coded once, in unobservableABA (aba.go).
//
// # Other failures
//
//   - an action that created more hard reboot tasks than it may: off and reboot
//     cycle one, on one per attempt (1 + retry_on), reboot onoff one for the off
//     and one per attempt of the on; status and list none;
//   - an exit code other than 0, 1 or 2, or 2 from anything but status;
//   - more than one "Failed:" line;
//   - a request answered with a 4xx that retrying cannot change (not 429, not a
//     task's 404) sent again at once (the simulator's request log);
//   - a success line with a non-zero exit, or exit 0 from off, on or reboot
//     without one.
//
// With -serialize, agents never act on the same server at once (as one
// cluster's fencer runs one action per target); manual acts, faults and kills
// go on. It separates what concurrent agents cause from the rest; the default
// runs them concurrently, since other agents are no excuse.
//
// Each failure prints its seed and a replay command. The agents run
// concurrently, so a replay repeats the same random choices, not the same
// interleaving: run it a few times, or with more actions.
//
// Run it long with
//
//	go test ./test/campaign -run Campaign -count=1 -timeout 0 -args -actions 20000 -seed N
//
// CI (CI set) runs 2,000 actions; otherwise a short run.
package campaign
