package fencing

import (
	"context"
	"fmt"

	"github.com/ovhfence/ovhfence/ovhapi"
)

// BootIDs are a server's netboot IDs. Only the disk ID (1) is the same everywhere
// (DESIGN.md D2); zero means unknown.
type BootIDs struct {
	Rescue, Power, Disk int64
}

// DiscoverBoots finds a server's rescue, power and disk netboots. A server without a
// power netboot gets Power 0; a server without a rescue netboot is an error.
func DiscoverBoots(ctx context.Context, api API, sn string) (BootIDs, error) {
	ids := BootIDs{Disk: ovhapi.DiskBootID}
	rescue, err := findBoot(ctx, api, sn, ovhapi.BootTypeRescue, ovhapi.KernelRescueCustomer)
	if err != nil {
		return ids, err
	}
	if rescue == 0 {
		return ids, fmt.Errorf("server %s has no rescue netboot (kernel %s)", sn, ovhapi.KernelRescueCustomer)
	}
	ids.Rescue = rescue
	if ids.Power, err = findBoot(ctx, api, sn, ovhapi.BootTypePower, ovhapi.KernelPoweroff); err != nil {
		return ids, err
	}
	return ids, nil
}

// findBoot returns the ID of the netboot of bootType whose kernel is kernel, or 0.
// Several netboots share a type (rescue-customer and ipxe-shell are both "rescue"),
// so the kernel decides.
func findBoot(ctx context.Context, api API, sn, bootType, kernel string) (int64, error) {
	ids, err := api.ListBoots(ctx, sn, bootType)
	if err != nil {
		return 0, fmt.Errorf("listing %s netboots of %s: %w", bootType, sn, err)
	}
	for _, id := range ids {
		boot, err := api.GetBoot(ctx, sn, id)
		if err != nil {
			return 0, fmt.Errorf("reading netboot %d of %s: %w", id, sn, err)
		}
		if boot.Kernel == kernel {
			return id, nil
		}
	}
	return 0, nil
}

// offBoot returns the netboot that keeps t's server off, discovering it if the
// configuration did not give it.
func (f *Fencer) offBoot(ctx context.Context, t Target) (int64, error) {
	switch t.Mode {
	case ModePoweroff:
		if t.Boots.Power != 0 {
			return t.Boots.Power, nil
		}
		id, err := findBoot(ctx, f.API, t.Server, ovhapi.BootTypePower, ovhapi.KernelPoweroff)
		if err == nil && id == 0 {
			err = fmt.Errorf("server %s has no power netboot: use fence_mode=rescue", t.Server)
		}
		return id, err
	case ModeRescue, "":
		if t.Boots.Rescue != 0 {
			return t.Boots.Rescue, nil
		}
		id, err := findBoot(ctx, f.API, t.Server, ovhapi.BootTypeRescue, ovhapi.KernelRescueCustomer)
		if err == nil && id == 0 {
			err = fmt.Errorf("server %s has no rescue netboot (kernel %s)", t.Server, ovhapi.KernelRescueCustomer)
		}
		return id, err
	default:
		return 0, fmt.Errorf("unknown fence mode %q (want rescue or poweroff)", t.Mode)
	}
}

func diskBoot(t Target) int64 {
	if t.Boots.Disk != 0 {
		return t.Boots.Disk
	}
	return ovhapi.DiskBootID
}
