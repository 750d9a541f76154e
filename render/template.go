package render

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"sync"
	"text/template"

	"github.com/ovhfence/ovhfence/templates"
)

var templateFuncs = template.FuncMap{
	"inc": func(i int) int { return i + 1 },
	"xml": func(s string) (string, error) {
		var b strings.Builder
		err := xml.EscapeText(&b, []byte(s))
		return b.String(), err
	},
	"sh":   ShellQuote,
	"kv":   func(params []param) string { return joinParams(params, func(s string) string { return s }) },
	"shkv": func(params []param) string { return joinParams(params, ShellQuote) },
}

// joinParams writes params as key=value words, each passed through quote.
func joinParams(params []param, quote func(string) string) string {
	words := make([]string, len(params))
	for i, p := range params {
		words[i] = quote(p.Key + "=" + p.Value)
	}
	return strings.Join(words, " ")
}

// parsedTemplates parses the embedded templates on first use, not at package
// init: the same binary is the fence agent, whose start-up should not pay for it.
var parsedTemplates = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("").Funcs(templateFuncs).ParseFS(templates.FS, "*.tmpl"))
})

// execute fills the embedded template name with data.
func execute(name string, data any) ([]byte, error) {
	var b bytes.Buffer
	if err := parsedTemplates().ExecuteTemplate(&b, name, data); err != nil {
		return nil, fmt.Errorf("render %s: %w", name, err)
	}
	return b.Bytes(), nil
}

// ShellQuote leaves plain words alone, so a script or a shown command stays easy to read, and
// single-quotes anything else.
func ShellQuote(s string) string {
	plain := s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/=:@+,-") == ""
	if plain {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
