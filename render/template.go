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
	"sh":    ShellQuote,
	"crmkv": func(params []param) string { return joinParams(params, crmQuote) },
	"shkv":  func(params []param) string { return joinParams(params, ShellQuote) },
}

// joinParams writes params as key=value words, each value passed through
// quote; the keys are ovhfence's own.
func joinParams(params []param, quote func(string) string) string {
	words := make([]string, len(params))
	for i, p := range params {
		words[i] = p.Key + "=" + quote(p.Value)
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

// plainWord is a word no shell or crm line needs quoted.
func plainWord(s string) bool {
	return s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/=:@+,-") == ""
}

// ShellQuote leaves plain words alone, so a script or a shown command stays
// easy to read, and single-quotes anything else.
func ShellQuote(s string) string {
	if plainWord(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// crmQuote is ShellQuote for crmsh, which splits its lines as a POSIX shell
// does (Python's shlex) but reads parameter values in double quotes.
func crmQuote(s string) string {
	if plainWord(s) {
		return s
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
