package ovhapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestNewValidates(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"no secret", Config{ApplicationKey: "ak"}, "application secret are required"},
		{"no key", Config{ApplicationSecret: testAS}, "application secret are required"},
		{"bad endpoint", Config{Endpoint: "mars", ApplicationKey: "ak", ApplicationSecret: testAS}, "unknown OVH endpoint"},
	}
	for _, tt := range tests {
		_, err := New(tt.cfg, Options{})
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: New() error = %v; want %q", tt.name, err, tt.wantErr)
		}
		if err != nil && strings.Contains(err.Error(), testAS) {
			t.Errorf("%s: error reveals the secret: %v", tt.name, err)
		}
	}
	c, err := New(Config{ApplicationKey: "ak", ApplicationSecret: testAS}, Options{})
	if err != nil || c.Endpoint() != "https://eu.api.ovh.com/1.0" {
		t.Fatalf("New() with empty endpoint = %v, %v; want ovh-eu", c, err)
	}
}

func TestNoConsumerKey(t *testing.T) {
	f := newFakeAPI(t)
	c, err := New(Config{Endpoint: f.endpoint(), ApplicationKey: testAK, ApplicationSecret: testAS}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListServers(context.Background()); err == nil || !strings.Contains(err.Error(), "no consumer key") {
		t.Fatalf("ListServers() without CK error = %v", err)
	}
}

func TestSyncTimeIsBounded(t *testing.T) {
	tests := []struct {
		name     string
		opts     Options
		deadline time.Duration // 0 = no ctx deadline
	}{
		{"TimeSyncTimeout", Options{TimeSyncTimeout: 300 * time.Millisecond, MaxAttempts: 1}, 0},
		{"ctx deadline shorter than TimeSyncTimeout", Options{MaxAttempts: 1}, 300 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI(t)
			f.handle("GET /auth/time", func(w http.ResponseWriter, r *http.Request, _ int) {
				select {
				case <-time.After(3 * time.Second):
				case <-r.Context().Done():
				}
			})
			ctx := context.Background()
			if tt.deadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.deadline)
				defer cancel()
			}
			c := f.client(tt.opts)
			start := time.Now()
			_, err := c.SyncTime(ctx)
			if elapsed := time.Since(start); elapsed > time.Second {
				t.Errorf("SyncTime took %s; want < 1s", elapsed)
			}
			if KindOf(err) != KindNetwork {
				t.Fatalf("SyncTime() error = %v; want a network error", err)
			}
			// A signed call must not block on go-ovh's unbounded time sync either.
			start = time.Now()
			if _, err := c.ListServers(ctx); err == nil || time.Since(start) > time.Second {
				t.Fatalf("ListServers() = %v after %s; want a quick error", err, time.Since(start))
			}
		})
	}
}

func TestSyncTimeMeasuresSkewOnce(t *testing.T) {
	f := newFakeAPI(t)
	f.skew = 2 * time.Minute // the fake's clock is 2 minutes behind
	f.handle("GET /dedicated/server", replyAll(200, `["ns1"]`))
	c := f.client(Options{})
	skew, err := c.SyncTime(context.Background())
	if err != nil || (skew-2*time.Minute).Abs() > 2*time.Second {
		t.Fatalf("SyncTime() = %s, %v; want about 2m", skew, err)
	}
	// Signed calls use the skew (the fake checks the timestamp) and never
	// ask for the time again, also from a WithConsumerKey copy.
	other := c.WithConsumerKey("other-ck")
	for _, client := range []*Client{c, other, c} {
		if _, err := client.ListServers(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if n := f.count("GET /auth/time"); n != 1 {
		t.Errorf("/auth/time called %d times; want 1", n)
	}
}

func TestWithConsumerKey(t *testing.T) {
	f := newFakeAPI(t)
	var mu sync.Mutex
	var consumers []string
	f.handle("GET /auth/currentCredential", func(w http.ResponseWriter, r *http.Request, _ int) {
		mu.Lock()
		consumers = append(consumers, r.Header.Get("X-Ovh-Consumer"))
		mu.Unlock()
		reply(w, 200, `{"credentialId":1,"applicationId":2,"status":"validated","expiration":null,"rules":[{"method":"GET","path":"/*"}]}`)
	})
	c := f.client(Options{})
	other := c.WithConsumerKey("other-ck")
	for _, client := range []*Client{other, c} {
		cred, err := client.CurrentCredential(context.Background())
		if err != nil || cred.Status != CredentialValidated || cred.Expiration != nil || len(cred.Rules) != 1 {
			t.Fatalf("CurrentCredential() = %+v, %v", cred, err)
		}
	}
	if strings.Join(consumers, ",") != "other-ck,"+testCK {
		t.Fatalf("consumer keys sent = %v; want other-ck then the original", consumers)
	}
}

func TestRequestConsumerKey(t *testing.T) {
	f := newFakeAPI(t)
	f.handle("POST /auth/credential", func(w http.ResponseWriter, r *http.Request, _ int) {
		if r.Header.Get("X-Ovh-Application") != testAK || r.Header.Get("X-Ovh-Signature") != "" || r.Header.Get("X-Ovh-Consumer") != "" {
			t.Errorf("credential request headers: %v; want X-Ovh-Application only", r.Header)
		}
		body, _ := io.ReadAll(r.Body)
		want := `{"accessRules":[{"method":"GET","path":"/dedicated/server/ns1"},{"method":"PUT","path":"/dedicated/server/ns1"},{"method":"POST","path":"/dedicated/server/ns1/reboot"},{"method":"GET","path":"/dedicated/server/ns1/task"},{"method":"GET","path":"/dedicated/server/ns1/task/*"}],"redirection":"https://example.com/done"}`
		if string(body) != want {
			t.Errorf("body = %s\nwant   %s", body, want)
		}
		reply(w, 200, `{"validationUrl":"https://eu.api.ovh.com/auth/?credentialToken=t","consumerKey":"new-ck","state":"pendingValidation"}`)
	})
	f.handle("GET /dedicated/server", func(w http.ResponseWriter, r *http.Request, _ int) {
		if got := r.Header.Get("X-Ovh-Consumer"); got != testCK {
			t.Errorf("after RequestConsumerKey the client signs with %q; want its own key", got)
		}
		reply(w, 200, `[]`)
	})
	c := f.client(Options{})
	ckr, err := c.RequestConsumerKey(context.Background(), FencingRules("ns1"), "https://example.com/done")
	if err != nil || ckr.ConsumerKey != "new-ck" || ckr.State != CredentialPending || !strings.Contains(ckr.ValidationURL, "credentialToken") {
		t.Fatalf("RequestConsumerKey() = %+v, %v", ckr, err)
	}
	if _, err := c.ListServers(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RequestConsumerKey(context.Background(), nil, ""); err == nil {
		t.Error("RequestConsumerKey without rules succeeded")
	}
	if n := f.count("GET /auth/time"); n != 1 {
		t.Errorf("/auth/time called %d times; want 1 (the credential request is unsigned)", n)
	}
}

func TestServerCalls(t *testing.T) {
	f := newFakeAPI(t)
	queries := map[string]string{}
	var mu sync.Mutex
	record := func(body string) handlerFunc {
		return func(w http.ResponseWriter, r *http.Request, _ int) {
			mu.Lock()
			queries[r.URL.Path] = r.URL.RawQuery
			mu.Unlock()
			reply(w, 200, body)
		}
	}
	f.handle("GET /dedicated/server/ns1", record(`{"name":"ns1","serverId":7,"ip":"1.2.3.4","reverse":null,"datacenter":"gra1","commercialRange":"advance","state":"ok","powerState":"poweron","bootId":1,"rescueMail":null,"monitoring":true}`))
	f.handle("GET /dedicated/server/ns1/boot", record(`[46371,203323]`))
	f.handle("GET /dedicated/server/ns1/boot/46371", record(`{"bootId":46371,"bootType":"rescue","kernel":"rescue-customer","description":"Rescue"}`))
	f.handle("GET /dedicated/server/ns1/task", record(`[5,6]`))
	var putBodies []string
	f.handle("PUT /dedicated/server/ns1", replySequence(replyAll(503, html503), func(w http.ResponseWriter, r *http.Request, _ int) {
		body, _ := io.ReadAll(r.Body)
		putBodies = append(putBodies, string(body))
		reply(w, 200, `null`)
	}))
	c := f.client(fastRetries)
	ctx := context.Background()

	srv, err := c.GetServer(ctx, "ns1")
	if err != nil || srv.Name != "ns1" || srv.ServerID != 7 || srv.PowerState != "poweron" || srv.BootID != 1 || srv.Datacenter != "gra1" {
		t.Fatalf("GetServer() = %+v, %v", srv, err)
	}
	boots, err := c.ListBoots(ctx, "ns1", BootTypeRescue)
	if err != nil || len(boots) != 2 || queries["/1.0/dedicated/server/ns1/boot"] != "bootType=rescue" {
		t.Fatalf("ListBoots() = %v, %v, query %q", boots, err, queries["/1.0/dedicated/server/ns1/boot"])
	}
	if _, err := c.ListBoots(ctx, "ns1", ""); err != nil || queries["/1.0/dedicated/server/ns1/boot"] != "" {
		t.Fatalf("ListBoots(all) sent query %q, %v", queries["/1.0/dedicated/server/ns1/boot"], err)
	}
	boot, err := c.GetBoot(ctx, "ns1", 46371)
	if err != nil || boot != (Boot{ID: 46371, Type: BootTypeRescue, Kernel: KernelRescueCustomer, Description: "Rescue"}) {
		t.Fatalf("GetBoot() = %+v, %v", boot, err)
	}
	tasks, err := c.ListTasks(ctx, "ns1", FunctionHardReboot, TaskTodo)
	if err != nil || len(tasks) != 2 || queries["/1.0/dedicated/server/ns1/task"] != "function=hardReboot&status=todo" {
		t.Fatalf("ListTasks() = %v, %v, query %q", tasks, err, queries["/1.0/dedicated/server/ns1/task"])
	}
	if err := c.SetBoot(ctx, "ns1", 46371, ""); err != nil {
		t.Fatal(err)
	}
	if err := c.SetBoot(ctx, "ns1", 1, "ops@example.com"); err != nil {
		t.Fatal(err)
	}
	want := []string{`{"bootId":46371}`, `{"bootId":1,"rescueMail":"ops@example.com"}`}
	if len(putBodies) != 2 || putBodies[0] != want[0] || putBodies[1] != want[1] {
		t.Fatalf("PUT bodies = %q; want %q (after one retried 503)", putBodies, want)
	}
	if _, err := c.GetServer(ctx, " "); err == nil {
		t.Error("GetServer with an empty service name succeeded")
	}
}

func TestSecretsNeverLogged(t *testing.T) {
	f := newFakeAPI(t)
	// A hostile or buggy API that echoes the credentials in its messages.
	echo := `{"class":"Client::Forbidden","message":"This call has not been granted for ` + testCK + ` / ` + testAS + `"}`
	f.handle("GET /dedicated/server", replyAll(200, `["ns1"]`))
	f.handle("GET /dedicated/server/ns1", replyAll(403, echo))
	f.handle("POST /dedicated/server/ns1/reboot", replyAll(500, status500))
	f.handle("GET /dedicated/server/ns1/task", replyAll(200, `[42]`))
	f.handle("GET /dedicated/server/ns1/task/42", replyAll(200, taskJSON(42, TaskInit)))
	f.handle("POST /auth/credential", replyAll(200, `{"validationUrl":"https://x/auth/?credentialToken=t","consumerKey":"`+testCK+`","state":"pendingValidation"}`))

	var mu sync.Mutex
	var logs []string
	opts := fastRetries
	opts.Logf = func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		logs = append(logs, strings.TrimSpace(fmt.Sprintf(format, args...)))
	}
	c := f.client(opts)
	ctx := context.Background()
	var errs []error
	_, err := c.ListServers(ctx)
	errs = append(errs, err)
	_, err = c.GetServer(ctx, "ns1")
	errs = append(errs, err)
	if err == nil {
		t.Fatal("GetServer should fail")
	}
	_, _, err = c.Reboot(ctx, "ns1")
	errs = append(errs, err)
	_, err = c.RequestConsumerKey(ctx, FencingRules("ns1"), "")
	errs = append(errs, err)

	all := strings.Join(logs, "\n")
	for _, e := range errs {
		if e != nil {
			all += "\n" + e.Error()
			var apiErr *Error
			if errors.As(e, &apiErr) {
				all += "\n" + apiErr.Hint()
			}
		}
	}
	for _, secret := range []string{testAS, testCK} {
		if strings.Contains(all, secret) {
			t.Errorf("a secret leaked into logs or errors:\n%s", all)
		}
	}
	for _, want := range []string{
		"GET /dedicated/server → 200 (query id EU.ext-1.test.200)",
		"GET /dedicated/server/ns1 → 403 (query id EU.ext-1.test.403)",
		"POST /dedicated/server/ns1/reboot → 500 (query id EU.ext-1.test.500)",
		"POST /auth/credential → 200",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("log lacks %q:\n%s", want, all)
		}
	}
	var sigs int
	for _, line := range logs {
		if strings.Contains(line, "$1$") {
			sigs++
		}
	}
	if sigs != 0 {
		t.Errorf("%d log lines carry a signature", sigs)
	}
}

func TestErrorResponseKeepsQueryIDAndDecodesNullBody(t *testing.T) {
	f := newFakeAPI(t)
	f.handle("GET /dedicated/server/ns9", replyAll(404, unknownServer))
	f.handle("GET /dedicated/server", replyAll(200, `not json`))
	c := f.client(fastRetries)
	_, err := c.GetServer(context.Background(), "ns9")
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindUnknownServer || e.QueryID != "EU.ext-1.test.404" || e.Method != "GET" || e.Path != "/dedicated/server/ns9" {
		t.Fatalf("GetServer(ns9) error = %#v", err)
	}
	if _, err := c.ListServers(context.Background()); err == nil || !strings.Contains(err.Error(), "unexpected response body") {
		t.Fatalf("ListServers() on a non-JSON 200 = %v", err)
	}
}
