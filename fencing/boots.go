package fencing

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/ovhfence/ovhfence/ovhapi"
)

// BootIDs are a server's netboot IDs. Only the disk ID (1) is the same everywhere
// (DESIGN.md D2); zero means unknown. The descriptions are OVH's words for the
// chosen netboots, shown to people; fencing uses only the IDs.
type BootIDs struct {
	Rescue, Power, Disk                 int64
	RescueDescription, PowerDescription string
}

// DiscoverBoots finds a server's rescue, power and disk netboots. A server without a
// power netboot gets Power 0; a server without a usable rescue netboot is an error
// that lists what the server offers.
func DiscoverBoots(ctx context.Context, api API, sn string) (BootIDs, error) {
	ids := BootIDs{Disk: ovhapi.DiskBootID}
	boots, err := readBoots(ctx, api, sn, "")
	if err != nil {
		return ids, err
	}
	rescue, err := bestRescue(sn, boots)
	if err != nil {
		return ids, err
	}
	ids.Rescue, ids.RescueDescription = rescue.ID, rescue.Description
	if power, ok := powerBoot(boots); ok {
		ids.Power, ids.PowerDescription = power.ID, power.Description
	}
	return ids, nil
}

// readBoots reads every netboot of bootType ("" = all) of the server.
func readBoots(ctx context.Context, api API, sn, bootType string) ([]ovhapi.Boot, error) {
	ids, err := api.ListBoots(ctx, sn, bootType)
	if err != nil {
		return nil, fmt.Errorf("listing the netboots of %s: %w", sn, err)
	}
	boots := make([]ovhapi.Boot, 0, len(ids))
	for _, id := range ids {
		boot, err := api.GetBoot(ctx, sn, id)
		if err != nil {
			return nil, fmt.Errorf("reading netboot %d of %s: %w", id, sn, err)
		}
		boots = append(boots, boot)
	}
	return boots, nil
}

// bestRescue picks the rescue netboot of highest rescueRank, or says what the
// server offers instead.
func bestRescue(sn string, boots []ovhapi.Boot) (ovhapi.Boot, error) {
	var best ovhapi.Boot
	bestRank := 0
	for _, b := range boots {
		if rank := rescueRank(b); rank > bestRank {
			best, bestRank = b, rank
		}
	}
	if bestRank == 0 {
		return best, fmt.Errorf("server %s has no Linux rescue netboot (rescueNN-customer, rescue-customer or rescue64-pro); it offers: %s", sn, describeBoots(boots))
	}
	return best, nil
}

// rescueRank orders rescue netboots as OVH's catalogue has them over time
// (reference/ovh-api.md §3.3): rescueNN-customer by highest NN (today
// rescue12-customer), then rescue-customer, then the legacy rescue64-pro. Any
// other kernel ranks 0, never usable: ipxe-shell is also of type rescue but
// boots no Linux.
func rescueRank(b ovhapi.Boot) int {
	kernel := b.Kernel
	switch {
	case b.Type != ovhapi.BootTypeRescue:
		return 0
	case kernel == ovhapi.KernelRescue64Pro:
		return 1
	case kernel == ovhapi.KernelRescueCustomer:
		return 2
	}
	version, ok := strings.CutPrefix(kernel, "rescue")
	if version, ok = strings.CutSuffix(version, "-customer"); !ok {
		return 0
	}
	n, err := strconv.Atoi(version)
	if err != nil || n <= 0 || n > 1000 || strconv.Itoa(n) != version {
		return 0
	}
	return 2 + n
}

// powerBoot finds the power-off netboot among boots.
func powerBoot(boots []ovhapi.Boot) (ovhapi.Boot, bool) {
	for _, b := range boots {
		if b.Type == ovhapi.BootTypePower && b.Kernel == ovhapi.KernelPoweroff {
			return b, true
		}
	}
	return ovhapi.Boot{}, false
}

// describeBoots lists netboots for an error message.
func describeBoots(boots []ovhapi.Boot) string {
	if len(boots) == 0 {
		return "no netboot"
	}
	parts := make([]string, 0, len(boots))
	for _, b := range boots {
		parts = append(parts, fmt.Sprintf("%d %s/%s %q", b.ID, b.Type, b.Kernel, b.Description))
	}
	return strings.Join(parts, ", ")
}

// offBoot returns the netboot that keeps t's server off, discovering it if the
// configuration did not give it.
func (f *Fencer) offBoot(ctx context.Context, t Target) (int64, error) {
	switch t.Mode {
	case ModePoweroff:
		if t.Boots.Power != 0 {
			return t.Boots.Power, nil
		}
		boots, err := readBoots(ctx, f.API, t.Server, ovhapi.BootTypePower)
		if err != nil {
			return 0, err
		}
		power, ok := powerBoot(boots)
		if !ok {
			return 0, fmt.Errorf("server %s has no power netboot: use fence_mode=rescue", t.Server)
		}
		return power.ID, nil
	case ModeRescue, "":
		if t.Boots.Rescue != 0 {
			return t.Boots.Rescue, nil
		}
		boots, err := readBoots(ctx, f.API, t.Server, ovhapi.BootTypeRescue)
		if err != nil {
			return 0, err
		}
		rescue, err := bestRescue(t.Server, boots)
		return rescue.ID, err
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
