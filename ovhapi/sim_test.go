package ovhapi_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/ovhsim"
)

const simServer = "ns567890.ip-123-22-44.eu" // ovhsim.DefaultServers()[0]

// simHarness is ovhsim on 127.0.0.1 plus a log of everything ovhapi logged.
type simHarness struct {
	sim *ovhsim.Sim
	url string
	mu  sync.Mutex
	log []string
}

func newSimHarness(t *testing.T) *simHarness {
	sim := ovhsim.New(ovhsim.Config{})
	sim.SetDurations(ovhsim.Durations{Init: 20 * time.Millisecond, Todo: 20 * time.Millisecond, Doing: 20 * time.Millisecond})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return &simHarness{sim: sim, url: srv.URL + "/1.0"}
}

func (h *simHarness) client(t *testing.T, ak, as, ck string) *ovhapi.Client {
	t.Helper()
	c, err := ovhapi.New(ovhapi.Config{Endpoint: h.url, ApplicationKey: ak, ApplicationSecret: as, ConsumerKey: ck}, ovhapi.Options{
		RetryBase: time.Millisecond, RetryMax: 5 * time.Millisecond, TimeSyncTimeout: 300 * time.Millisecond,
		Logf: func(format string, args ...any) {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.log = append(h.log, fmt.Sprintf(format, args...))
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fencingClient has the least-privilege key of DESIGN.md D3.
func (h *simHarness) fencingClient(t *testing.T) (c *ovhapi.Client, as, ck string) {
	ak, as, ck := h.sim.CreateToken(ovhsim.FencingRules(simServer))
	return h.client(t, ak, as, ck), as, ck
}

func (h *simHarness) posts(path string) int {
	n := 0
	for _, r := range h.sim.Requests() {
		if r.Method == "POST" && r.Path == "/1.0"+path {
			n++
		}
	}
	return n
}

func (h *simHarness) assertNoSecretLogged(t *testing.T, secrets ...string) {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	all := strings.Join(h.log, "\n")
	for _, s := range secrets {
		if strings.Contains(all, s) {
			t.Fatalf("a secret was logged:\n%s", all)
		}
	}
	if !strings.Contains(all, "→ 200 (query id EU.") {
		t.Errorf("log lacks the status and query id lines:\n%s", all)
	}
}

func TestSimFencingSequence(t *testing.T) {
	h := newSimHarness(t)
	c, as, ck := h.fencingClient(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	srv, err := c.GetServer(ctx, simServer)
	if err != nil || srv.Name != simServer || srv.PowerState != "poweron" {
		t.Fatalf("GetServer() = %+v, %v", srv, err)
	}
	if err := c.SetBoot(ctx, simServer, 95083, ""); err != nil { // the power netboot
		t.Fatal(err)
	}
	task, followed, err := c.Reboot(ctx, simServer)
	if err != nil || followed || task.Function != ovhapi.FunctionHardReboot || !task.Pending() {
		t.Fatalf("Reboot() = %+v, %v, %v", task, followed, err)
	}
	again, followed, err := c.Reboot(ctx, simServer)
	if err != nil || !followed || again.ID != task.ID {
		t.Fatalf("second Reboot() = %+v, followed %v, %v; want task %d followed", again, followed, err, task.ID)
	}
	for task.Pending() {
		time.Sleep(20 * time.Millisecond)
		if task, err = c.GetTask(ctx, simServer, task.ID); err != nil {
			t.Fatal(err)
		}
	}
	if task.Status != ovhapi.TaskDone || task.DoneDate == nil {
		t.Fatalf("task ended as %+v", task)
	}
	if srv, err = c.GetServer(ctx, simServer); err != nil || srv.PowerState != "poweroff" || srv.BootID != 95083 {
		t.Fatalf("after the power reboot GetServer() = %+v, %v", srv, err)
	}
	cred, err := c.CurrentCredential(ctx)
	if err != nil || cred.Status != ovhapi.CredentialValidated || len(cred.Rules) != len(ovhapi.FencingRules(simServer)) {
		t.Fatalf("CurrentCredential() = %+v, %v", cred, err)
	}
	for _, r := range h.sim.Requests() {
		if strings.HasPrefix(r.Path, "/1.0/dedicated/") {
			for _, header := range []string{"X-Ovh-Application", "X-Ovh-Consumer", "X-Ovh-Timestamp", "X-Ovh-Signature"} {
				if !r.HasHeader(header) {
					t.Errorf("%s %s lacks %s", r.Method, r.Path, header)
				}
			}
		}
	}
	h.assertNoSecretLogged(t, as, ck)
}

func TestSimErrorKinds(t *testing.T) {
	h := newSimHarness(t)
	ak, as, ck := h.sim.CreateToken(ovhsim.FencingRules(simServer))
	expiredAK, expiredAS, expiredCK := h.sim.CreateToken(ovhsim.FencingRules(simServer))
	if err := h.sim.ExpireCredential(expiredCK); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tests := []struct {
		name   string
		client *ovhapi.Client
		call   func(*ovhapi.Client) error
		want   ovhapi.Kind
	}{
		{"outside the rules", h.client(t, ak, as, ck),
			func(c *ovhapi.Client) error { _, err := c.ListServers(ctx); return err }, ovhapi.KindNotGranted},
		{"unknown application key", h.client(t, "no-such-ak", as, ck),
			func(c *ovhapi.Client) error { _, err := c.GetServer(ctx, simServer); return err }, ovhapi.KindBadKey},
		{"wrong application secret", h.client(t, ak, "wrong-secret", ck),
			func(c *ovhapi.Client) error { _, err := c.GetServer(ctx, simServer); return err }, ovhapi.KindBadRequest},
		{"unknown consumer key", h.client(t, ak, as, "no-such-ck"),
			func(c *ovhapi.Client) error { _, err := c.GetServer(ctx, simServer); return err }, ovhapi.KindCredentialUnknown},
		{"expired consumer key", h.client(t, expiredAK, expiredAS, expiredCK),
			func(c *ovhapi.Client) error { _, err := c.GetServer(ctx, simServer); return err }, ovhapi.KindCredentialInvalid},
		{"unknown task", h.client(t, ak, as, ck),
			func(c *ovhapi.Client) error { _, err := c.GetTask(ctx, simServer, 1); return err }, ovhapi.KindNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call(tt.client)
			var apiErr *ovhapi.Error
			if ovhapi.KindOf(err) != tt.want || !errors.As(err, &apiErr) || !strings.HasPrefix(apiErr.QueryID, "EU.") {
				t.Fatalf("error = %v (kind %v); want kind %v with a query id", err, ovhapi.KindOf(err), tt.want)
			}
			if strings.Contains(err.Error(), as) || strings.Contains(err.Error(), ck) {
				t.Fatalf("error reveals a secret: %v", err)
			}
		})
	}
}

func TestSimConsumerKeyLifecycle(t *testing.T) {
	h := newSimHarness(t)
	ak, as := h.sim.CreateApp("ovhfence test")
	ctx := context.Background()
	c := h.client(t, ak, as, "")
	ckr, err := c.RequestConsumerKey(ctx, ovhapi.FencingRules(simServer), "")
	if err != nil || ckr.State != ovhapi.CredentialPending || ckr.ConsumerKey == "" || ckr.ValidationURL == "" {
		t.Fatalf("RequestConsumerKey() = %+v, %v", ckr, err)
	}
	pending := c.WithConsumerKey(ckr.ConsumerKey)
	if _, err := pending.CurrentCredential(ctx); ovhapi.KindOf(err) != ovhapi.KindCredentialInvalid {
		t.Fatalf("pending key: CurrentCredential() error = %v; want KindCredentialInvalid", err)
	}
	if err := h.sim.ValidateCredential(ckr.ConsumerKey, nil); err != nil {
		t.Fatal(err)
	}
	cred, err := pending.CurrentCredential(ctx)
	if err != nil || cred.Status != ovhapi.CredentialValidated || cred.Expiration != nil {
		t.Fatalf("validated key: CurrentCredential() = %+v, %v", cred, err)
	}
	if _, err := pending.GetServer(ctx, simServer); err != nil {
		t.Fatal(err)
	}
}

func TestSimFaults(t *testing.T) {
	ctx := context.Background()
	t.Run("transient 500 and 503 on GET are retried", func(t *testing.T) {
		h := newSimHarness(t)
		c, _, _ := h.fencingClient(t)
		h.sim.AddFault(ovhsim.Fault{Kind: ovhsim.FaultStatus500, Method: "GET", Count: 1})
		h.sim.AddFault(ovhsim.Fault{Kind: ovhsim.FaultHTML503, Method: "GET", Count: 1})
		if _, err := c.GetServer(ctx, simServer); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("task 404 is the caller's to judge", func(t *testing.T) {
		h := newSimHarness(t)
		c, _, _ := h.fencingClient(t)
		task, _, err := c.Reboot(ctx, simServer)
		if err != nil {
			t.Fatal(err)
		}
		h.sim.AddFault(ovhsim.Fault{Kind: ovhsim.FaultTask404, Count: 1})
		if _, err := c.GetTask(ctx, simServer, task.ID); ovhapi.KindOf(err) != ovhapi.KindNotFound {
			t.Fatalf("GetTask() error = %v, want not found", err)
		}
		if got, err := c.GetTask(ctx, simServer, task.ID); err != nil || got.ID != task.ID {
			t.Fatalf("GetTask() = %+v, %v", got, err)
		}
	})
	t.Run("dropped reboot POST, key that cannot list tasks: no second POST", func(t *testing.T) {
		h := newSimHarness(t)
		base := "/dedicated/server/" + simServer
		ak, as, ck := h.sim.CreateToken([]ovhsim.Rule{{Method: "GET", Path: base}, {Method: "PUT", Path: base},
			{Method: "POST", Path: base + "/reboot"}, {Method: "GET", Path: base + "/task/*"}})
		c := h.client(t, ak, as, ck)
		h.sim.AddFault(ovhsim.Fault{Kind: ovhsim.FaultDrop, Method: "POST", Count: 1})
		_, _, err := c.Reboot(ctx, simServer)
		if ovhapi.KindOf(err) != ovhapi.KindNotGranted || !strings.Contains(err.Error(), "network error") || !strings.Contains(err.Error(), "not sent again") {
			t.Fatalf("Reboot() error = %v; want the network error, no retry, and the missing task-list rule (the key cannot list tasks)", err)
		}
		// The simulator logs a dropped request once its handler returns, which
		// may be after the client saw the EOF: give the log a moment.
		n := 0
		for wait := 0; wait < 100 && n == 0; wait++ {
			time.Sleep(5 * time.Millisecond)
			n = h.posts("/dedicated/server/" + simServer + "/reboot")
		}
		if n != 1 {
			t.Fatalf("%d reboot POSTs; want 1", n)
		}
	})
	t.Run("dropped reboot POST, fencing key (it can list tasks): POSTs again", func(t *testing.T) {
		h := newSimHarness(t)
		c, _, _ := h.fencingClient(t)
		h.sim.AddFault(ovhsim.Fault{Kind: ovhsim.FaultDrop, Method: "POST", Count: 1})
		task, followed, err := c.Reboot(ctx, simServer)
		if err != nil || followed || !task.Pending() {
			t.Fatalf("Reboot() = %+v, %v, %v", task, followed, err)
		}
		if n := h.posts("/dedicated/server/" + simServer + "/reboot"); n != 2 {
			t.Fatalf("%d reboot POSTs; want 2 (the dropped one never ran)", n)
		}
	})
	t.Run("slow /auth/time is bounded by the deadline", func(t *testing.T) {
		h := newSimHarness(t)
		c, _, _ := h.fencingClient(t)
		h.sim.AddFault(ovhsim.Fault{Kind: ovhsim.FaultSlowTime, Latency: 3 * time.Second})
		start := time.Now()
		short, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		_, err := c.SyncTime(short)
		if ovhapi.KindOf(err) != ovhapi.KindNetwork || time.Since(start) > 1500*time.Millisecond {
			t.Fatalf("SyncTime() = %v after %s; want a network error within 1.5s", err, time.Since(start))
		}
	})
	t.Run("slow /auth/time once is retried", func(t *testing.T) {
		h := newSimHarness(t)
		c, _, _ := h.fencingClient(t)
		h.sim.AddFault(ovhsim.Fault{Kind: ovhsim.FaultSlowTime, Latency: 3 * time.Second, Count: 1})
		if _, err := c.SyncTime(ctx); err != nil {
			t.Fatalf("SyncTime() = %v; want the second attempt to succeed", err)
		}
	})
	t.Run("failing /auth/time once is retried", func(t *testing.T) {
		h := newSimHarness(t)
		c, _, _ := h.fencingClient(t)
		h.sim.AddFault(ovhsim.Fault{Kind: ovhsim.FaultStatus500, Path: "/auth/time", Count: 1})
		if _, err := c.SyncTime(ctx); err != nil {
			t.Fatalf("SyncTime() = %v; want the second attempt to succeed", err)
		}
	})
	t.Run("clock skew is measured and applied", func(t *testing.T) {
		h := newSimHarness(t)
		h.sim.SetTimeOffset(-10 * time.Minute) // far outside the 60 s window
		c, _, _ := h.fencingClient(t)
		skew, err := c.SyncTime(ctx)
		if err != nil || (skew-10*time.Minute).Abs() > 2*time.Second {
			t.Fatalf("SyncTime() = %s, %v; want about 10m", skew, err)
		}
		if _, err := c.GetServer(ctx, simServer); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSimLogoutEndsTheKey(t *testing.T) {
	h := newSimHarness(t)
	c, _, _ := h.fencingClient(t)
	ctx := context.Background()
	if _, err := c.GetServer(ctx, simServer); err != nil {
		t.Fatal(err)
	}
	if err := c.Logout(ctx); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	_, err := c.GetServer(ctx, simServer)
	if ovhapi.KindOf(err) != ovhapi.KindCredentialInvalid {
		t.Fatalf("after logout GetServer = %v, want a credential-invalid error", err)
	}
}

// TestSimFencingRulesMatch: the sandbox mints its key from ovhsim's copy of the
// fencing rules, which must stay the rules ovhfence requests.
func TestSimFencingRulesMatch(t *testing.T) {
	sim := ovhsim.FencingRules(simServer)
	ours := ovhapi.FencingRules(simServer)
	if len(sim) != len(ours) {
		t.Fatalf("ovhsim has %d fencing rules, ovhapi %d", len(sim), len(ours))
	}
	for i := range ours {
		if sim[i].Method != ours[i].Method || sim[i].Path != ours[i].Path {
			t.Errorf("rule %d: ovhsim %v, ovhapi %v", i, sim[i], ours[i])
		}
	}
}
