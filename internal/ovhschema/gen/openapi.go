package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/ovhfence/ovhfence/internal/ovhschema"
)

// openAPI is an OpenAPI 3 description (openapi/*.json).
type openAPI struct {
	Paths      map[string]map[string]oaOperation `json:"paths"`
	Components struct {
		Schemas map[string]oaSchema `json:"schemas"`
	} `json:"components"`
}

type oaOperation struct {
	IAMActions []struct {
		Name string `json:"name"`
	} `json:"x-iam-actions"`
	RequestBody *struct {
		Content map[string]struct{ Schema oaSchema } `json:"content"`
	} `json:"requestBody"`
	Responses map[string]struct {
		Content map[string]struct{ Schema oaSchema } `json:"content"`
	} `json:"responses"`
}

type oaSchema struct {
	Ref                  string              `json:"$ref"`
	AllOf                []oaSchema          `json:"allOf"`
	Type                 string              `json:"type"`
	Format               string              `json:"format"`
	Items                *oaSchema           `json:"items"`
	Enum                 []any               `json:"enum"`
	Properties           map[string]oaSchema `json:"properties"`
	AdditionalProperties any                 `json:"additionalProperties"`
	ReadOnly             bool                `json:"readOnly"`
	Nullable             bool                `json:"nullable"`
}

func newOpenAPI(data []byte) (converter, error) {
	var d openAPI
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

func (d *openAPI) operations(prefix string) ([]ovhschema.Operation, error) {
	var ops []ovhschema.Operation
	for path, methods := range d.Paths {
		if !strings.HasPrefix(path, prefix) {
			continue
		}
		for method, op := range methods {
			o := ovhschema.Operation{Method: strings.ToUpper(method), Path: path}
			for _, action := range op.IAMActions {
				o.IAMActions = append(o.IAMActions, action.Name)
			}
			var err error
			if op.RequestBody != nil {
				if o.Body, err = d.contentType(op.RequestBody.Content); err != nil {
					return nil, fmt.Errorf("%s %s body: %w", o.Method, path, err)
				}
			}
			if ok, found := op.Responses["200"]; found {
				if o.Response, err = d.contentType(ok.Content); err != nil {
					return nil, fmt.Errorf("%s %s response: %w", o.Method, path, err)
				}
			}
			ops = append(ops, o)
		}
	}
	return ops, nil
}

// contentType is the type of a JSON body, or "" when there is none.
func (d *openAPI) contentType(content map[string]struct{ Schema oaSchema }) (string, error) {
	c, ok := content["application/json"]
	if !ok {
		return "", nil
	}
	return d.typeOf(c.Schema)
}

// typeOf writes s as an ovhschema type, resolving references to primitive
// aliases (ipv4, ipBlock…) to the primitive.
func (d *openAPI) typeOf(s oaSchema) (string, error) {
	if len(s.AllOf) == 1 {
		return d.typeOf(s.AllOf[0])
	}
	if s.Ref != "" {
		name, ok := strings.CutPrefix(s.Ref, "#/components/schemas/")
		target, found := d.Components.Schemas[name]
		if !ok || !found {
			return "", fmt.Errorf("unresolved reference %s", s.Ref)
		}
		if target.Properties != nil || target.Enum != nil {
			return name, nil
		}
		if target.Type == "" {
			return ovhschema.TypeAny, nil
		}
		return d.typeOf(target)
	}
	switch s.Type {
	case "array":
		if s.Items == nil {
			return ovhschema.TypeAny + "[]", nil
		}
		item, err := d.typeOf(*s.Items)
		return item + "[]", err
	case "object":
		return ovhschema.TypeObject, nil
	case "string":
		if s.Format == "date-time" {
			return ovhschema.TypeString + ":date-time", nil
		}
		return ovhschema.TypeString, nil
	case "integer", "number", "boolean":
		return s.Type, nil
	case "":
		return ovhschema.TypeAny, nil
	}
	return "", fmt.Errorf("unknown type %q", s.Type)
}

func (d *openAPI) model(name string) (ovhschema.Model, error) {
	s, ok := d.Components.Schemas[name]
	if !ok {
		return ovhschema.Model{}, fmt.Errorf("no model %s", name)
	}
	if s.Enum != nil {
		values := make([]string, 0, len(s.Enum))
		for _, v := range s.Enum {
			values = append(values, fmt.Sprint(v))
		}
		sort.Strings(values)
		return ovhschema.Model{Enum: values}, nil
	}
	m := ovhschema.Model{Fields: map[string]ovhschema.Field{}}
	for field, p := range s.Properties {
		t, err := d.typeOf(p)
		if err != nil {
			return m, fmt.Errorf("%s.%s: %w", name, field, err)
		}
		m.Fields[field] = ovhschema.Field{Type: t, ReadOnly: p.ReadOnly, Nullable: p.Nullable}
	}
	return m, nil
}
