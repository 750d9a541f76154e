// Package ovhapi is ovhfence's layer over github.com/ovh/go-ovh: named endpoints,
// credentials, the dedicated-server calls fencing needs, classified errors and
// retries. See DESIGN.md D6 and reference/ovh-api.md.
package ovhapi

import "time"

// Server is the part of GET /dedicated/server/{sn} that ovhfence uses.
type Server struct {
	Name            string `json:"name"`
	ServerID        int64  `json:"serverId"`
	IP              string `json:"ip"`
	Reverse         string `json:"reverse"`
	Datacenter      string `json:"datacenter"`
	CommercialRange string `json:"commercialRange"`
	State           string `json:"state"`
	PowerState      string `json:"powerState"` // "poweron" | "poweroff"
	BootID          int64  `json:"bootId"`
	RescueMail      string `json:"rescueMail"`
	Monitoring      bool   `json:"monitoring"`     // OVH pings it (ICMP)
	NoIntervention  bool   `json:"noIntervention"` // "Prevent datacenter intervention"
}

// Boot types and kernels ovhfence looks for (reference/ovh-api.md §3.3).
const (
	BootTypeHarddisk = "harddisk"
	BootTypeRescue   = "rescue"
	BootTypePower    = "power"

	KernelRescueCustomer = "rescue-customer" // older servers; today rescue12-customer
	KernelRescue64Pro    = "rescue64-pro"    // legacy servers
	KernelPoweroff       = "poweroff"

	DiskBootID int64 = 1 // the only boot ID that is the same on every server
)

// Boot is GET /dedicated/server/{sn}/boot/{bootId}.
type Boot struct {
	ID          int64  `json:"bootId"`
	Type        string `json:"bootType"`
	Kernel      string `json:"kernel"`
	Description string `json:"description"`
}

// Task states (reference/ovh-api.md §3.5).
const (
	TaskInit          = "init"
	TaskTodo          = "todo"
	TaskDoing         = "doing"
	TaskDone          = "done"
	TaskCancelled     = "cancelled"
	TaskCustomerError = "customerError"
	TaskOVHError      = "ovhError"

	FunctionHardReboot = "hardReboot"
)

// Task is a dedicated-server task, as returned by POST …/reboot and GET …/task/{id}.
type Task struct {
	ID         int64      `json:"taskId"`
	Function   string     `json:"function"`
	Status     string     `json:"status"`
	Comment    string     `json:"comment"`
	StartDate  *time.Time `json:"startDate"`
	LastUpdate *time.Time `json:"lastUpdate"`
	DoneDate   *time.Time `json:"doneDate"`
}

// Pending reports whether the task may still change state.
func (t Task) Pending() bool {
	return t.Status == TaskInit || t.Status == TaskTodo || t.Status == TaskDoing
}

// Rule is one consumer-key access rule.
type Rule struct {
	Method string `json:"method"`
	Path   string `json:"path"`
}

// Credential is GET /auth/currentCredential.
type Credential struct {
	CredentialID  int64      `json:"credentialId"`
	ApplicationID int64      `json:"applicationId"`
	Creation      *time.Time `json:"creation"`
	Expiration    *time.Time `json:"expiration"` // nil = unlimited
	LastUse       *time.Time `json:"lastUse"`
	Status        string     `json:"status"` // pendingValidation | validated | refused | expired
	AllowedIPs    []string   `json:"allowedIPs"`
	Rules         []Rule     `json:"rules"`
}

// Credential states.
const (
	CredentialPending   = "pendingValidation"
	CredentialValidated = "validated"
	CredentialRefused   = "refused"
	CredentialExpired   = "expired"
)

// ConsumerKeyRequest is the answer of POST /auth/credential.
type ConsumerKeyRequest struct {
	ConsumerKey   string `json:"consumerKey"`
	ValidationURL string `json:"validationUrl"`
	State         string `json:"state"`
}

// FencingRules are the least-privilege rules for fencing one server (DESIGN.md
// D3): the howto's three plus the reads that status and verification need, and
// the task list, without which a reboot request whose answer was lost (a 5xx, a
// dropped connection) could be neither followed nor safely sent again (D6).
func FencingRules(serviceName string) []Rule {
	base := "/dedicated/server/" + serviceName
	return []Rule{
		{Method: "GET", Path: base},
		{Method: "PUT", Path: base},
		{Method: "POST", Path: base + "/reboot"},
		{Method: "GET", Path: base + "/task"},
		{Method: "GET", Path: base + "/task/*"},
	}
}
