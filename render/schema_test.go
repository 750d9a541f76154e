package render

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/agent"
)

const (
	clusterRNG = "../testdata/cluster.rng"
	fence2rng  = "/usr/share/cluster/relaxng/fence2rng.xsl" // from fence-agents
)

// fenceOVHGroup is the old fence_ovh's attribute group in cluster.rng.
var fenceOVHGroup = regexp.MustCompile(`(?s)<group rha:name="fence_ovh".*?</group>`)

// requireTool finds a program the schema check needs; outside CI its absence skips the test.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("%s is not installed; CI installs it and runs this check", name)
		}
		t.Fatalf("%s not found, and CI is set", name)
	}
	return path
}

// TestClusterConfValidatesAgainstSchema does what ccs_update_schema does on a
// Proxmox VE 3 node once our agent is installed: it turns our agent's metadata
// into its cluster.rng group with fence2rng.xsl, puts it in place of the old
// fence_ovh's, and validates every rendered cluster.conf with xmllint.
func TestClusterConfValidatesAgainstSchema(t *testing.T) {
	xsltproc, xmllint := requireTool(t, "xsltproc"), requireTool(t, "xmllint")
	if _, err := os.Stat(fence2rng); err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("%s is missing (package fence-agents); CI installs it and runs this check", fence2rng)
		}
		t.Fatal(err)
	}
	dir := t.TempDir()
	metadata := filepath.Join(dir, "metadata.xml")
	if err := os.WriteFile(metadata, agent.Metadata(), 0o600); err != nil {
		t.Fatal(err)
	}
	ours, err := exec.Command(xsltproc, fence2rng, metadata).Output()
	if err != nil {
		t.Fatalf("xsltproc: %v", err)
	}
	group := fenceOVHGroup.Find(ours)
	schema := readFile(t, clusterRNG)
	if group == nil || len(fenceOVHGroup.FindAllIndex(schema, -1)) != 1 {
		t.Fatal("cannot find exactly one fence_ovh group in our metadata and in cluster.rng")
	}
	schemaPath := filepath.Join(dir, "cluster.rng")
	if err := os.WriteFile(schemaPath, fenceOVHGroup.ReplaceAllLiteral(schema, group), 0o600); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("testdata/*cluster.conf")
	if len(files) == 0 {
		t.Fatal("no rendered cluster.conf in testdata")
	}
	for _, file := range files {
		out, err := exec.Command(xmllint, "--noout", "--relaxng", schemaPath, file).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "validates") {
			t.Errorf("%s does not validate: %v\n%s", file, err, out)
		}
	}
	// The same schema must still reject what no agent accepts, or the check proves nothing.
	bad := filepath.Join(dir, "bad.conf")
	badConf := strings.Replace(string(readFile(t, files[0])), `fence_mode=`, `no_such_param="1" fence_mode=`, 1)
	if err := os.WriteFile(bad, []byte(badConf), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := exec.Command(xmllint, "--noout", "--relaxng", schemaPath, bad).Run(); err == nil {
		t.Error("the schema accepted an unknown fence attribute")
	}
}
