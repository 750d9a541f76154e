package setup

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"slices"
	"strings"

	"github.com/ovhfence/ovhfence/cluster"
	"github.com/ovhfence/ovhfence/wizard"
)

// Standard locations (reference/peers-proxmox.md §1–2).
const (
	pve3ClusterConf   = "/etc/pve/cluster.conf"
	pveCorosyncConf   = "/etc/pve/corosync.conf" // Proxmox VE ≥ 4
	localCorosyncConf = "/etc/corosync/corosync.conf"
)

// preflight finds the target stack and the cluster's nodes.
func (r *Runner) preflight() (wizard.Preflight, error) {
	if r.opts.Sandbox != nil {
		return r.sandboxPreflight()
	}
	var pf wizard.Preflight
	clusterConf := orDefault(r.opts.ClusterConf, pve3ClusterConf)
	corosync := orDefault(r.opts.CorosyncConf, localCorosyncConf)
	var err error
	switch {
	case exists(clusterConf):
		pf.Detected = append(pf.Detected, cluster.TargetPVE3)
		err = readClusterConf(clusterConf, &pf)
	case r.opts.CorosyncConf == "" && exists(pveCorosyncConf):
		pf.PVE4 = true
		err = readCorosync(pveCorosyncConf, &pf)
	case exists(corosync):
		err = readCorosync(corosync, &pf)
	}
	for _, tool := range []cluster.Target{cluster.TargetPcs, cluster.TargetCrm} {
		if _, lookErr := r.opts.LookPath(string(tool)); lookErr == nil {
			pf.Detected = append(pf.Detected, tool)
		}
	}
	pf.Hostname, _ = os.Hostname() // none: no node is taken for this one
	r.logf("preflight: detected %v, %d nodes from %s", pf.Detected, len(pf.Nodes), orDefault(pf.NodesSource, "nowhere"))
	return pf, err
}

func (r *Runner) sandboxPreflight() (wizard.Preflight, error) {
	pf := wizard.Preflight{
		Detected:    []cluster.Target{cluster.TargetPcs, cluster.TargetPVE3},
		Sandbox:     true,
		SeedServers: r.opts.Sandbox.SeedServers,
		SandboxNote: "Sandbox: a simulated OVH API on this machine, with " + sandboxServers(r.opts.Sandbox.SeedServers) + "; it validates " +
			"every consumer key for you two seconds after it is requested. Files go to " + r.opts.OutDir + ".",
	}
	var err error
	switch {
	case r.opts.ClusterConf != "":
		err = readClusterConf(r.opts.ClusterConf, &pf)
	case r.opts.CorosyncConf != "":
		err = readCorosync(r.opts.CorosyncConf, &pf)
	default:
		pf.ClusterName, pf.Nodes = "sandbox", slices.Clone(r.opts.Sandbox.Nodes)
	}
	return pf, err
}

// readClusterConf reads a cman cluster.conf's name and clusternode names.
func readClusterConf(path string, pf *wizard.Preflight) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc struct {
		Name  string `xml:"name,attr"`
		Nodes []struct {
			Name string `xml:"name,attr"`
		} `xml:"clusternodes>clusternode"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	pf.ClusterName, pf.NodesSource, pf.ClusterConf = doc.Name, path, path
	for _, n := range doc.Nodes {
		pf.Nodes = append(pf.Nodes, n.Name)
	}
	return nil
}

// readCorosync reads totem.cluster_name and each nodelist node's name (or,
// without one, its ring0_addr) from a corosync.conf.
func readCorosync(path string, pf *wizard.Preflight) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var stack []string
	var name, addr string
	scanner := bufio.NewScanner(bytes.NewReader(data))
	for scanner.Scan() {
		line := strings.TrimSpace(scanner.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasSuffix(line, "{"):
			stack = append(stack, strings.TrimSpace(strings.TrimSuffix(line, "{")))
			name, addr = "", ""
		case line == "}":
			if len(stack) >= 2 && stack[len(stack)-1] == "node" && stack[len(stack)-2] == "nodelist" {
				node := orDefault(name, addr)
				pf.Nodes = append(pf.Nodes, node)
				if ip, err := netip.ParseAddr(addr); err == nil && ip.Is4() {
					if pf.NodeAddrs == nil {
						pf.NodeAddrs = map[string][]wizard.NodeAddr{}
					}
					pf.NodeAddrs[node] = append(pf.NodeAddrs[node], wizard.NodeAddr{IP: addr, Source: "ring0_addr in " + path})
				}
			}
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		default:
			key, value, _ := strings.Cut(line, ":")
			key, value = strings.TrimSpace(key), strings.TrimSpace(value)
			switch section := strings.Join(stack, "."); {
			case section == "totem" && key == "cluster_name":
				pf.ClusterName = value
			case section == "nodelist.node" && key == "name":
				name = value
			case section == "nodelist.node" && key == "ring0_addr":
				addr = value
			}
		}
	}
	pf.NodesSource = path
	if len(pf.Nodes) == 0 {
		return fmt.Errorf("%s has no nodelist with named nodes", path)
	}
	return nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil || !errors.Is(err, fs.ErrNotExist)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// sandboxServers says how many servers the sandbox holds.
func sandboxServers(seeded int) string {
	if seeded > 0 {
		return fmt.Sprintf("%d servers", seeded)
	}
	return "four servers"
}
