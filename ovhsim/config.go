package ovhsim

import "time"

// Config sets up a simulator. The zero value is a usable default.
type Config struct {
	Servers            []ServerSeed     // nil → DefaultServers()
	Durations          Durations        // per task state; zero → DefaultDurations()
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
	PowerState                                     string // "" → "poweron"
}

// DefaultServers returns three servers whose names match the project's
// cluster.conf fixture. Their boot IDs differ, as on OVH where only the disk
// boot (1) is the same everywhere; the first uses the EU IDs seen in the wild.
func DefaultServers() []ServerSeed {
	return []ServerSeed{
		{
			Name: "ns567890.ip-123-22-44.eu", Reverse: "ns567890.ip-123-22-44.eu", IP: "123.22.44.201",
			Datacenter: "gra1", CommercialRange: "advance-1",
			RescueBootID: 46371, IpxeBootID: 203323, PowerBootID: 95083,
		},
		{
			Name: "ns567891.ip-123-22-45.eu", Reverse: "ns567891.ip-123-22-45.eu", IP: "123.22.45.202",
			Datacenter: "rbx8", CommercialRange: "advance-1",
			RescueBootID: 46412, IpxeBootID: 203377, PowerBootID: 95117,
		},
		{
			Name: "ns567892.ip-123-22-46.eu", Reverse: "ns567892.ip-123-22-46.eu", IP: "123.22.46.203",
			Datacenter: "sbg3", CommercialRange: "rise-1",
			RescueBootID: 46458, IpxeBootID: 203401, PowerBootID: 95160,
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
