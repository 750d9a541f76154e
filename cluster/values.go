package cluster

import (
	"errors"
	"fmt"
	"slices"
)

// One check per kind of value, shared by the cluster file's Validate and the
// setup wizard's answers, so that a name the wizard accepts at its first step
// is never refused by the cluster model at its last.

// Targets are the known targets, in the order they are offered.
var Targets = []Target{TargetPVE3, TargetPcs, TargetCrm}

// FenceModes are the known fence modes, in the order they are offered.
var FenceModes = []FenceMode{FenceRescue, FencePoweroff}

var errBadName = errors.New("use letters, digits, '.', '_' and '-', starting with a letter or digit")

// CheckName checks a cluster, node or server name: it ends up unquoted in
// XML IDs, shell scripts and crm syntax.
func CheckName(name string) error {
	if !safeName.MatchString(name) {
		return errBadName
	}
	return nil
}

// CheckTarget checks a target name.
func CheckTarget(t Target) error {
	if !slices.Contains(Targets, t) {
		return fmt.Errorf("%q: use pve3 (Proxmox VE 3), pcs or crm (Pacemaker)", t)
	}
	return nil
}

// CheckFenceMode checks a fence mode name.
func CheckFenceMode(m FenceMode) error {
	if !slices.Contains(FenceModes, m) {
		return fmt.Errorf("%q: want rescue or poweroff", m)
	}
	return nil
}
