package fencing

import (
	"context"
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/ovhapi"
)

// catalogueAPI serves one server's netboot catalogue, in the order given.
type catalogueAPI struct {
	API   // nil: only the catalogue calls are answered
	boots []ovhapi.Boot
}

func (c catalogueAPI) ListBoots(_ context.Context, _ string, bootType string) ([]int64, error) {
	ids := []int64{}
	for _, b := range c.boots {
		if bootType == "" || b.Type == bootType {
			ids = append(ids, b.ID)
		}
	}
	return ids, nil
}

func (c catalogueAPI) GetBoot(_ context.Context, _ string, id int64) (ovhapi.Boot, error) {
	for _, b := range c.boots {
		if b.ID == id {
			return b, nil
		}
	}
	return ovhapi.Boot{}, &ovhapi.Error{Kind: ovhapi.KindNotFound, Status: 404}
}

// usableRescues are reference/ovh-api.md §3.3's rescue kernels, worst first.
var usableRescues = []string{"rescue64-pro", "rescue-customer", "rescue9-customer", "rescue11-customer", "rescue12-customer", "rescue13-customer"}

// unusable netboots: iPXE is of type rescue too; the rest are not rescues.
var unusable = []ovhapi.Boot{
	{Type: "rescue", Kernel: "ipxe-shell", Description: "iPXE shell"},
	{Type: "rescue", Kernel: "rescue12-customer-ipxe"},
	{Type: "rescue", Kernel: "rescue012-customer"},
	{Type: "rescue", Kernel: "rescuex-customer"},
	{Type: "harddisk", Kernel: "hd", Description: "Boot to disk"},
	{Type: "power", Kernel: "poweroff", Description: "Power-off server"},
	{Type: "network", Kernel: "rescue12-customer"}, // right kernel, wrong type
}

// Invariant, over generated catalogues in any order: discovery picks the best
// usable rescue kernel of §3.3's ranking, never an iPXE one; with none, the
// error names every netboot the server offers.
func TestDiscoverBootsRanksRescues(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	for i := 0; i < 2000; i++ {
		var boots []ovhapi.Boot
		best := -1
		for rank, kernel := range usableRescues {
			if rng.Intn(3) == 0 {
				boots = append(boots, ovhapi.Boot{Type: "rescue", Kernel: kernel, Description: "rescue " + kernel})
				best = rank
			}
		}
		for _, b := range unusable {
			if rng.Intn(2) == 0 {
				boots = append(boots, b)
			}
		}
		rng.Shuffle(len(boots), func(a, b int) { boots[a], boots[b] = boots[b], boots[a] })
		for n := range boots {
			boots[n].ID = int64(1000 + rng.Intn(1000)*10 + n)
		}
		ids, err := DiscoverBoots(context.Background(), catalogueAPI{boots: boots}, "ns1")
		if best < 0 {
			if err == nil {
				t.Fatalf("%+v: no error, picked %d", boots, ids.Rescue)
			}
			for _, b := range boots {
				if !strings.Contains(err.Error(), b.Kernel) {
					t.Fatalf("error %q does not list %s", err, b.Kernel)
				}
			}
			continue
		}
		if err != nil {
			t.Fatalf("%+v: %v", boots, err)
		}
		i := slices.IndexFunc(boots, func(b ovhapi.Boot) bool { return b.ID == ids.Rescue })
		if i < 0 || boots[i].Kernel != usableRescues[best] || boots[i].Type != "rescue" || ids.RescueDescription != boots[i].Description {
			t.Fatalf("%+v: picked %+v, want kernel %s", boots, ids, usableRescues[best])
		}
	}
}

// Today's catalogue (reference §3.3): rescue12-customer beside ipxe-shell.
func TestDiscoverBootsTodaysCatalogue(t *testing.T) {
	api := catalogueAPI{boots: []ovhapi.Boot{
		{ID: 1, Type: "harddisk", Kernel: "hd", Description: "Boot to disk"},
		{ID: 203323, Type: "rescue", Kernel: "ipxe-shell", Description: "iPXE shell"},
		{ID: 230242, Type: "rescue", Kernel: "rescue12-customer", Description: "Customer rescue system (Debian-12-based)"},
		{ID: 95083, Type: "power", Kernel: "poweroff", Description: "Power-off server"},
	}}
	ids, err := DiscoverBoots(context.Background(), api, "ns1")
	want := BootIDs{Rescue: 230242, Power: 95083, Disk: 1,
		RescueDescription: "Customer rescue system (Debian-12-based)", PowerDescription: "Power-off server"}
	if err != nil || ids != want {
		t.Fatalf("DiscoverBoots = %+v, %v; want %+v", ids, err, want)
	}
	f := &Fencer{API: api}
	if id, err := f.offBoot(context.Background(), Target{Server: "ns1", Mode: ModeRescue}); err != nil || id != 230242 {
		t.Fatalf("offBoot = %d, %v", id, err)
	}
}
