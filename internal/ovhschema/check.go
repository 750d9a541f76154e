package ovhschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"
)

// CheckBody reports every way body (JSON) does not fit type t: unknown
// fields, wrong types, values outside an enum, null where the model does not
// allow it. An empty t is a "void" answer, which must be empty or null.
func (s *Schema) CheckBody(t string, body []byte) []string {
	body = bytes.TrimSpace(body)
	if t == "" {
		if len(body) == 0 || string(body) == "null" {
			return nil
		}
		return []string{"body: want no body or null (void), got " + abbreviate(body)}
	}
	v, err := decode(body)
	if err != nil {
		return []string{"body: " + err.Error()}
	}
	var problems []string
	s.check(t, v, false, "body", &problems)
	return problems
}

// CheckWrite reports every field of a request body of model t that does not
// exist, is read-only, or has a value that does not fit.
func (s *Schema) CheckWrite(t string, body []byte) []string {
	v, err := decode(bytes.TrimSpace(body))
	if err != nil {
		return []string{"request body: " + err.Error()}
	}
	m, ok := s.Models[t]
	object, isObject := v.(map[string]any)
	if !ok || m.Fields == nil || !isObject {
		var problems []string
		s.check(t, v, false, "request body", &problems)
		return problems
	}
	var problems []string
	for _, name := range slices.Sorted(maps.Keys(object)) {
		f, ok := m.Fields[name]
		where := "request body." + name
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s: %s has no field %q", where, t, name))
		case f.ReadOnly:
			problems = append(problems, fmt.Sprintf("%s: %s.%s is read-only", where, t, name))
		default:
			s.check(f.Type, object[name], f.Nullable, where, &problems)
		}
	}
	return problems
}

func decode(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("not JSON: %v", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("not one JSON value: %s", abbreviate(body))
	}
	return v, nil
}

// check appends to problems every way v does not fit t at where.
func (s *Schema) check(t string, v any, nullable bool, where string, problems *[]string) {
	fail := func(format string, args ...any) {
		*problems = append(*problems, where+": "+fmt.Sprintf(format, args...))
	}
	if v == nil {
		if !nullable && t != TypeAny {
			fail("null, but %s is not nullable", t)
		}
		return
	}
	if item, ok := strings.CutSuffix(t, "[]"); ok {
		list, ok := v.([]any)
		if !ok {
			fail("want an array of %s, got %s", item, kindOf(v))
			return
		}
		for i, e := range list {
			s.check(item, e, false, fmt.Sprintf("%s[%d]", where, i), problems)
		}
		return
	}
	base, format, _ := strings.Cut(t, ":")
	switch base {
	case TypeAny:
		return
	case TypeObject:
		if _, ok := v.(map[string]any); !ok {
			fail("want an object, got %s", kindOf(v))
		}
		return
	case TypeString:
		str, ok := v.(string)
		if !ok {
			fail("want a string, got %s", kindOf(v))
		} else if format == formatDateTime {
			if _, err := time.Parse(time.RFC3339, str); err != nil {
				fail("want a date-time (RFC 3339), got %q", str)
			}
		}
		return
	case TypeInteger, TypeNumber:
		n, ok := v.(json.Number)
		if !ok {
			fail("want %s, got %s", base, kindOf(v))
		} else if _, err := n.Int64(); base == TypeInteger && err != nil {
			fail("want an integer, got %s", n)
		}
		return
	case TypeBoolean:
		if _, ok := v.(bool); !ok {
			fail("want a boolean, got %s", kindOf(v))
		}
		return
	}
	m, ok := s.Models[t]
	if !ok {
		fail("type %s is not in the extract", t)
		return
	}
	if m.Enum != nil {
		str, ok := v.(string)
		if !ok || !slices.Contains(m.Enum, str) {
			fail("%v is not a value of %s %v", abbreviate(mustJSON(v)), t, m.Enum)
		}
		return
	}
	object, ok := v.(map[string]any)
	if !ok {
		fail("want a %s object, got %s", t, kindOf(v))
		return
	}
	for _, name := range slices.Sorted(maps.Keys(object)) {
		f, ok := m.Fields[name]
		if !ok {
			fail("%s has no field %q", t, name)
			continue
		}
		s.check(f.Type, object[name], f.Nullable, where+"."+name, problems)
	}
}

// CheckGoType reports every field of the Go struct type goType (as decoded
// with encoding/json) that model t lacks or that could not hold the model's
// value: what a client reads must be there, with a compatible type.
func (s *Schema) CheckGoType(t string, goType reflect.Type) []string {
	var problems []string
	s.checkGo(t, goType, goType.Name(), &problems)
	return problems
}

var timeType = reflect.TypeOf(time.Time{})

func (s *Schema) checkGo(t string, g reflect.Type, where string, problems *[]string) {
	fail := func(format string, args ...any) {
		*problems = append(*problems, where+": "+fmt.Sprintf(format, args...))
	}
	for g.Kind() == reflect.Pointer {
		g = g.Elem()
	}
	if item, ok := strings.CutSuffix(t, "[]"); ok {
		if g.Kind() != reflect.Slice {
			fail("the model has an array of %s, Go has %s", item, g)
			return
		}
		s.checkGo(item, g.Elem(), where+"[]", problems)
		return
	}
	base, format, _ := strings.Cut(t, ":")
	if m, ok := s.Models[t]; ok && m.Enum != nil {
		base = TypeString
	}
	switch base {
	case TypeAny:
		return
	case TypeString:
		if g.Kind() != reflect.String && !(format == formatDateTime && g == timeType) {
			fail("the model has %s, Go has %s", t, g)
		}
		return
	case TypeInteger:
		switch g.Kind() {
		case reflect.Int, reflect.Int32, reflect.Int64, reflect.Float64:
		default:
			fail("the model has an integer, Go has %s", g)
		}
		return
	case TypeNumber:
		if g.Kind() != reflect.Float64 {
			fail("the model has a number, Go has %s", g)
		}
		return
	case TypeBoolean:
		if g.Kind() != reflect.Bool {
			fail("the model has a boolean, Go has %s", g)
		}
		return
	case TypeObject:
		if g.Kind() != reflect.Map && g.Kind() != reflect.Interface {
			fail("the model has a free-form object, Go has %s", g)
		}
		return
	}
	m, ok := s.Models[t]
	if !ok || g.Kind() != reflect.Struct {
		fail("the model has %s, Go has %s", t, g)
		return
	}
	for i := range g.NumField() {
		sf := g.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if !sf.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		f, ok := m.Fields[name]
		if !ok {
			*problems = append(*problems, fmt.Sprintf("%s.%s: %s has no field %q", where, sf.Name, t, name))
			continue
		}
		s.checkGo(f.Type, sf.Type, where+"."+sf.Name, problems)
	}
}

func kindOf(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return fmt.Sprintf("%T", v)
}

func mustJSON(v any) []byte {
	data, _ := json.Marshal(v)
	return data
}

func abbreviate(b []byte) string {
	const max = 80
	if len(b) > max {
		return string(b[:max]) + "…"
	}
	return string(b)
}
