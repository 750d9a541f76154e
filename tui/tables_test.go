package tui

import (
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/fencing"
	"github.com/ovhfence/ovhfence/wizard"
)

// TestNodeTablesAlignLongNames: on OVH a node is often named after its server
// (PVE 3's cluster.conf), 24 characters; the boot and power tables keep their
// columns under their headers, whatever the names' length.
func TestNodeTablesAlignLongNames(t *testing.T) {
	s := wizard.New(wizard.Answers{})
	s.Answers.Nodes = []string{sn1, "n2"}
	s.Answers.Mapping = map[string]string{sn1: sn1, "n2": sn2}
	s.Facts.Boots = map[string]fencing.BootIDs{sn1: {Rescue: 230242, Power: 95083, Disk: 1}, sn2: {Rescue: 1122, Power: 95160, Disk: 1}}
	lines := bootLines(s)
	header := lines[0]
	for _, row := range lines[1:3] {
		for _, col := range []string{"SERVER", "DISK"} {
			at := strings.Index(header, col)
			end := at + len(col)
			if col == "SERVER" && (len(row) <= at || row[at-1] != ' ' || row[at] == ' ') {
				t.Errorf("SERVER column starts at %d, the row's server does not:\n%s\n%s", at, header, row)
			}
			if col == "DISK" && len(row) != end {
				t.Errorf("DISK column ends at %d, the row at %d:\n%s\n%s", end, len(row), header, row)
			}
		}
	}
	s.Facts.Power = map[string]fencing.Power{sn1: fencing.PowerOn, sn2: fencing.PowerOn}
	power := powerLines(s)
	if len(power) != 2 || strings.LastIndex(power[0], sn1) != strings.Index(power[1], sn2) {
		t.Errorf("the power lines' servers are not in one column:\n%s", strings.Join(power, "\n"))
	}
}
