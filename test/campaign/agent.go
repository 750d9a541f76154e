package campaign

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/ovhfence/ovhfence/ovhsim"
)

// agentKnows reports whether the agent's metadata lists the parameter, so the
// campaign passes newer parameters only to an agent that takes them.
func agentKnows(agent, param string) (bool, error) {
	out, err := exec.Command(agent, "-o", "metadata").Output()
	if err != nil {
		return false, fmt.Errorf("%s -o metadata: %w", agent, err)
	}
	return bytes.Contains(out, []byte(`name="`+param+`"`)), nil
}

// agentNode is one cluster node running fence_ovh with its own key.
type agentNode struct {
	p          *phase
	id         int
	conf       string
	ck         string
	actor      string // the simulator's name for the key
	readsBoots bool   // the key may read netboots
	rng        *rand.Rand
}

// action is one run of fence_ovh and what came of it.
type action struct {
	name   string
	server server
	stdin  []string
	start  time.Time
	end    time.Time
	lines  []printed // stdout lines
	stderr string
	code   int // -1 when killed
	killed bool
	// maxReboots is how many hard reboot tasks the action may create.
	maxReboots int
}

// printed is one stdout line with the window it was printed in: between the
// agent's last OVH request and the moment the campaign read it.
type printed struct {
	text     string
	from, to time.Time
}

var actionWeights = []struct {
	name   string
	weight int
}{{"off", 30}, {"on", 25}, {"reboot", 15}, {"status", 25}, {"list", 5}}

func (a *agentNode) pickAction() string {
	n := a.rng.Intn(100)
	for _, w := range actionWeights {
		if n < w.weight {
			return w.name
		}
		n -= w.weight
	}
	return "status"
}

// act runs one random action and judges it.
func (a *agentNode) act() {
	target := a.p.hot
	if a.rng.Intn(2) == 0 {
		target = a.rng.Intn(len(a.p.servers))
	}
	act := action{name: a.pickAction(), server: a.p.servers[target]}
	act.stdin = a.stdin(&act)
	var killAfter time.Duration
	if act.name == "off" || act.name == "on" || act.name == "reboot" {
		if a.rng.Intn(100) < 5 {
			killAfter = time.Duration(a.rng.Intn(800)) * time.Millisecond
		}
	}
	if a.p.cfg.Serialize {
		act.server.serial.Lock()
		defer act.server.serial.Unlock()
	}
	a.run(&act, killAfter)
	a.p.record(a.judge(&act))
}

// stdin is what Pacemaker would send, with random but sensible timings.
func (a *agentNode) stdin(act *action) []string {
	seed := act.server.seed
	lines := []string{
		"action=" + act.name,
		"nodename=node" + fmt.Sprint(a.id+1),
		"plug=" + seed.Name,
		"ovh_config=" + a.conf,
		"endpoint=" + a.p.url + "/1.0",
		"fence_mode=" + act.server.mode,
		fmt.Sprintf("stonith_status_sleep=0.0%d", 1+a.rng.Intn(5)),
		fmt.Sprintf("power_timeout=%d", []int{1, 2, 4}[a.rng.Intn(3)]),
		"login_timeout=1",
		"shell_timeout=2",
		"verbose=1",
	}
	retryOn := a.rng.Intn(3)
	lines = append(lines, fmt.Sprintf("retry_on=%d", retryOn))
	if a.p.rebootTime {
		lines = append(lines, fmt.Sprintf("reboot_time=0.%d", 1+a.rng.Intn(5))) // tasks here take 0–500 ms
	}
	switch {
	case !a.readsBoots && a.rng.Intn(100) < 3:
		// A device misconfigured with the disk as its off netboot, on a key that
		// may not read netboots: only the agent's own rule refuses it (the key
		// cannot show the netboot's type); any claim it lets through is false.
		lines = append(lines, "rescue_boot_id=1", "power_boot_id=1", "disk_boot_id=1")
	case !a.readsBoots || a.rng.Intn(4) != 0:
		lines = append(lines, fmt.Sprintf("rescue_boot_id=%d", seed.RescueBootID), fmt.Sprintf("power_boot_id=%d", seed.PowerBootID), "disk_boot_id=1")
	}
	switch act.name {
	case "off":
		act.maxReboots = 1
	case "on":
		act.maxReboots = 1 + retryOn
	case "reboot":
		method := []string{"cycle", "onoff"}[a.rng.Intn(2)]
		lines = append(lines, "method="+method)
		act.maxReboots = 1
		if method == "onoff" {
			act.maxReboots = 2 + retryOn
		}
	}
	return lines
}

// run runs fence_ovh, stamping each stdout line as it is read.
func (a *agentNode) run(act *action, killAfter time.Duration) {
	cmd := exec.Command(a.p.cfg.Agent)
	cmd.Env = []string{"PATH=/usr/bin:/bin"}
	cmd.Stdin = strings.NewReader(strings.Join(act.stdin, "\n") + "\n")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		panic(err)
	}
	act.start = a.p.sim.Now()
	if err := cmd.Start(); err != nil {
		panic(err)
	}
	if killAfter > 0 {
		timer := time.AfterFunc(killAfter, func() { cmd.Process.Signal(syscall.SIGKILL) })
		defer timer.Stop()
	}
	scanner := bufio.NewScanner(stdout)
	for scanner.Scan() {
		to := a.p.sim.Now()
		act.lines = append(act.lines, printed{text: scanner.Text(), from: a.p.watch.lastRequest(a.ck), to: to})
	}
	err = cmd.Wait()
	act.end = a.p.sim.Now()
	act.stderr = stderr.String()
	act.code = cmd.ProcessState.ExitCode()
	if status, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && status.Signaled() {
		act.killed = true
	}
}

var numbers = regexp.MustCompile(`[0-9]+`)

// judge checks the action's claims against ground truth and its other
// invariants; each failure carries a replay command and a trace.
func (a *agentNode) judge(act *action) Summary {
	sum := newSummary()
	sum.Actions = 1
	if act.killed {
		sum.Kills = 1
	}
	events := act.server.truth.upToDate()
	var problems []string
	successes := 0
	for _, line := range act.lines {
		if strings.HasPrefix(line.text, "Success:") {
			successes++
		}
		if !claims[line.text] {
			continue
		}
		sum.Claims++
		sum.ByClaim[line.text]++
		touch, interfered := manualTouch(events, act.start, line.to)
		if interfered {
			sum.Interfered++
		}
		if !falseThroughout(events, line.text, act.server.mode, act.start, line.from, line.to) {
			continue
		}
		st := stateAt(events, line.to)
		cause := "always"
		if e, found := becameFalse(events, line.text, act.server.mode, act.start, line.from); found {
			cause = fmt.Sprintf("since %s, %s before the agent's last request", e, line.from.Sub(e.At).Round(time.Millisecond))
		}
		what := fmt.Sprintf("FALSE CLAIM %q (%s mode): at %s the server runs %s since %s, pending reboots (task: committed OS) %v; false %s [looks like %s]",
			line.text, act.server.mode, line.to.Format("15:04:05.000"), st.os, clock(st.since), st.pending, cause,
			a.knownBug(act, line.text, st))
		if interfered {
			sum.FalseInterfered++
			fmt.Fprintf(a.p.cfg.Log, "contradicted claim with manual interference (%s), not a failure: %s\n", touch, what)
			continue
		}
		if race, ok := unobservableABA(events, a.actor, act.server.seed.PowerBootID, act.start, line.to); ok {
			sum.ABA++
			fmt.Fprintf(a.p.cfg.Log, "%s  the race: %s\n", a.trace(act, "UNOBSERVABLE A-B-A (API limit, not a failure),", []string{what}, events), race)
			continue
		}
		sum.False++
		problems = append(problems, what)
	}
	failedLines := strings.Count(act.stderr, "Failed:") + strings.Count(joinLines(act.lines), "Failed:")
	if !act.killed {
		switch {
		case act.code < 0 || act.code > 2:
			problems = append(problems, fmt.Sprintf("exit code %d", act.code))
		case act.code == 2 && act.name != "status":
			problems = append(problems, "exit code 2 from "+act.name)
		case act.code != 0 && successes > 0:
			problems = append(problems, fmt.Sprintf("a success line with exit code %d", act.code))
		case act.code == 0 && successes != 1 && (act.name == "off" || act.name == "on" || act.name == "reboot"):
			problems = append(problems, fmt.Sprintf("exit 0 with %d success lines", successes))
		}
		if failedLines > 1 {
			problems = append(problems, fmt.Sprintf("%d Failed: lines", failedLines))
		}
		if act.code == 1 {
			sum.Failed[failedReason(act.stderr)]++
		}
	}
	if r, ok := retriedAfter4xx(a.requests(act)); ok {
		problems = append(problems, fmt.Sprintf("%s %s answered %d was sent again at once: a 4xx that retrying cannot change was retried", r.Method, r.Path, r.Status))
	}
	if n := rebootsBy(events, a.actor, act.start, act.end); n > act.maxReboots {
		problems = append(problems, fmt.Sprintf("%d hard reboot tasks created, at most %d allowed", n, act.maxReboots))
	}
	sum.Other = len(problems) - sum.False
	if len(problems) > 0 {
		sum.Failures = append(sum.Failures, a.trace(act, "FAILURE", problems, events))
	}
	return sum
}

// clock shows a ground-truth time; the zero time is the simulator's start.
func clock(t time.Time) string {
	if t.IsZero() {
		return "the start"
	}
	return t.Format("15:04:05.000")
}

func joinLines(lines []printed) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l.text + "\n")
	}
	return b.String()
}

// failedReason is the Failed: line with its numbers masked, for the summary.
func failedReason(stderr string) string {
	for _, line := range strings.Split(stderr, "\n") {
		if _, msg, ok := strings.Cut(line, "Failed: "); ok {
			if len(msg) > 110 {
				msg = msg[:110] + "…"
			}
			return numbers.ReplaceAllString(msg, "N")
		}
	}
	return "(no Failed: line)"
}

// requests are the OVH calls the agent made during act, as the simulator logged
// them (whether a fault answered them included).
func (a *agentNode) requests(act *action) []ovhsim.LoggedRequest {
	var out []ovhsim.LoggedRequest
	for _, r := range a.p.sim.Requests() {
		if r.ConsumerKey == a.actor[len("key "):] && !r.Time.Before(act.start) && !r.Time.After(act.end) {
			out = append(out, r)
		}
	}
	return out
}

// knownBug names the issue-8 item a false claim looks like, to file seeds.
func (a *agentNode) knownBug(act *action, claim string, st truthAt) string {
	_, toDisk := st.pendingInto(ovhsim.OSDisk)
	switch {
	case claim == claimStatusOff:
		return "item 2: OFF from the boot setting"
	case claim == claimAlreadyOff && toDisk:
		return "item 1: Already OFF with a reboot to disk pending"
	case claim == claimAlreadyOn && st.os != ovhsim.OSDisk && diskSetByHand(act.server.truth.upToDate(), act.end):
		return "the known limit of item 5: the disk netboot set by hand without a reboot"
	case claim == claimAlreadyOn && st.os != ovhsim.OSDisk:
		return "item 5: Already ON while not running the disk"
	}
	for _, r := range a.requests(act) {
		if r.Auth == "faulted" && r.Status == 200 {
			return "item 4: a body that is not ours taken for our task or server"
		}
	}
	for _, e := range act.server.truth.upToDate() {
		if e.Kind == ovhsim.EventBoot && e.Actor != a.actor && !e.At.Before(act.start) && !e.At.After(act.end) {
			return "a race: another agent set the netboot during the action"
		}
	}
	return "not a known item"
}

// diskSetByHand reports whether the netboot was last written by hand, to the
// disk, after the server's latest reboot request.
func diskSetByHand(events []ovhsim.TruthEvent, before time.Time) bool {
	for i := len(events) - 1; i >= 0; i-- {
		e := events[i]
		switch {
		case e.At.After(before):
		case e.Kind == ovhsim.EventReboot:
			return false
		case e.Kind == ovhsim.EventBoot:
			return e.Actor == ovhsim.ActorManual && e.BootID == 1
		}
	}
	return false
}

// retriedAfter4xx finds a request answered with a 4xx that retrying cannot
// change, directly followed by the same request: the retry rule (fencing's
// package doc) retries 5xx, 429, dropped connections, bad answers and a young
// task's 404, never another 4xx. (A reboot answered TaskAlreadyExists is
// followed by reads of the task, not by the same request.) The log is in the
// order answers were finished: a dropped connection (status 0) may be logged
// after the answer to the request Go's transport sent again in its place, so
// dropped ones are skipped.
func retriedAfter4xx(reqs []ovhsim.LoggedRequest) (ovhsim.LoggedRequest, bool) {
	var answered []ovhsim.LoggedRequest
	for _, r := range reqs {
		if r.Status != 0 {
			answered = append(answered, r)
		}
	}
	for i := 0; i+1 < len(answered); i++ {
		r, next := answered[i], answered[i+1]
		final := r.Status >= 400 && r.Status < 500 && r.Status != http.StatusTooManyRequests &&
			!(r.Status == http.StatusNotFound && strings.Contains(r.Path, "/task/"))
		if final && next.Method == r.Method && next.Path == r.Path && next.Query == r.Query && next.Body == r.Body {
			return r, true
		}
	}
	return ovhsim.LoggedRequest{}, false
}

// rebootsBy counts the hard reboot tasks actor created in [from, to].
func rebootsBy(events []ovhsim.TruthEvent, actor string, from, to time.Time) int {
	n := 0
	for _, e := range events {
		if e.Kind == ovhsim.EventReboot && e.Actor == actor && !e.At.Before(from) && !e.At.After(to) {
			n++
		}
	}
	return n
}

// trace is a failure's report: seed, replay command, the action, its output,
// its OVH requests and the server's ground truth around it.
func (a *agentNode) trace(act *action, title string, problems []string, events []ovhsim.TruthEvent) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s seed %d, netboot read at %s, agent %d (%s), %s on %s:\n", title, a.p.cfg.Seed, a.p.model, a.id, a.actor, act.name, act.server.seed.Name)
	for _, p := range problems {
		fmt.Fprintf(&b, "  - %s\n", p)
	}
	fmt.Fprintf(&b, "  replay: %s\n", a.p.replay())
	fmt.Fprintf(&b, "  action %s → %s, exit %d, killed %v\n", act.start.Format("15:04:05.000"), act.end.Format("15:04:05.000"), act.code, act.killed)
	fmt.Fprintf(&b, "  stdin: %s\n", strings.Join(act.stdin, " "))
	for _, l := range act.lines {
		fmt.Fprintf(&b, "  stdout [%s, %s]: %s\n", l.from.Format("15:04:05.000"), l.to.Format("15:04:05.000"), l.text)
	}
	for _, l := range strings.Split(strings.TrimSpace(act.stderr), "\n") {
		fmt.Fprintf(&b, "  stderr: %s\n", l)
	}
	for _, r := range a.requests(act) {
		fmt.Fprintf(&b, "  request: %s %s %s → %d (%s)\n", r.Time.Format("15:04:05.000"), r.Method, r.Path, r.Status, r.Auth)
	}
	b.WriteString("  ground truth (from 3 s before the action; reads by this agent only):\n")
	for _, e := range events {
		if (e.Kind == ovhsim.EventRead || e.Kind == ovhsim.EventTaskRead) && e.Actor != a.actor {
			continue
		}
		if !e.At.Before(act.start.Add(-3*time.Second)) && !e.At.After(act.end) {
			fmt.Fprintf(&b, "    %s\n", e)
		}
	}
	return b.String()
}
