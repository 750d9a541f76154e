package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/ovhfence/ovhfence/internal/ovhschema"
)

// swagger12 is OVH's older description format (auth.json).
type swagger12 struct {
	APIs []struct {
		Path       string `json:"path"`
		Operations []struct {
			HTTPMethod   string `json:"httpMethod"`
			ResponseType string `json:"responseType"`
			Parameters   []struct {
				ParamType string `json:"paramType"`
				FullType  string `json:"fullType"`
			} `json:"parameters"`
		} `json:"operations"`
	} `json:"apis"`
	Models map[string]struct {
		Enum       []string `json:"enum"`
		Properties map[string]struct {
			FullType  string `json:"fullType"`
			Type      string `json:"type"`
			ReadOnly  bool   `json:"readOnly"`
			CanBeNull bool   `json:"canBeNull"`
		} `json:"properties"`
	} `json:"models"`
}

func newSwagger12(data []byte) (converter, error) {
	var d swagger12
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

func (d *swagger12) operations(prefix string) ([]ovhschema.Operation, error) {
	var ops []ovhschema.Operation
	for _, api := range d.APIs {
		if !strings.HasPrefix(api.Path, prefix) {
			continue
		}
		for _, op := range api.Operations {
			o := ovhschema.Operation{Method: op.HTTPMethod, Path: api.Path}
			var err error
			for _, p := range op.Parameters {
				if p.ParamType == "body" {
					if o.Body, err = d.typeOf(p.FullType); err != nil {
						return nil, err
					}
				}
			}
			if op.ResponseType != "void" {
				if o.Response, err = d.typeOf(op.ResponseType); err != nil {
					return nil, err
				}
			}
			ops = append(ops, o)
		}
	}
	return ops, nil
}

// primitives12 maps the format's primitive type names to ovhschema types.
var primitives12 = map[string]string{
	"long": ovhschema.TypeInteger, "int": ovhschema.TypeInteger, "integer": ovhschema.TypeInteger,
	"double": ovhschema.TypeNumber, "float": ovhschema.TypeNumber,
	"boolean": ovhschema.TypeBoolean,
	"string":  ovhschema.TypeString, "password": ovhschema.TypeString, "text": ovhschema.TypeString,
	"ip": ovhschema.TypeString, "ipBlock": ovhschema.TypeString, "ipv4": ovhschema.TypeString, "ipv6": ovhschema.TypeString,
	"datetime": ovhschema.TypeString + ":date-time",
}

func (d *swagger12) typeOf(t string) (string, error) {
	if item, ok := strings.CutSuffix(t, "[]"); ok {
		it, err := d.typeOf(item)
		return it + "[]", err
	}
	if p, ok := primitives12[t]; ok {
		return p, nil
	}
	if _, ok := d.Models[t]; ok {
		return t, nil
	}
	return "", fmt.Errorf("unknown type %q", t)
}

func (d *swagger12) model(name string) (ovhschema.Model, error) {
	s, ok := d.Models[name]
	if !ok {
		return ovhschema.Model{}, fmt.Errorf("no model %s", name)
	}
	if s.Enum != nil {
		values := append([]string{}, s.Enum...)
		sort.Strings(values)
		return ovhschema.Model{Enum: values}, nil
	}
	m := ovhschema.Model{Fields: map[string]ovhschema.Field{}}
	for field, p := range s.Properties {
		full := p.FullType
		if full == "" {
			full = p.Type
		}
		t, err := d.typeOf(full)
		if err != nil {
			return m, fmt.Errorf("%s.%s: %w", name, field, err)
		}
		m.Fields[field] = ovhschema.Field{Type: t, ReadOnly: p.ReadOnly, Nullable: p.CanBeNull}
	}
	return m, nil
}
