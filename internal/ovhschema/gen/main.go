// Command gen writes the extract of OVH's API descriptions that the contract
// tests check against (internal/ovhschema/testdata/ovh-api.json):
//
//	go generate ./internal/ovhschema   # with ../shared/reference beside the repository
//	go run ./internal/ovhschema/gen -src DIR -out FILE
//
// DIR is a copy of reference/ovh-schema. The extract keeps the operations of
// /dedicated/server/** (openapi/baremetal.json), /me/api/** (openapi/me.json)
// and /auth/* (auth.json, OVH's only description of /auth), and every model
// those operations reach, with each source file's sha256.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"

	"github.com/ovhfence/ovhfence/internal/ovhschema"
)

// source is one description file and the paths taken from it.
type source struct {
	file, prefix string
	swagger12    bool // auth.json is the older Swagger-1.2-like format
}

var sources = []source{
	{file: "openapi/baremetal.json", prefix: "/dedicated/server"},
	{file: "openapi/me.json", prefix: "/me/api/"},
	{file: "auth.json", prefix: "/auth/", swagger12: true},
}

func main() {
	src := flag.String("src", "", "directory holding reference/ovh-schema")
	out := flag.String("out", "", "file to write the extract to")
	flag.Parse()
	if *src == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: gen -src DIR -out FILE")
		os.Exit(2)
	}
	schema, err := extract(*src)
	if err == nil {
		err = write(*out, schema)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func extract(dir string) (*ovhschema.Schema, error) {
	schema := &ovhschema.Schema{Models: map[string]ovhschema.Model{}}
	for _, s := range sources {
		data, err := os.ReadFile(filepath.Join(dir, s.file))
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(data)
		schema.Sources = append(schema.Sources, ovhschema.Source{File: s.file, SHA256: hex.EncodeToString(sum[:])})
		var c converter
		if s.swagger12 {
			c, err = newSwagger12(data)
		} else {
			c, err = newOpenAPI(data)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.file, err)
		}
		ops, err := c.operations(s.prefix)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.file, err)
		}
		schema.Operations = append(schema.Operations, ops...)
		if err := addModels(schema.Models, c, ops); err != nil {
			return nil, fmt.Errorf("%s: %w", s.file, err)
		}
	}
	sort.Slice(schema.Operations, func(i, j int) bool {
		a, b := schema.Operations[i], schema.Operations[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Method < b.Method
	})
	return schema, nil
}

// converter reads one description format.
type converter interface {
	operations(prefix string) ([]ovhschema.Operation, error)
	model(name string) (ovhschema.Model, error)
}

// addModels adds every model the operations reach, following fields.
func addModels(models map[string]ovhschema.Model, c converter, ops []ovhschema.Operation) error {
	var todo []string
	for _, op := range ops {
		todo = append(todo, op.Body, op.Response)
	}
	seen := map[string]bool{}
	for len(todo) > 0 {
		name := modelName(todo[0])
		todo = todo[1:]
		if name == "" || seen[name] {
			continue
		}
		seen[name] = true
		m, err := c.model(name)
		if err != nil {
			return err
		}
		if old, ok := models[name]; ok && !reflect.DeepEqual(old, m) {
			return fmt.Errorf("model %s differs between descriptions", name)
		}
		models[name] = m
		for _, f := range m.Fields {
			todo = append(todo, f.Type)
		}
	}
	return nil
}

// modelName is the model a type refers to, or "" for a primitive.
func modelName(t string) string {
	t = strings.TrimRight(t, "[]")
	switch base, _, _ := strings.Cut(t, ":"); base {
	case "", ovhschema.TypeString, ovhschema.TypeInteger, ovhschema.TypeNumber,
		ovhschema.TypeBoolean, ovhschema.TypeObject, ovhschema.TypeAny:
		return ""
	}
	return t
}

func write(path string, schema *ovhschema.Schema) error {
	data, err := json.MarshalIndent(schema, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}
