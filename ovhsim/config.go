package ovhsim

import "time"

// Config sets up a simulator. The zero value is a usable default.
type Config struct {
	Servers            []ServerSeed     // nil → DefaultServers()
	Durations          Durations        // per task state; zero → DefaultDurations()
	PowerOffLag        time.Duration    // see Sim.SetPowerOffLag; 0 → dark when the task is done
	TimestampWindow    time.Duration    // accepted X-Ovh-Timestamp skew; 0 → 60s
	ExternalBase       string           // scheme://host the client signs with; "" → "http://"+r.Host
	RateLimitPerMinute int              // requests per consumer key per minute; 0 → off
	Now                func() time.Time // nil → time.Now
	// AllowConcurrentReboots turns off OVH's TaskAlreadyExists refusal of a
	// reboot while another reboot task of the same server is unfinished.
	AllowConcurrentReboots bool
	// NetbootReadAt is when a reboot reads the netboot: NetbootAtRequest ("", the
	// default) or NetbootAtBoot (groundtruth.go).
	NetbootReadAt string
}

// DefaultRateLimitPerMinute is the budget OVH staff quoted: "not over 60
// req/min by consumer key" (reference/ovh-api.md §4). Config leaves rate
// limiting off unless asked, so tests are not throttled by accident.
const DefaultRateLimitPerMinute = 60

const defaultTimestampWindow = 60 * time.Second

// Durations is how long a reboot task stays in each pending state.
type Durations struct{ Init, Todo, Doing time.Duration }

// DefaultDurations keeps tests fast while still exercising every state.
func DefaultDurations() Durations {
	return Durations{Init: time.Second, Todo: time.Second, Doing: 3 * time.Second}
}

// total is how long after its start a task is finished.
func (d Durations) total() time.Duration { return d.Init + d.Todo + d.Doing }

// ServerSeed describes one dedicated server of the simulated account.
// A zero boot ID means the server has no such netboot.
type ServerSeed struct {
	Name, Reverse, Datacenter, IP, CommercialRange string
	RescueBootID, IpxeBootID, PowerBootID          int64
	RescueKernel                                   string // "" → rescue12-customer, today's
	PowerState                                     string // "" → "poweron"
}

// DefaultServers returns today's catalogues (reference §3.3): three servers
// whose names match the project's cluster.conf fixture and whose reverses
// name the sandbox's nodes (node1…node3), then a server of another range
// with no power netboot. Boot IDs differ, as on OVH where only the disk boot
// (1) is the same everywhere; the first server has the EU IDs seen in the
// wild, and the third is a legacy server whose rescue is rescue64-pro.
func DefaultServers() []ServerSeed {
	return []ServerSeed{
		{
			Name: "ns567890.ip-123-22-44.eu", Reverse: "node1.sandbox.example", IP: "123.22.44.201",
			Datacenter: "gra1", CommercialRange: "advance-1",
			RescueBootID: 230242, IpxeBootID: 203323, PowerBootID: 95083,
		},
		{
			Name: "ns567891.ip-123-22-45.eu", Reverse: "node2.sandbox.example", IP: "123.22.45.202",
			Datacenter: "rbx8", CommercialRange: "advance-1",
			RescueBootID: 230287, IpxeBootID: 203377, PowerBootID: 95117,
		},
		{
			Name: "ns567892.ip-123-22-46.eu", Reverse: "node3.sandbox.example", IP: "123.22.46.203",
			Datacenter: "sbg3", CommercialRange: "rise-1",
			RescueBootID: 1122, RescueKernel: kernelRescue64Pro, PowerBootID: 95160,
		},
		{
			Name: "ns567893.ip-123-22-47.eu", Reverse: "ns567893.ip-123-22-47.eu", IP: "123.22.47.204",
			Datacenter: "bhs1", CommercialRange: "ks-le",
			RescueBootID: 46502, RescueKernel: kernelRescueCustomer, IpxeBootID: 203455,
		},
	}
}

// withDefaults fills the zero fields of c.
func (c Config) withDefaults() Config {
	if c.Servers == nil {
		c.Servers = DefaultServers()
	}
	if c.Durations == (Durations{}) {
		c.Durations = DefaultDurations()
	}
	if c.TimestampWindow == 0 {
		c.TimestampWindow = defaultTimestampWindow
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}
