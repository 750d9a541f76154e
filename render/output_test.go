package render

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/cluster"
)

// secretParam matches the agent parameters that carry a secret (DESIGN.md D4).
var secretParam = regexp.MustCompile(`\b(application_secret|consumer_key|password|passwd|ovhcustomerkey)\b`)

func TestNoRenderedSecretParameters(t *testing.T) {
	for _, example := range []string{"two-node", "three-node"} {
		c := loadExample(t, example, cluster.FenceRescue)
		outputs := map[string]func() ([]byte, error){
			"clusterconf": func() ([]byte, error) { return ClusterConf(c, nil) },
			"pcs":         func() ([]byte, error) { return PcsScript(c) },
			"crm":         func() ([]byte, error) { return CrmScript(c) },
			"next-steps":  func() ([]byte, error) { return []byte(NextSteps(c)), nil },
		}
		for name, render := range outputs {
			out, err := render()
			if err != nil {
				t.Fatal(err)
			}
			if m := secretParam.Find(out); m != nil {
				t.Errorf("%s %s mentions the secret parameter %s", example, name, m)
			}
			if !strings.Contains(string(out), c.Credentials) {
				t.Errorf("%s %s does not name the credentials file %s", example, name, c.Credentials)
			}
		}
	}
}

func TestPacemakerScriptShape(t *testing.T) {
	c := loadExample(t, "two-node", cluster.FenceRescue)
	c.PowerTimeout = 600
	script, err := PcsScript(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"power_timeout=600",
		// reboot_time unset: 150 s assumed; off 15 + 225 + 60, reboot 15 + 450 + 60
		"pcmk_delay_base=15s pcmk_off_timeout=300s pcmk_reboot_timeout=525s",
		"pcmk_host_list=web2 pcmk_host_argument=none pcmk_off_timeout=285s", // web2: no delay
		"stonith-timeout=525s",
		"constraint location fence_ovh_web1 avoids web1",
		"stonith-enabled=true stonith-action=off",
		"op start timeout=120s", // above Pacemaker's 20 s default: one OVH API call, retried
		"monitor interval=60s timeout=120s",
	} {
		if !strings.Contains(string(script), want) {
			t.Errorf("pcs script lacks %q", want)
		}
	}
}

var (
	deviceTimeouts     = regexp.MustCompile(`pcmk_host_list=(\S+) .*?(?:pcmk_delay_base=(\d+)s )?pcmk_off_timeout=(\d+)s pcmk_reboot_timeout=(\d+)s`)
	stonithTimeoutProp = regexp.MustCompile(`stonith-timeout=(\d+)s`)
	rebootTimeParam    = regexp.MustCompile(`reboot_time="?(\d+)`)
)

// The fire drill's sizing (issue 12), read back from what pcs and crm get,
// over generated clusters: with reboot_time R (150 s when unmeasured) and a
// node's delay D, pcmk_off_timeout ≥ D + 1.5 × R + 60 s and pcmk_reboot_timeout
// ≥ D + 1.5 × 2R + 60 s, each by less than a second; stonith-timeout is the
// longest pcmk_reboot_timeout; reboot_time reaches every target's device
// parameters exactly when it was measured.
func TestPacemakerTimeoutsFromRebootTime(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 12))
	for i := 0; i < 200; i++ {
		c := loadExample(t, "two-node", cluster.FenceRescue)
		c.PowerTimeout = cluster.MaxPowerTimeout
		c.RebootTime = rng.IntN(4) * rng.IntN(600) // a quarter unmeasured
		c.Nodes[0].Delay, c.Nodes[1].Delay = rng.IntN(cluster.MaxDelay+1), rng.IntN(cluster.MaxDelay+1)
		if c.Nodes[0].Delay == c.Nodes[1].Delay {
			c.Nodes[1].Delay = (c.Nodes[1].Delay + 1) % (cluster.MaxDelay + 1)
		}
		reboot := float64(c.RebootTime)
		if c.RebootTime == 0 {
			reboot = 150
		}
		pcs, err := PcsScript(c)
		if err != nil {
			t.Fatal(err)
		}
		crm, err := CrmScript(c)
		if err != nil {
			t.Fatal(err)
		}
		conf, err := ClusterConf(c, nil)
		if err != nil {
			t.Fatal(err)
		}
		for name, script := range map[string][]byte{"pcs": pcs, "crm": crm} {
			devices := deviceTimeouts.FindAllSubmatch(script, -1)
			if len(devices) != 2 {
				t.Fatalf("%s: %d devices with timeouts found", name, len(devices))
			}
			longest := 0
			for _, d := range devices {
				delay, off, cycle := atoi(t, d[2]), atoi(t, d[3]), atoi(t, d[4])
				longest = max(longest, cycle)
				for what, got := range map[string]struct{ got, want float64 }{
					"pcmk_off_timeout":    {float64(off), float64(delay) + 1.5*reboot + 60},
					"pcmk_reboot_timeout": {float64(cycle), float64(delay) + 1.5*2*reboot + 60},
				} {
					if got.got < got.want || got.got >= got.want+1 {
						t.Errorf("%s, reboot_time %d, node %s delay %d: %s = %v s, want %v s", name, c.RebootTime, d[1], delay, what, got.got, got.want)
					}
				}
			}
			if m := stonithTimeoutProp.FindSubmatch(script); m == nil || atoi(t, m[1]) != longest {
				t.Errorf("%s: stonith-timeout %q, want the longest pcmk_reboot_timeout %d s", name, m, longest)
			}
		}
		for name, out := range map[string][]byte{"pcs": pcs, "crm": crm, "cluster.conf": conf} {
			params := rebootTimeParam.FindAllSubmatch(out, -1)
			want := 0
			if c.RebootTime > 0 {
				want = len(c.Nodes)
			}
			if len(params) != want {
				t.Errorf("%s, reboot_time %d: %d devices pass reboot_time, want %d", name, c.RebootTime, len(params), want)
			}
			for _, p := range params {
				if atoi(t, p[1]) != c.RebootTime {
					t.Errorf("%s: reboot_time=%s, want %d", name, p[1], c.RebootTime)
				}
			}
		}
	}
}

func atoi(t *testing.T, b []byte) int {
	t.Helper()
	if len(b) == 0 {
		return 0
	}
	n, err := strconv.Atoi(string(b))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestNextStepsPerTarget(t *testing.T) {
	tests := []struct {
		target      cluster.Target
		credentials string
		want        []string
	}{
		{cluster.TargetPVE3, "/etc/pve/priv/ovh.conf", []string{"dpkg -i ovhfence_*_amd64.deb", "ccs_update_schema -f",
			"/etc/cron.d/ovhfence-check", "OVHFENCE_CONFIG=/etc/pve/priv/ovh.conf",
			"OVHFENCE_SERVERS=ns3012345.ip-51-38-120.eu,ns3012346.ip-51-38-121.eu",
			"ccs_config_validate -v -f /etc/pve/cluster.conf.new", "Activate", `FENCE_JOIN="yes"`,
			"/etc/default/redhat-cluster-pve", "fence_tool join", "fence_check", "fence_node -S NODE", "nothing to copy"}},
		{cluster.TargetPVE3, "/etc/ovh.conf", []string{"ccs_config_validate", "scp -p /etc/ovh.conf root@NODE:/etc/ovh.conf"}},
		{cluster.TargetPcs, "/etc/ovh.conf", []string{"sh SCRIPT", "crm_verify -L -V", "stonith_admin --query fence_ovh_web1",
			"needs fence_ovh in /usr/sbin", "scp -p /etc/ovh.conf root@NODE:/etc/ovh.conf"}},
		{cluster.TargetCrm, "/etc/ovh.conf", []string{"crm -f FILE configure", "crm configure load update FILE",
			"needs fence_ovh in /usr/sbin", "scp -p /etc/ovh.conf root@NODE:/etc/ovh.conf"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.target)+tt.credentials, func(t *testing.T) {
			c := loadExample(t, "two-node", cluster.FenceRescue)
			c.Target, c.Credentials = tt.target, tt.credentials
			steps := NextSteps(c)
			for _, want := range tt.want {
				if !strings.Contains(steps, want) {
					t.Errorf("next steps lack %q:\n%s", want, steps)
				}
			}
			for i, line := range strings.Split(steps, "\n") {
				if len(line) > 100 && !strings.Contains(line, "fence_ovh -o on") {
					t.Errorf("line %d is %d characters long: %q", i+1, len(line), line)
				}
			}
		})
	}
}

// TestCrmScriptIsConfigureLevel checks the shape that lets both "crm -f FILE
// configure" and "crm configure load update FILE" load the file: only commands
// of crmsh's configure level, no "configure" or "commit" lines, which load
// update rejects. test/realstack/render.sh loads it with the real crmsh.
func TestCrmScriptIsConfigureLevel(t *testing.T) {
	for _, example := range []string{"two-node", "three-node"} {
		c := loadExample(t, example, cluster.FenceRescue)
		script, err := CrmScript(c)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(script), "#   crm -f FILE configure\n") {
			t.Errorf("%s: the header does not say how to load the file", example)
		}
		count := map[string]int{}
		joined := strings.ReplaceAll(string(script), "\\\n", " ")
		for _, line := range strings.Split(joined, "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			command := strings.Fields(line)[0]
			count[command]++
		}
		want := map[string]int{"primitive": len(c.Nodes), "location": len(c.Nodes), "property": 1}
		if fmt.Sprint(count) != fmt.Sprint(want) {
			t.Errorf("%s: commands %v, want %v", example, count, want)
		}
	}
}

func TestShellQuote(t *testing.T) {
	tests := map[string]string{
		"plug=ns1.ip-1-2-3.eu":     "plug=ns1.ip-1-2-3.eu",
		"ovh_config=/etc/ovh.conf": "ovh_config=/etc/ovh.conf",
		"":                         "''",
		"a b":                      "'a b'",
		"it's":                     `'it'\''s'`,
		"$(reboot)":                "'$(reboot)'",
	}
	for in, want := range tests {
		if got := ShellQuote(in); got != want {
			t.Errorf("ShellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
