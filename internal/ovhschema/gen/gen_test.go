package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/ovhfence/ovhfence/internal/ovhschema"
)

// Small descriptions in both formats, with what the extract must keep: the
// operations under each file's prefix, the models they reach (through
// allOf, arrays and nested models), primitive aliases resolved, enums sorted.
var descriptions = map[string]string{
	"openapi/baremetal.json": `{"paths": {
		"/dedicated/server/{serviceName}": {
			"get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/d.Server"}}}}}},
			"put": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/d.Server"}}}}, "responses": {"200": {}}}},
		"/other/path": {"get": {"responses": {"200": {}}}}},
	"components": {"schemas": {
		"d.Server": {"type": "object", "properties": {
			"ip": {"allOf": [{"$ref": "#/components/schemas/ipv4"}], "readOnly": true},
			"bootId": {"type": "integer", "nullable": true},
			"state": {"$ref": "#/components/schemas/d.State"},
			"tasks": {"type": "array", "items": {"$ref": "#/components/schemas/d.Task"}}}},
		"d.Task": {"type": "object", "properties": {"done": {"type": "string", "format": "date-time"}}},
		"d.State": {"type": "string", "enum": ["ok", "hacked", "error"]},
		"d.Unused": {"type": "object", "properties": {"x": {"type": "string"}}},
		"ipv4": {"type": "string", "format": "ipv4"}}}}`,
	"openapi/me.json": `{"paths": {"/me/api/credential": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"type": "array", "items": {"type": "integer"}}}}}}}}},
		"components": {"schemas": {}}}`,
	"auth.json": `{"apis": [{"path": "/auth/time", "operations": [{"httpMethod": "GET", "responseType": "long", "parameters": []}]},
		{"path": "/auth/logout", "operations": [{"httpMethod": "POST", "responseType": "void", "parameters": []}]}],
	"models": {}}`,
}

func TestExtract(t *testing.T) {
	dir := t.TempDir()
	for name, text := range descriptions {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := extract(dir)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(descriptions["auth.json"]))
	if len(got.Sources) != 3 || got.Sources[2] != (ovhschema.Source{File: "auth.json", SHA256: hex.EncodeToString(sum[:])}) {
		t.Errorf("sources %+v", got.Sources)
	}
	wantOps := []ovhschema.Operation{
		{Method: "POST", Path: "/auth/logout"},
		{Method: "GET", Path: "/auth/time", Response: "integer"},
		{Method: "GET", Path: "/dedicated/server/{serviceName}", Response: "d.Server"},
		{Method: "PUT", Path: "/dedicated/server/{serviceName}", Body: "d.Server"},
		{Method: "GET", Path: "/me/api/credential", Response: "integer[]"},
	}
	if !reflect.DeepEqual(got.Operations, wantOps) {
		t.Errorf("operations:\n%+v\nwant\n%+v", got.Operations, wantOps)
	}
	wantModels := map[string]ovhschema.Model{
		"d.Server": {Fields: map[string]ovhschema.Field{
			"ip":     {Type: "string", ReadOnly: true},
			"bootId": {Type: "integer", Nullable: true},
			"state":  {Type: "d.State"},
			"tasks":  {Type: "d.Task[]"},
		}},
		"d.Task":  {Fields: map[string]ovhschema.Field{"done": {Type: "string:date-time"}}},
		"d.State": {Enum: []string{"error", "hacked", "ok"}},
	}
	if !reflect.DeepEqual(got.Models, wantModels) {
		t.Errorf("models:\n%+v\nwant\n%+v", got.Models, wantModels)
	}
}
