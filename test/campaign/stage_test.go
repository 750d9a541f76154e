package campaign

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/ovhsim"
)

// staged drives the real fence_ovh, as agent X, into one exact moment: the
// simulator sits behind a proxy that hands each of X's requests to around,
// which may act (through other keys, faults or the simulator itself) before
// and after the simulator answers it; the campaign's oracle then judges what
// X printed against ground truth.
type staged struct {
	t        *testing.T
	sim      *ovhsim.Sim
	seed     ovhsim.ServerSeed // X's server: the first with a power netboot
	endpoint string
	xAK, xAS string
	xCK      string // X's consumer key
	// around, when set before the run, gets each of X's requests; answer has
	// the simulator answer it (when around does not, it is answered after).
	around func(r *http.Request, answer func()) error
	mu     sync.Mutex
	lastX  time.Time // when the simulator last answered X
}

func newStaged(t *testing.T, cfg ovhsim.Config) *staged {
	s := &staged{t: t, sim: ovhsim.New(cfg)}
	servers := cfg.Servers
	if servers == nil {
		servers = ovhsim.DefaultServers()
	}
	for _, s.seed = range servers {
		if s.seed.PowerBootID != 0 {
			break
		}
	}
	s.xAK, s.xAS, s.xCK = s.sim.CreateToken(ovhsim.FencingRules(s.seed.Name))
	server := httptest.NewServer(s)
	t.Cleanup(server.Close)
	s.endpoint = server.URL + "/1.0"
	return s
}

// otherKey is another API key with X's rules: another node of the cluster.
func (s *staged) otherKey() *ovhapi.Client { return s.otherKeyOn(s.seed.Name) }

// otherKeyOn is another node's key with the fencing rules of server sn.
func (s *staged) otherKeyOn(sn string) *ovhapi.Client {
	ak, as, ck := s.sim.CreateToken(ovhsim.FencingRules(sn))
	client, err := ovhapi.New(ovhapi.Config{Endpoint: s.endpoint, ApplicationKey: ak, ApplicationSecret: as, ConsumerKey: ck}, ovhapi.Options{})
	if err != nil {
		s.t.Fatal(err)
	}
	return client
}

// actor is X as ground truth names it.
func (s *staged) actor() string { return "key ****" + s.xCK[len(s.xCK)-4:] }

func (s *staged) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("X-Ovh-Consumer") != s.xCK {
		s.sim.ServeHTTP(w, r)
		return
	}
	answer := httptest.NewRecorder()
	answered := false
	serve := func() {
		if !answered {
			answered = true
			s.sim.ServeHTTP(answer, r)
		}
	}
	if s.around != nil {
		if err := s.around(r, serve); err != nil {
			s.t.Errorf("staging around %s %s: %v", r.Method, r.URL.Path, err)
			http.Error(w, "staging: "+err.Error(), http.StatusInternalServerError)
			return
		}
	}
	serve()
	s.mu.Lock()
	s.lastX = s.sim.Now()
	s.mu.Unlock()
	for k, v := range answer.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(answer.Code)
	w.Write(answer.Body.Bytes())
}

// stagedTiming is how the staged runs poll: fast, with tasks of about 100 ms.
var stagedTiming = []string{"power_timeout=3", "stonith_status_sleep=0.02", "reboot_time=0.1", "login_timeout=2"}

// stagedRun is one run of fence_ovh, judged.
type stagedRun struct {
	claim      string // its stdout, or its Failed: line (numbers masked) when it printed none
	falseClaim bool   // the oracle found the claim false throughout [from, printed]
	start      time.Time
	printed    time.Time
	events     []ovhsim.TruthEvent // X's server's ground truth up to printed
}

// run runs fence_ovh action on X's server in mode, with timing (nil:
// stagedTiming), and asks the oracle whether what it printed is false. The
// window opens at X's last request, as in the campaign.
func (s *staged) run(agent, action, mode string, timing []string) stagedRun {
	t := s.t
	conf := filepath.Join(t.TempDir(), "ovh.conf")
	data := ovhapi.FormatConfigFile(ovhapi.Config{Endpoint: s.endpoint, ApplicationKey: s.xAK, ApplicationSecret: s.xAS, ConsumerKey: s.xCK})
	if err := os.WriteFile(conf, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if timing == nil {
		timing = stagedTiming
	}
	cmd := exec.Command(agent)
	cmd.Env = []string{"PATH=/usr/bin:/bin"}
	cmd.Stdin = strings.NewReader(strings.Join(append([]string{
		"action=" + action, "plug=" + s.seed.Name, "ovh_config=" + conf, "endpoint=" + s.endpoint, "fence_mode=" + mode,
		fmt.Sprintf("rescue_boot_id=%d", s.seed.RescueBootID), fmt.Sprintf("power_boot_id=%d", s.seed.PowerBootID), "disk_boot_id=1",
		"verbose=1",
	}, timing...), "\n") + "\n")
	run := stagedRun{start: s.sim.Now()}
	out, err := cmd.Output()
	run.printed = s.sim.Now()
	run.events = s.sim.TruthEvents(s.seed.Name, 0)
	run.claim = strings.TrimSpace(string(out))
	var exit *exec.ExitError
	statusOff := action == "status" && errors.As(err, &exit) && exit.ExitCode() == 2
	switch {
	case err != nil && !statusOff && len(out) != 0:
		t.Fatalf("fence_ovh %s failed (%v) yet printed %q", action, err, out)
	case err != nil && !statusOff:
		run.claim = failedReason(stderrOf(err))
		t.Logf("fence_ovh %s failed: %s", action, run.claim)
		return run
	}
	t.Logf("fence_ovh %s printed %q", action, run.claim)
	s.mu.Lock()
	from := s.lastX
	s.mu.Unlock()
	run.falseClaim = claims[run.claim] && falseThroughout(run.events, run.claim, mode, run.start, from, run.printed)
	if run.falseClaim {
		for _, e := range run.events {
			t.Logf("  %s", e)
		}
	}
	return run
}

func stderrOf(err error) string {
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return string(exit.Stderr)
	}
	return ""
}
