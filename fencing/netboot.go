package fencing

import (
	"context"
	"fmt"

	"github.com/ovhfence/ovhfence/ovhapi"
)

// checkedOffBoot is the netboot that keeps t's server off, refused when it would
// not: the disk netboot boots the cluster's OS again, and, when the key may read
// netboots, one whose type is not rescue (rescue mode) or power (poweroff mode)
// may too.
func (f *Fencer) checkedOffBoot(ctx context.Context, t Target) (int64, error) {
	id, err := f.offBoot(ctx, t)
	if err != nil {
		return 0, err
	}
	if err := checkNotDisk(t, "off", id); err != nil {
		return 0, err
	}
	boot, err := f.API.GetBoot(ctx, t.Server, id)
	switch {
	case ovhapi.KindOf(err) == ovhapi.KindNotGranted:
		f.logf("the key may not read netboot %d of %s: its type is not checked", id, t.Server)
		return id, nil
	case err != nil:
		return 0, fmt.Errorf("reading netboot %d of %s to check it: %w", id, t.Server, err)
	}
	if want := offBootType(t.Mode); boot.Type != want {
		return 0, fmt.Errorf("netboot %d of %s is of type %q (kernel %q), not %q: it would not keep the server off in %s mode; check %s_boot_id",
			id, t.Server, boot.Type, boot.Kernel, want, modeOrDefault(t.Mode), want)
	}
	return id, nil
}

// ValidateBoots refuses configured off netboots equal to the disk netboot: "off"
// would start the cluster's OS. It needs no API call, so validate-all runs it too.
func ValidateBoots(t Target) error {
	if err := checkNotDisk(t, "rescue", t.Boots.Rescue); err != nil {
		return err
	}
	return checkNotDisk(t, "power", t.Boots.Power)
}

func checkNotDisk(t Target, which string, id int64) error {
	if id != 0 && id == diskBoot(t) {
		return fmt.Errorf("the %s netboot of %s (%d) is its disk netboot: off would start the cluster's OS again; "+
			"set rescue_boot_id / power_boot_id to the rescue or power-off netboot, or leave them unset to look them up", which, t.Server, id)
	}
	return nil
}

func offBootType(m Mode) string {
	if m == ModePoweroff {
		return ovhapi.BootTypePower
	}
	return ovhapi.BootTypeRescue
}

func modeOrDefault(m Mode) Mode {
	if m == "" {
		return ModeRescue
	}
	return m
}
