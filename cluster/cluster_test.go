package cluster

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

var examples = []string{"two-node.cluster", "three-node.cluster"}

func examplePath(name string) string { return filepath.Join("..", "examples", name) }

// exported drops the file positions, which are bookkeeping, not meaning.
func exported(c *Cluster) Cluster {
	out := *c
	out.source, out.lines = "", nil
	out.Nodes = append([]Node(nil), c.Nodes...)
	for i := range out.Nodes {
		out.Nodes[i].line, out.Nodes[i].lines = 0, nil
	}
	return out
}

func TestLoadExamples(t *testing.T) {
	tests := []struct {
		file   string
		target Target
		nodes  []string
	}{
		{"two-node.cluster", TargetPcs, []string{"web1", "web2"}},
		{"three-node.cluster", TargetPVE3, []string{"ns567890.ip-123-22-44.eu", "ns567891.ip-123-22-45.eu", "ns567892.ip-123-22-46.eu"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			c, err := Load(examplePath(tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if c.Target != tt.target {
				t.Errorf("target = %q, want %q", c.Target, tt.target)
			}
			var names []string
			for _, n := range c.Nodes {
				names = append(names, n.Name)
				if n.Server == "" || n.RescueBootID == 0 || n.DiskBootID != 1 {
					t.Errorf("node %s not fully mapped: %+v", n.Name, n)
				}
			}
			if !reflect.DeepEqual(names, tt.nodes) {
				t.Errorf("nodes = %v, want %v", names, tt.nodes)
			}
		})
	}
}

func TestFormatRoundTrips(t *testing.T) {
	wizardMade := New("db", TargetCrm)
	wizardMade.Nodes = []Node{NewNode("db1", "ns1.ip-1-2-3.eu"), NewNode("db2", "ns2.ip-1-2-4.eu")}
	wizardMade.Nodes[0].Delay = 10
	clusters := map[string]*Cluster{"wizard-made": wizardMade}
	for _, name := range examples {
		c, err := Load(examplePath(name))
		if err != nil {
			t.Fatal(err)
		}
		clusters[name] = c
	}
	for name, c := range clusters {
		t.Run(name, func(t *testing.T) {
			text := Format(c)
			back, err := Parse("formatted", text)
			if err != nil {
				t.Fatalf("Parse(Format): %v\n%s", err, text)
			}
			if err := back.Validate(); err != nil {
				t.Errorf("Validate after round trip: %v", err)
			}
			if got, want := exported(back), exported(c); !reflect.DeepEqual(got, want) {
				t.Errorf("round trip changed the cluster:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestParseAppliesDefaults(t *testing.T) {
	c, err := Parse("min.cluster", []byte("[cluster]\nname = x\ntarget = pve3\n[node \"a\"]\nserver = s1\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := Cluster{Name: "x", Target: TargetPVE3, Endpoint: "ovh-eu", Credentials: "/etc/pve/priv/ovh.conf",
		FenceMode: FenceRescue, Action: ActionOff, PowerTimeout: 300,
		Nodes: []Node{{Name: "a", Server: "s1", DiskBootID: 1}}}
	if got := exported(c); !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, input string
		want        []string // each must appear in the error
	}{
		{"no cluster section", "# nothing\n", []string{"f.cluster: no [cluster] section"}},
		{"key outside section", "name = x\n[cluster]\n", []string{"f.cluster:1: name: outside any section"}},
		{"not key value", "[cluster]\nname\n", []string{`f.cluster:2: expected key = value, got "name"`}},
		{"unknown section", "[cluster]\n[nodes]\n", []string{"f.cluster:2: unknown section [nodes]"}},
		{"unknown field", "[cluster]\ncolour = red\n", []string{"f.cluster:2: colour: unknown field"}},
		{"unknown node field", "[cluster]\n[node \"a\"]\nplug = s\n", []string{`f.cluster:3: node "a" plug: unknown field`}},
		{"field twice", "[cluster]\nname = a\nname = b\n", []string{"f.cluster:3: name: set twice (first at line 2)"}},
		{"node twice", "[cluster]\n[node \"a\"]\n[node \"a\"]\n", []string{`f.cluster:3: node "a": defined twice (first at line 2)`}},
		{"second cluster section", "[cluster]\n[cluster]\n", []string{"f.cluster:2: second [cluster] section"}},
		{"bad number", "[cluster]\npower_timeout = 5m\n", []string{`f.cluster:2: power_timeout: "5m" is not a whole number`}},
		{"bad boot id", "[cluster]\n[node \"a\"]\nrescue_boot_id = rescue\n", []string{`f.cluster:3: node "a" rescue_boot_id: "rescue" is not a boot ID`}},
		{"all problems reported", "[cluster]\ncolour = red\ndelay = x\n", []string{"f.cluster:2: colour", "f.cluster:3: delay"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("f.cluster", []byte(tt.input))
			if err == nil {
				t.Fatalf("Parse succeeded: %+v", c)
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
		})
	}
}

func TestValidateErrors(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *Cluster)
		want   string
	}{
		{"bad name", func(c *Cluster) { c.Name = "web ha" }, `two-node.cluster:8: name: "web ha"`},
		{"unknown target", func(c *Cluster) { c.Target = "pve4" }, `two-node.cluster:10: target: "pve4": use pve3`},
		{"unknown endpoint", func(c *Cluster) { c.Endpoint = "ovh-mars" }, `two-node.cluster:12: endpoint: unknown OVH endpoint "ovh-mars"`},
		{"relative credentials", func(c *Cluster) { c.Credentials = "ovh.conf" }, `credentials: "ovh.conf": use an absolute path`},
		{"credentials with space", func(c *Cluster) { c.Credentials = "/etc/my ovh.conf" }, `credentials: "/etc/my ovh.conf"`},
		{"unknown fence mode", func(c *Cluster) { c.FenceMode = "halt" }, `fence_mode: "halt": want rescue or poweroff`},
		{"unknown action", func(c *Cluster) { c.Action = "on" }, `action: "on": use off or reboot`},
		{"short power timeout", func(c *Cluster) { c.PowerTimeout = 10 }, `power_timeout: 10 s: use 60 to 3600 seconds`},
		{"poweroff timeout shorter than OVH's power-off lag", func(c *Cluster) { c.FenceMode = FencePoweroff; c.PowerTimeout = 150 },
			`power_timeout: 150 s: fence_mode poweroff needs at least 180 s`},
		{"one node", func(c *Cluster) { c.Nodes = c.Nodes[:1] }, "a cluster needs at least two"},
		{"duplicate node", func(c *Cluster) { c.Nodes[1].Name = "WEB1" }, `two-node.cluster:35: node "WEB1": same name as node "web1"`},
		{"bad node name", func(c *Cluster) { c.Nodes[1].Name = "-x" }, `node "-x": use letters`},
		{"node not mapped", func(c *Cluster) { c.Nodes[0].Server = "" }, `two-node.cluster:29: node "web1" server: missing`},
		{"bad server name", func(c *Cluster) { c.Nodes[0].Server = "ns1;reboot" }, `node "web1" server: "ns1;reboot" is not`},
		{"same server twice", func(c *Cluster) { c.Nodes[1].Server = c.Nodes[0].Server }, `already the server of node "web1"`},
		{"negative boot id", func(c *Cluster) { c.Nodes[0].RescueBootID = -1 }, `two-node.cluster:30: node "web1" rescue_boot_id: -1`},
		{"poweroff without power boot", func(c *Cluster) { c.FenceMode = FencePoweroff; c.Nodes[1].PowerBootID = 0 },
			`two-node.cluster:38: node "web2" power_boot_id: missing: fence_mode poweroff`},
		{"negative delay", func(c *Cluster) { c.Nodes[0].Delay = -1 }, `node "web1" delay: -1 s`},
		{"two nodes same delay", func(c *Cluster) { c.Nodes[0].Delay = 0 }, `node "web2" delay: both nodes have delay = 0`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(examplePath("two-node.cluster"))
			if err != nil {
				t.Fatal(err)
			}
			tt.change(c)
			err = c.Validate()
			if err == nil {
				t.Fatal("Validate accepted the change")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestValidateWithoutFileHasNoPosition(t *testing.T) {
	c := New("db", TargetPcs)
	c.Nodes = []Node{NewNode("db1", "ns1.ip-1-2-3.eu"), NewNode("db2", "")}
	c.Nodes[0].Delay = 5
	err := c.Validate()
	if err == nil || !strings.HasPrefix(err.Error(), `node "db2" server: missing`) {
		t.Errorf("error = %v, want it to start with the field", err)
	}
}

func TestDefaultCredentialsPath(t *testing.T) {
	tests := map[Target]string{TargetPVE3: "/etc/pve/priv/ovh.conf", TargetPcs: "/etc/ovh.conf", TargetCrm: "/etc/ovh.conf"}
	for target, want := range tests {
		if got := DefaultCredentialsPath(target); got != want {
			t.Errorf("DefaultCredentialsPath(%s) = %q, want %q", target, got, want)
		}
	}
}

// reboot_time is written only when measured, reads back the same, and is
// refused where no fence could succeed (longer than power_timeout).
func TestRebootTime(t *testing.T) {
	c := New("db", TargetPcs)
	c.Nodes = []Node{NewNode("db1", "ns1.ip-1-2-3.eu"), NewNode("db2", "ns2.ip-1-2-4.eu")}
	c.Nodes[0].Delay = 15
	if strings.Contains(string(Format(c)), "reboot_time") {
		t.Errorf("an unmeasured reboot_time is written:\n%s", Format(c))
	}
	for _, m := range []struct {
		off, on         time.Duration
		want, wantPower int
	}{
		{95 * time.Second, 80 * time.Second, 95, 300},
		{80 * time.Second, 95200 * time.Millisecond, 96, 300}, // rounded up: never below what was seen
		{150 * time.Millisecond, 100 * time.Millisecond, 1, 300},
		{330 * time.Second, 100 * time.Second, 330, 495}, // power_timeout raised to 1.5 × 330 s
	} {
		c.PowerTimeout = DefaultPowerTimeout
		c.RecordRebootTime(m.off, m.on)
		if c.RebootTime != m.want || c.PowerTimeout != m.wantPower {
			t.Errorf("off %s, on %s: reboot_time %d, power_timeout %d; want %d, %d", m.off, m.on, c.RebootTime, c.PowerTimeout, m.want, m.wantPower)
		}
		back, err := Parse("formatted", Format(c))
		if err != nil {
			t.Fatal(err)
		}
		if err := back.Validate(); err != nil || back.RebootTime != m.want {
			t.Errorf("round trip: reboot_time %d, %v", back.RebootTime, err)
		}
	}
	for _, bad := range []string{"0", "-5", "301", "soon"} {
		text := strings.Replace(string(Format(c)), "power_timeout = 495", "power_timeout = 300", 1)
		text = strings.Replace(text, "reboot_time = 330", "reboot_time = "+bad, 1)
		parsed, err := Parse("bad.cluster", []byte(text))
		if err == nil {
			err = parsed.Validate()
		}
		if err == nil || !strings.Contains(err.Error(), "reboot_time") {
			t.Errorf("reboot_time = %s: %v, want an error naming reboot_time", bad, err)
		}
	}
}
