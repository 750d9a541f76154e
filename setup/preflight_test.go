package setup

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/cluster"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const corosyncConf = `totem {
    version: 2
    cluster_name: prod
    interface {
        ringnumber: 0
    }
}
nodelist {
    node {
        ring0_addr: 10.0.0.1
        name: web1
        nodeid: 1
    }
    node {
        ring0_addr: web2.example.net
        nodeid: 2
    }
}
quorum {
    provider: corosync_votequorum
    two_node: 1
}
`

const clusterConf = `<?xml version="1.0"?>
<cluster name="pvecluster" config_version="7">
  <cman keyfile="/var/lib/pve-cluster/corosync.authkey"/>
  <clusternodes>
    <clusternode name="pve1" votes="1" nodeid="1"/>
    <clusternode name="pve2" votes="1" nodeid="2"/>
  </clusternodes>
</cluster>
`

func TestPreflightReadsTheCluster(t *testing.T) {
	noTools := func(string) (string, error) { return "", errors.New("not found") }
	pcsOnly := func(file string) (string, error) {
		if file == "pcs" {
			return "/usr/sbin/pcs", nil
		}
		return "", errors.New("not found")
	}
	missing := filepath.Join(t.TempDir(), "none")
	tests := []struct {
		name        string
		opts        Options
		wantTargets []cluster.Target
		wantName    string
		wantNodes   []string
		wantErr     string
	}{
		{"proxmox 3", Options{ClusterConf: writeFile(t, "cluster.conf", clusterConf), CorosyncConf: missing, LookPath: noTools},
			[]cluster.Target{cluster.TargetPVE3}, "pvecluster", []string{"pve1", "pve2"}, ""},
		{"pacemaker", Options{ClusterConf: missing, CorosyncConf: writeFile(t, "corosync.conf", corosyncConf), LookPath: pcsOnly},
			[]cluster.Target{cluster.TargetPcs}, "prod", []string{"web1", "web2.example.net"}, ""},
		{"no nodelist", Options{ClusterConf: missing, CorosyncConf: writeFile(t, "corosync.conf", "totem {\n}\n"), LookPath: noTools},
			nil, "", nil, "has no nodelist"},
		{"broken cluster.conf", Options{ClusterConf: writeFile(t, "cluster.conf", "<cluster name="), CorosyncConf: missing, LookPath: noTools},
			[]cluster.Target{cluster.TargetPVE3}, "", nil, "cluster.conf"},
		{"nothing", Options{ClusterConf: missing, CorosyncConf: missing, LookPath: noTools}, nil, "", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pf, err := New(tt.opts).preflight()
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if !reflect.DeepEqual(pf.Detected, tt.wantTargets) || pf.ClusterName != tt.wantName || !reflect.DeepEqual(pf.Nodes, tt.wantNodes) {
				t.Errorf("preflight = %+v", pf)
			}
		})
	}
}

func TestSandboxPreflight(t *testing.T) {
	sb := &Sandbox{Nodes: []string{"node1", "node2", "node3"}}
	pf, err := New(Options{Sandbox: sb, OutDir: "out"}).preflight()
	if err != nil || !pf.Sandbox || !reflect.DeepEqual(pf.Nodes, sb.Nodes) ||
		!reflect.DeepEqual(pf.Detected, []cluster.Target{cluster.TargetPcs, cluster.TargetPVE3}) ||
		!strings.Contains(pf.SandboxNote, "validates every consumer key for you") {
		t.Errorf("sandbox preflight = %+v, %v", pf, err)
	}
	pf, err = New(Options{Sandbox: &Sandbox{}, CorosyncConf: writeFile(t, "corosync.conf", corosyncConf)}).preflight()
	if err != nil || !reflect.DeepEqual(pf.Nodes, []string{"web1", "web2.example.net"}) {
		t.Errorf("sandbox with a corosync.conf: %+v, %v", pf, err)
	}
}
