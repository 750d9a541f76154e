package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ovhfence/ovhfence/internal/ovhschema"
	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/ovhsim"
)

func loadSchema(t *testing.T) *ovhschema.Schema {
	t.Helper()
	s, err := ovhschema.Load("../../internal/ovhschema/testdata/ovh-api.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// What ovhfence reads must exist in OVH's models with a type that can hold it.
func TestOvhfenceReadsFitOVHModels(t *testing.T) {
	schema := loadSchema(t)
	for model, goValue := range map[string]any{
		"dedicated.server.DedicatedWithIAM": ovhapi.Server{},
		"dedicated.server.Netboot":          ovhapi.Boot{},
		"dedicated.server.Task":             ovhapi.Task{},
		"auth.ApiCredential":                ovhapi.Credential{},
		"auth.ApiCredentialRequest":         ovhapi.ConsumerKeyRequest{},
		"auth.AccessRuleRequest":            ovhapi.Rule{},
		"auth.Details":                      ovhapi.AuthDetails{},
		"oauth2.clientSecret":               ovhapi.ServiceAccount{},
	} {
		for _, p := range schema.CheckGoType(model, reflect.TypeOf(goValue)) {
			t.Errorf("%s", p)
		}
	}
}

// The checker catches a planted drift in a Go type.
func TestCheckGoTypeCatchesDrift(t *testing.T) {
	schema := loadSchema(t)
	type renamed struct {
		PowerState string `json:"powerstate"`
	}
	type retyped struct {
		BootID string `json:"bootId"`
	}
	for _, v := range []any{renamed{}, retyped{}} {
		if len(schema.CheckGoType("dedicated.server.DedicatedWithIAM", reflect.TypeOf(v))) == 0 {
			t.Errorf("%T: no problem reported", v)
		}
	}
}

// recordCalls drives a simulator through ovhapi with the contract log on and
// returns the log.
func recordCalls(t *testing.T) []byte {
	t.Helper()
	log := filepath.Join(t.TempDir(), "calls.jsonl")
	t.Setenv(ovhsim.ContractLogEnv, log)
	sim := ovhsim.New(ovhsim.Config{})
	sim.SetDurations(ovhsim.Durations{})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	sn := ovhsim.DefaultServers()[0].Name
	ak, as, ck := sim.CreateToken([]ovhsim.Rule{{Method: "GET", Path: "/*"}, {Method: "PUT", Path: "/*"}, {Method: "POST", Path: "/*"}})
	c, err := ovhapi.New(ovhapi.Config{Endpoint: srv.URL + "/1.0", ApplicationKey: ak, ApplicationSecret: as, ConsumerKey: ck}, ovhapi.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err = c.ListServers(ctx)
	must(err)
	_, err = c.GetServer(ctx, sn)
	must(err)
	ids, err := c.ListBoots(ctx, sn, "")
	must(err)
	for _, id := range ids {
		_, err = c.GetBoot(ctx, sn, id)
		must(err)
	}
	must(c.SetBoot(ctx, sn, ovhapi.DiskBootID, "ops@example.com"))
	task, _, err := c.Reboot(ctx, sn)
	must(err)
	_, err = c.GetTask(ctx, sn, task.ID)
	must(err)
	_, err = c.CurrentCredential(ctx)
	must(err)
	_, err = c.RequestConsumerKey(ctx, ovhapi.FencingRules(sn), "")
	must(err)
	data, err := os.ReadFile(log)
	must(err)
	return data
}

// The simulator, driven by ovhfence's client, honours OVH's contract.
func TestSimulatorCallsFitContract(t *testing.T) {
	r, err := check(loadSchema(t), bytes.NewReader(recordCalls(t)))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.problems) > 0 || r.calls < 10 {
		t.Fatalf("%d calls:\n%s", r.calls, r)
	}
}

// Invariant: every single-field drift of any answer the simulator gives (a
// renamed field, a value of another JSON kind, a value outside an enum, null
// where the model forbids it) fails the contract check.
func TestEveryAnswerDriftFails(t *testing.T) {
	schema := loadSchema(t)
	mutated := 0
	for _, line := range bytes.Split(bytes.TrimSpace(recordCalls(t)), []byte("\n")) {
		var e ovhsim.ContractEntry
		if err := json.Unmarshal(line, &e); err != nil {
			t.Fatal(err)
		}
		op, ok := schema.Operation(e.Method, e.Path)
		if !ok || e.Status != 200 || !strings.Contains(op.Response, ".") || strings.HasSuffix(op.Response, "[]") {
			continue
		}
		var body map[string]any
		if err := json.Unmarshal(e.ResponseBody, &body); err != nil {
			t.Fatal(err)
		}
		model := schema.Models[op.Response]
		for name, value := range body {
			field := model.Fields[name]
			for what, drift := range drifts(schema, field) {
				changed := clone(body)
				delete(changed, name)
				if what == "renamed" {
					changed[name+"X"] = value
				} else {
					changed[name] = drift
				}
				data, _ := json.Marshal(changed)
				mutated++
				if len(schema.CheckBody(op.Response, data)) == 0 {
					t.Errorf("%s %s: %s %s (%v) passed the check", e.Method, op.Path, what, name, drift)
				}
			}
		}
	}
	if mutated < 50 {
		t.Fatalf("only %d mutations tried", mutated)
	}
}

// drifts are the changes of one field's value that OVH's model forbids.
func drifts(schema *ovhschema.Schema, f ovhschema.Field) map[string]any {
	d := map[string]any{"renamed": nil}
	m, isModel := schema.Models[f.Type]
	switch base, _, _ := strings.Cut(f.Type, ":"); {
	case base == ovhschema.TypeString || isModel && m.Enum != nil:
		d["retyped"] = 12
	case base != ovhschema.TypeAny:
		d["retyped"] = "x"
	}
	if isModel && m.Enum != nil {
		d["outside its enum"] = "notAnOVHValue"
	}
	if !f.Nullable && f.Type != ovhschema.TypeAny {
		d["nulled"] = nil
	}
	return d
}

func clone(m map[string]any) map[string]any {
	c := make(map[string]any, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// A request outside OVH's operations, and a write of a read-only field, fail.
func TestCheckCatchesRequestDrift(t *testing.T) {
	schema := loadSchema(t)
	log := strings.Join([]string{
		`{"method":"POST","path":"/dedicated/server/ns1/power","routed":true,"status":200,"responseBody":null}`,
		`{"method":"PUT","path":"/dedicated/server/ns1","routed":true,"requestBody":"{\"powerState\":\"poweroff\"}","status":200,"responseBody":null}`,
		`{"method":"GET","path":"/nope","routed":false,"status":404}`,
	}, "\n")
	r, err := check(schema, strings.NewReader(log))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"POST /dedicated/server/ns1/power: no such operation",
		"PUT /dedicated/server/{serviceName}: request body.powerState: dedicated.server.Dedicated.powerState is read-only",
	}
	for _, w := range want {
		if !strings.Contains(r.String(), w) {
			t.Errorf("report lacks %q:\n%s", w, r)
		}
	}
	if r.calls != 2 {
		t.Errorf("%d calls checked, want 2 (the unrouted one is a test of the 404)", r.calls)
	}
}
