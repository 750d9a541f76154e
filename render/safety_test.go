package render

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/cluster"
)

func TestClusterConfRefusesDuplicateAttribute(t *testing.T) {
	in := bytes.Replace(readFixture(t), []byte(`<cluster `), []byte(`<cluster config_version="99" `), 1)
	_, err := ClusterConf(loadExample(t, "three-node", cluster.FenceRescue), in)
	var xmlErr *XMLError
	if !errors.As(err, &xmlErr) || !strings.Contains(err.Error(), "config_version given twice") {
		t.Fatalf("ClusterConf = %v, want an XMLError naming the attribute", err)
	}
}

// cman reads config_version as an unsigned 32-bit number: nothing may wrap.
func TestConfigVersionFitsCman(t *testing.T) {
	c := loadExample(t, "three-node", cluster.FenceRescue)
	for _, tt := range []struct {
		version, want string // want "": refused
	}{
		{"4294967294", "4294967295"},
		{"4294967295", ""},
		{"4294967296", ""},
		{"99999999999999999999", ""},
		{"-1", ""},
		{"0x10", ""},
		{"", ""},
	} {
		in := configVersion.ReplaceAll(readFixture(t), []byte(fmt.Sprintf(`config_version="%s"`, tt.version)))
		out, err := ClusterConf(c, in)
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("config_version %q accepted: %s", tt.version, configVersion.Find(out))
		case tt.want != "" && err != nil:
			t.Errorf("config_version %q: %v", tt.version, err)
		case tt.want != "" && !bytes.Contains(out, []byte(`config_version="`+tt.want+`"`)):
			t.Errorf("config_version %q became %s, want %s", tt.version, configVersion.Find(out), tt.want)
		}
	}
}

// A BOM is accepted and kept; a CRLF file stays CRLF, so its diff shows only
// the lines that really change.
func TestClusterConfKeepsBOMAndCRLF(t *testing.T) {
	c := loadExample(t, "three-node", cluster.FenceRescue)
	lf := readFixture(t)
	crlf := append([]byte("\xEF\xBB\xBF"), bytes.ReplaceAll(lf, []byte("\n"), []byte("\r\n"))...)
	wantOut := mustMerge(t, c, lf)
	out := mustMerge(t, c, crlf)
	if want := append([]byte("\xEF\xBB\xBF"), bytes.ReplaceAll(wantOut, []byte("\n"), []byte("\r\n"))...); !bytes.Equal(out, want) {
		t.Fatalf("the CRLF+BOM merge is not the LF merge with CRLF and BOM:\n%q", out)
	}
	lfDiff, crlfDiff := ClusterConfDiff("cluster.conf", lf, wantOut), ClusterConfDiff("cluster.conf", crlf, out)
	if strings.Count(lfDiff, "\n") != strings.Count(crlfDiff, "\n") {
		t.Errorf("the CRLF diff has %d lines, the LF one %d", strings.Count(crlfDiff, "\n"), strings.Count(lfDiff, "\n"))
	}
}

func TestClusterConfDiffMasksEveryAgentsSecrets(t *testing.T) {
	old := []byte(`<fencedevices>
  <fencedevice agent="fence_apc_snmp" community="PUBLICSECRET1" name="apc" ipaddr="10.0.0.1"/>
  <fencedevice agent="fence_ipmilan" Passwd="IPMISECRET2" name="ipmi" login="admin"/>
  <fencedevice agent="fence_x" snmp_priv_passwd='PRIVSECRET3' application_secret="OVHSECRET4" name="x"/>
  <fencedevice agent="fence_y" ovhcustomerkey="CKSECRET5" consumer_key = "CKSECRET6" password="PWSECRET7"/>
</fencedevices>
`)
	diff := ClusterConfDiff("cluster.conf", old, []byte("<fencedevices/>\n"))
	if m := regexpSecret.FindString(diff); m != "" {
		t.Fatalf("%s is in the diff:\n%s", m, diff)
	}
	for _, kept := range []string{`name="apc" ipaddr="10.0.0.1"`, `login="admin"`, `community="****"`, `consumer_key = "****"`} {
		if !strings.Contains(diff, kept) {
			t.Errorf("the diff lacks %s:\n%s", kept, diff)
		}
	}
}

var regexpSecret = regexp.MustCompile(`[A-Z]+SECRET[0-9]`)

// The diff works in linear space: 4,000 lines replaced by 4,000 others must
// not allocate a Myers trace (quadratic: gigabytes at 6,000 devices).
func TestDiffLinearSpace(t *testing.T) {
	var a, b strings.Builder
	for i := range 4000 {
		fmt.Fprintf(&a, `<fencedevice agent="fence_ovh" name="old%d" plug="ns%d.ip-1-2-3.eu"/>`+"\n", i, i)
		fmt.Fprintf(&b, `<fencedevice agent="fence_ovh" name="new%d" plug="ns%d.ip-1-2-3.eu"/>`+"\n", i, i)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	diff := Diff("cluster.conf", []byte(a.String()), []byte(b.String()))
	runtime.ReadMemStats(&after)
	if got := strings.Count(diff, "\n-<fencedevice"); got != 4000 {
		t.Errorf("the diff deletes %d lines, want 4000", got)
	}
	if allocated := after.TotalAlloc - before.TotalAlloc; allocated > 64<<20 {
		t.Errorf("Diff allocated %d MiB for 8,000 lines", allocated>>20)
	}
}

// Proxmox VE 3's pending edit in cluster.conf.new is merged into, not dropped.
func TestMergeClusterConfKeepsPendingEdits(t *testing.T) {
	c := loadExample(t, "three-node", cluster.FenceRescue)
	live := readFixture(t)
	pending := bytes.Replace(live, []byte("</rm>"), []byte(`  <pvevm autostart="1" vmid="4242"/>
  </rm>`), 1)
	if bytes.Equal(pending, live) {
		t.Fatal("the fixture has no </rm> to edit")
	}
	pending = configVersion.ReplaceAll(pending, []byte(`config_version="46"`))
	m, err := MergeClusterConf(c, live, pending)
	if err != nil {
		t.Fatal(err)
	}
	if !m.IntoPending || !bytes.Equal(m.Base, pending) {
		t.Errorf("IntoPending = %v, Base is pending: %v", m.IntoPending, bytes.Equal(m.Base, pending))
	}
	if !bytes.Contains(m.Data, []byte(`vmid="4242"`)) || !bytes.Contains(m.Data, []byte(`config_version="46"`)) {
		t.Errorf("the pending edit or its config_version 46 was lost:\n%s", m.Data)
	}
	again, err := MergeClusterConf(c, live, m.Data)
	if err != nil || !bytes.Equal(again.Data, m.Data) {
		t.Errorf("a second run changed its own output (%v):\n%s", err, Diff("cluster.conf.new", m.Data, again.Data))
	}
	same, err := MergeClusterConf(c, live, live)
	if err != nil || same.IntoPending || !bytes.Equal(same.Data, mustMerge(t, c, live)) {
		t.Errorf("a cluster.conf.new equal to cluster.conf is not the plain merge (%v)", err)
	}
}
