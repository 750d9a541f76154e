package campaign

import (
	"fmt"
	"io"
	"math/rand"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/ovhsim"
)

// Config is one campaign.
type Config struct {
	Seed    int64
	Actions int      // in all, shared among the models
	Agents  int      // concurrent agents (cluster nodes); 0 → 5
	Models  []string // netboot read models; nil → both
	Agent   string   // path of the fence_ovh symlink to the built binary
	Dir     string   // scratch directory for the agents' ovh.conf files
	Log     io.Writer
	// Serialize runs one action per server at a time, as a single Pacemaker
	// cluster's fencer does for one target; off by default: other agents are
	// no excuse for a false claim.
	Serialize bool
	// Replay is the command line that repeats this campaign with another seed
	// placeholder %d; failures print it with their seed.
	Replay string
}

// Summary is what a campaign found.
type Summary struct {
	Actions    int
	Faults     int // faults injected (each added fault, whatever its count)
	Firings    int // API answers an injected fault replaced
	Manual     int // boots set by hand and manager reboots
	Kills      int // agents killed mid-action
	Claims     int // claims checked, interfered ones included
	Interfered int // claims made while a manual actor touched the server
	False      int // false claims without manual interference
	// FalseInterfered are contradicted claims with manual interference: reported, not failures.
	FalseInterfered int
	// ABA are false claims that are an unobservable A-B-A of the netboot (the
	// package doc, aba.go): an API limit, reported, not failures.
	ABA      int
	Other    int            // failures other than false claims
	ByClaim  map[string]int // claims checked, by claim
	Failed   map[string]int // exit-1 reasons, numbers masked, by count
	Failures []string       // each with its seed, replay command and trace
}

func (s *Summary) add(o Summary) {
	s.Actions += o.Actions
	s.Faults += o.Faults
	s.Firings += o.Firings
	s.Manual += o.Manual
	s.Kills += o.Kills
	s.Claims += o.Claims
	s.Interfered += o.Interfered
	s.False += o.False
	s.FalseInterfered += o.FalseInterfered
	s.ABA += o.ABA
	s.Other += o.Other
	s.Failures = append(s.Failures, o.Failures...)
	for k, v := range o.ByClaim {
		s.ByClaim[k] += v
	}
	for k, v := range o.Failed {
		s.Failed[k] += v
	}
}

func newSummary() Summary {
	return Summary{ByClaim: map[string]int{}, Failed: map[string]int{}}
}

// String is the report printed at the end of a campaign.
func (s Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "actions %d, faults injected %d (answers replaced %d), manual acts %d, agents killed %d\n",
		s.Actions, s.Faults, s.Firings, s.Manual, s.Kills)
	fmt.Fprintf(&b, "claims checked %d, interfered %d, false %d (false with manual interference %d; unobservable A-B-A, API limit, %d), other failures %d\n",
		s.Claims, s.Interfered, s.False, s.FalseInterfered, s.ABA, s.Other)
	for _, k := range sortedKeys(s.ByClaim) {
		fmt.Fprintf(&b, "  %-22s %d\n", k, s.ByClaim[k])
	}
	reasons := sortedKeys(s.Failed)
	sort.SliceStable(reasons, func(i, j int) bool { return s.Failed[reasons[i]] > s.Failed[reasons[j]] })
	if len(reasons) > 8 {
		reasons = reasons[:8]
	}
	b.WriteString("most frequent Failed: lines\n")
	for _, k := range reasons {
		fmt.Fprintf(&b, "  %5d %s\n", s.Failed[k], k)
	}
	return b.String()
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Run runs the campaign, one simulator per netboot read model.
func Run(cfg Config) (Summary, error) {
	if cfg.Agents == 0 {
		cfg.Agents = 5
	}
	if cfg.Models == nil {
		cfg.Models = []string{ovhsim.NetbootAtRequest, ovhsim.NetbootAtBoot}
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	rebootTime, err := agentKnows(cfg.Agent, "reboot_time")
	if err != nil {
		return Summary{}, err
	}
	total := newSummary()
	for i, model := range cfg.Models {
		share := cfg.Actions / len(cfg.Models)
		if i == 0 {
			share += cfg.Actions % len(cfg.Models)
		}
		p, err := newPhase(cfg, model, share, rebootTime, rand.New(rand.NewSource(cfg.Seed+int64(i)*7919)))
		if err != nil {
			return total, err
		}
		sum := p.run()
		fmt.Fprintf(cfg.Log, "netboot read at %s:\n%s", model, sum)
		total.add(sum)
	}
	return total, nil
}

// phase is one campaign against one simulator.
type phase struct {
	cfg        Config
	model      string
	actions    int
	rebootTime bool
	rng        *rand.Rand // the chaos loop's; agents have their own

	sim     *ovhsim.Sim
	http    *http.Server
	url     string
	watch   *watcher
	servers []server
	hot     int // index of the server half the actions go to
	agents  []*agentNode

	next atomic.Int64 // actions handed out
	mu   sync.Mutex   // guards sum
	sum  Summary
}

// server is one shared server and how the cluster fences it.
type server struct {
	seed   ovhsim.ServerSeed
	mode   string // rescue or poweroff
	truth  *truthLog
	serial *sync.Mutex // held during an action when Config.Serialize
}

func newPhase(cfg Config, model string, actions int, rebootTime bool, rng *rand.Rand) (*phase, error) {
	sim := ovhsim.New(ovhsim.Config{NetbootReadAt: model, Durations: randomDurations(rng)})
	p := &phase{cfg: cfg, model: model, actions: actions, rebootTime: rebootTime, rng: rng, sim: sim, sum: newSummary()}
	p.watch = &watcher{sim: sim, last: map[string]time.Time{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p.http = &http.Server{Handler: p.watch, ReadHeaderTimeout: 10 * time.Second}
	go p.http.Serve(ln)
	p.url = "http://" + ln.Addr().String()
	var names []string
	seeds := ovhsim.DefaultServers()
	// One server is fenced in poweroff mode, the others in rescue mode: one with a
	// power netboot, else no Already OFF or Status: OFF could ever be claimed.
	var powered []int
	for i, seed := range seeds {
		if seed.PowerBootID != 0 {
			powered = append(powered, i)
		}
	}
	poweroff := powered[rng.Intn(len(powered))]
	p.hot = rng.Intn(len(seeds)) // and one gets half the actions, so that agents race on it
	for i, seed := range seeds {
		mode := "rescue"
		if i == poweroff {
			mode = "poweroff"
		}
		p.servers = append(p.servers, server{seed: seed, mode: mode, truth: &truthLog{sim: sim, server: seed.Name}, serial: &sync.Mutex{}})
		names = append(names, seed.Name)
	}
	for i := 0; i < cfg.Agents; i++ {
		rules := ovhsim.FencingRules(names...)
		readsBoots := i%2 == 0
		if readsBoots {
			for _, sn := range names {
				rules = append(rules, ovhsim.Rule{Method: "GET", Path: "/dedicated/server/" + sn + "/boot"},
					ovhsim.Rule{Method: "GET", Path: "/dedicated/server/" + sn + "/boot/*"})
			}
		}
		ak, as, ck := sim.CreateToken(rules)
		conf := filepath.Join(cfg.Dir, fmt.Sprintf("%s-agent%d.conf", model, i))
		data := ovhapi.FormatConfigFile(ovhapi.Config{Endpoint: p.url + "/1.0", ApplicationKey: ak, ApplicationSecret: as, ConsumerKey: ck})
		if err := os.WriteFile(conf, data, 0o600); err != nil {
			return nil, err
		}
		p.agents = append(p.agents, &agentNode{
			p: p, id: i, conf: conf, ck: ck, actor: "key ****" + ck[len(ck)-4:], readsBoots: readsBoots,
			rng: rand.New(rand.NewSource(cfg.Seed*1000 + int64(i) + int64(len(model)))),
		})
	}
	return p, nil
}

// randomDurations are task state durations of 0–500 ms in all.
func randomDurations(rng *rand.Rand) ovhsim.Durations {
	total := time.Duration(rng.Intn(501)) * time.Millisecond
	a, b := time.Duration(rng.Int63n(int64(total)+1)), time.Duration(rng.Int63n(int64(total)+1))
	if a > b {
		a, b = b, a
	}
	return ovhsim.Durations{Init: a, Todo: b - a, Doing: total - b}
}

func (p *phase) run() Summary {
	stop := make(chan struct{})
	chaosDone := make(chan struct{})
	go func() {
		p.chaos(stop)
		close(chaosDone)
	}()
	var wg sync.WaitGroup
	for _, a := range p.agents {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p.next.Add(1) <= int64(p.actions) {
				a.act()
			}
		}()
	}
	wg.Wait()
	close(stop)
	<-chaosDone
	p.http.Close()
	return p.sum
}

// record adds an action's findings to the phase's summary, printing failures.
func (p *phase) record(o Summary) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, f := range o.Failures {
		fmt.Fprintln(p.cfg.Log, f)
	}
	p.sum.add(o)
}

func (p *phase) replay() string {
	replay := fmt.Sprintf(p.cfg.Replay, p.cfg.Seed) + " -model " + p.model
	if p.cfg.Serialize {
		replay += " -serialize"
	}
	return replay
}

// watcher serves the simulator and remembers, per consumer key, when its
// latest request arrived: the last moment an agent could look before it printed.
type watcher struct {
	sim  *ovhsim.Sim
	mu   sync.Mutex
	last map[string]time.Time
}

func (w *watcher) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	if ck := r.Header.Get("X-Ovh-Consumer"); ck != "" {
		at := w.sim.Now()
		w.mu.Lock()
		w.last[ck] = at
		w.mu.Unlock()
	}
	w.sim.ServeHTTP(rw, r)
}

func (w *watcher) lastRequest(ck string) time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.last[ck]
}
