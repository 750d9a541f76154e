package cluster

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/ovhfence/ovhfence/ovhapi"
)

// Load reads, parses and validates the cluster file at path.
func Load(path string) (*Cluster, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	c, err := Parse(path, data)
	if err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// Parse reads a cluster file; name is used in error messages. It checks the
// syntax and that numbers are numbers, and fills in defaults; Validate checks the
// meaning. Every problem found is reported, each as a *FieldError.
func Parse(name string, data []byte) (*Cluster, error) {
	p := parser{file: name, c: &Cluster{source: name, lines: map[string]int{}}}
	for i, line := range strings.Split(string(data), "\n") {
		p.parseLine(i+1, strings.TrimSpace(line))
	}
	if !p.sawCluster {
		p.fail(0, "", "no [cluster] section")
	}
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	p.c.applyDefaults()
	return p.c, nil
}

var nodeHeader = regexp.MustCompile(`^\[\s*node\s+"([^"]*)"\s*\]$`)

type parser struct {
	file       string
	c          *Cluster
	node       *Node // the [node] section being read; nil inside [cluster]
	inSection  bool
	sawCluster bool
	errs       []error
}

func (p *parser) fail(line int, field, problem string) {
	p.errs = append(p.errs, &FieldError{File: p.file, Line: line, Field: field, Problem: problem})
}

func (p *parser) parseLine(n int, line string) {
	switch {
	case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
	case strings.HasPrefix(line, "["):
		p.startSection(n, line)
	default:
		key, value, ok := strings.Cut(line, "=")
		if !ok {
			p.fail(n, "", fmt.Sprintf("expected key = value, got %q", line))
			return
		}
		p.setField(n, strings.TrimSpace(key), unquote(strings.TrimSpace(value)))
	}
}

func (p *parser) startSection(n int, line string) {
	p.node, p.inSection = nil, true
	if line == "[cluster]" {
		if p.sawCluster {
			p.fail(n, "", "second [cluster] section")
		}
		p.sawCluster = true
		return
	}
	m := nodeHeader.FindStringSubmatch(line)
	if m == nil {
		p.inSection = false
		p.fail(n, "", fmt.Sprintf(`unknown section %s: use [cluster] or [node "<node name>"]`, line))
		return
	}
	for _, other := range p.c.Nodes {
		if other.Name == m[1] {
			p.fail(n, fmt.Sprintf("node %q", m[1]), fmt.Sprintf("defined twice (first at line %d)", other.line))
		}
	}
	p.c.Nodes = append(p.c.Nodes, Node{Name: m[1], line: n, lines: map[string]int{}})
	p.node = &p.c.Nodes[len(p.c.Nodes)-1]
}

func (p *parser) setField(n int, key, value string) {
	switch {
	case !p.inSection:
		p.fail(n, key, "outside any section")
	case p.node != nil:
		setWith(p, n, p.node, nodeSetters, p.node.lines, key, p.node.field(key), value)
	default:
		setWith(p, n, p.c, clusterSetters, p.c.lines, key, key, value)
	}
}

// setWith sets one field of a section, remembering its line for later errors.
func setWith[T any](p *parser, n int, target T, setters map[string]func(T, string) error,
	lines map[string]int, key, field, value string) {
	set, ok := setters[key]
	if !ok {
		p.fail(n, field, "unknown field")
		return
	}
	if first, dup := lines[key]; dup {
		p.fail(n, field, fmt.Sprintf("set twice (first at line %d)", first))
		return
	}
	lines[key] = n
	if err := set(target, value); err != nil {
		p.fail(n, field, err.Error())
	}
}

// The setters convert one value; enumerations and ranges are Validate's job.
var clusterSetters = map[string]func(*Cluster, string) error{
	"name":          func(c *Cluster, v string) error { c.Name = v; return nil },
	"target":        func(c *Cluster, v string) error { c.Target = Target(v); return nil },
	"endpoint":      func(c *Cluster, v string) error { c.Endpoint = v; return nil },
	"credentials":   func(c *Cluster, v string) error { c.Credentials = v; return nil },
	"fence_mode":    func(c *Cluster, v string) error { c.FenceMode = FenceMode(v); return nil },
	"action":        func(c *Cluster, v string) error { c.Action = Action(v); return nil },
	"power_timeout": func(c *Cluster, v string) error { return parseInt(v, &c.PowerTimeout) },
	"reboot_time":   func(c *Cluster, v string) error { return parseInt(v, &c.RebootTime) },
	"no_intervention": func(c *Cluster, v string) error {
		if v != NoInterventionSet && v != NoInterventionUnchanged {
			return fmt.Errorf("%q: use set or unchanged", v)
		}
		c.NoIntervention = v
		return nil
	},
}

var nodeSetters = map[string]func(*Node, string) error{
	"server":         func(n *Node, v string) error { n.Server = v; return nil },
	"rescue_boot_id": func(n *Node, v string) error { return parseID(v, &n.RescueBootID) },
	"power_boot_id":  func(n *Node, v string) error { return parseID(v, &n.PowerBootID) },
	"disk_boot_id":   func(n *Node, v string) error { return parseID(v, &n.DiskBootID) },
	"delay":          func(n *Node, v string) error { return parseInt(v, &n.Delay) },
}

func parseInt(v string, dst *int) error {
	n, err := strconv.Atoi(v)
	if err != nil {
		return fmt.Errorf("%q is not a whole number", v)
	}
	*dst = n
	return nil
}

func parseID(v string, dst *int64) error {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return fmt.Errorf("%q is not a boot ID (a whole number)", v)
	}
	*dst = n
	return nil
}

// unquote lets a value be written "in quotes", as in ovh.conf.
func unquote(v string) string {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		return v[1 : len(v)-1]
	}
	return v
}

// applyDefaults fills the fields the file left out.
func (c *Cluster) applyDefaults() {
	fill := func(key string, set func()) {
		if _, ok := c.lines[key]; !ok {
			set()
		}
	}
	fill("endpoint", func() { c.Endpoint = DefaultEndpoint })
	fill("credentials", func() { c.Credentials = DefaultCredentialsPath(c.Target) })
	fill("fence_mode", func() { c.FenceMode = DefaultFenceMode })
	fill("action", func() { c.Action = DefaultAction })
	fill("power_timeout", func() { c.PowerTimeout = DefaultPowerTimeout })
	for i := range c.Nodes {
		if _, ok := c.Nodes[i].lines["disk_boot_id"]; !ok {
			c.Nodes[i].DiskBootID = ovhapi.DiskBootID
		}
	}
}
