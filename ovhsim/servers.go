package ovhsim

import (
	"fmt"
	"strings"
)

// Netboot kernels and types (reference §3.3).
const (
	kernelDisk           = "hd"
	kernelRescueCustomer = "rescue-customer"
	kernelIpxeShell      = "ipxe-shell"
	kernelPoweroff       = "poweroff"

	diskBootID int64 = 1 // the only boot ID that is the same on every server

	powerOn  = "poweron"
	powerOff = "poweroff"
)

// boot is one entry of a server's netboot catalogue.
type boot struct {
	ID          int64  `json:"bootId"`
	Type        string `json:"bootType"`
	Description string `json:"description"`
	Kernel      string `json:"kernel"`
}

// iam is the IAM block of a dedicated server.
type iam struct {
	ID          string `json:"id"`
	URN         string `json:"urn"`
	DisplayName string `json:"displayName"`
	Tags        any    `json:"tags"`
}

// dedicated is GET /dedicated/server/{sn} (reference §3.1).
type dedicated struct {
	Name              string  `json:"name"`
	ServerID          int64   `json:"serverId"`
	IP                string  `json:"ip"`
	Reverse           *string `json:"reverse"`
	Datacenter        string  `json:"datacenter"`
	Region            string  `json:"region"`
	AvailabilityZone  string  `json:"availabilityZone"`
	Rack              string  `json:"rack"`
	CommercialRange   string  `json:"commercialRange"`
	LinkSpeed         int     `json:"linkSpeed"`
	OS                string  `json:"os"`
	ProfessionalUse   bool    `json:"professionalUse"`
	NewUpgradeSystem  bool    `json:"newUpgradeSystem"`
	SupportLevel      string  `json:"supportLevel"`
	BootID            *int64  `json:"bootId"`
	BootScript        *string `json:"bootScript"`
	EfiBootloaderPath *string `json:"efiBootloaderPath"`
	RootDevice        *string `json:"rootDevice"`
	Monitoring        bool    `json:"monitoring"`
	NoIntervention    bool    `json:"noIntervention"`
	RescueMail        *string `json:"rescueMail"`
	RescueSSHKey      *string `json:"rescueSshKey"`
	State             string  `json:"state"`
	PowerState        string  `json:"powerState"`
	IAM               iam     `json:"iam"`
}

// server is a simulated dedicated server.
type server struct {
	info         dedicated
	boots        []boot
	bootedKernel string // the netboot the last finished reboot started
	tasks        []*task
}

func newServer(seed ServerSeed, serverID int64) *server {
	power := seed.PowerState
	if power == "" {
		power = powerOn
	}
	disk := diskBootID
	region := regionOf(seed.Datacenter)
	srv := &server{
		info: dedicated{
			Name:             seed.Name,
			ServerID:         serverID,
			IP:               seed.IP,
			Datacenter:       seed.Datacenter,
			Region:           region,
			AvailabilityZone: region + "-a",
			Rack:             fmt.Sprintf("R%03d", serverID%1000),
			CommercialRange:  seed.CommercialRange,
			LinkSpeed:        1000,
			OS:               "proxmox3_64",
			SupportLevel:     "pro",
			BootID:           &disk,
			Monitoring:       true,
			State:            "ok",
			PowerState:       power,
			IAM: iam{
				ID:          fmt.Sprintf("%08x-0000-4000-8000-%012x", serverID, serverID),
				URN:         "urn:v1:eu:resource:dedicatedServer:" + seed.Name,
				DisplayName: seed.Name,
			},
		},
		boots:        bootCatalogue(seed),
		bootedKernel: kernelDisk,
	}
	if seed.Reverse != "" {
		srv.info.Reverse = &seed.Reverse
	}
	if power == powerOff {
		srv.bootedKernel = kernelPoweroff
	}
	return srv
}

// bootCatalogue lists the netboots the seed gives the server; only the disk
// boot is always there. Descriptions: reference §3.3 quotes the disk's, the
// power netboot's and rescue12-customer's; the others are guesses.
func bootCatalogue(seed ServerSeed) []boot {
	boots := []boot{{ID: diskBootID, Type: "harddisk", Description: "Boot to disk", Kernel: kernelDisk}}
	for _, b := range []boot{
		{ID: seed.RescueBootID, Type: "rescue", Description: rescueDescriptions[seed.rescueKernel()], Kernel: seed.rescueKernel()},
		{ID: seed.IpxeBootID, Type: "rescue", Description: "iPXE shell", Kernel: kernelIpxeShell},
		{ID: seed.PowerBootID, Type: "power", Description: "Power-off server", Kernel: kernelPoweroff},
	} {
		if b.ID != 0 {
			boots = append(boots, b)
		}
	}
	return boots
}

// regionOf names the OVH region of a datacenter such as "gra1".
func regionOf(datacenter string) string {
	site := strings.TrimRight(datacenter, "0123456789")
	switch site {
	case "bhs":
		return "ca-east-" + site
	case "":
		return ""
	}
	return "eu-west-" + site
}

// bootByID finds a netboot of the server's catalogue.
func (srv *server) bootByID(id int64) (boot, bool) {
	for _, b := range srv.boots {
		if b.ID == id {
			return b, true
		}
	}
	return boot{}, false
}
