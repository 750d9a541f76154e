package ovhsim

import (
	"html/template"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// validationPath serves the validation URL POST /auth/credential hands out
// (<base>/auth/?credentialToken=…), as OVH's login page does: it shows the
// application and the rules asked for, and the person accepts, with a validity,
// or refuses. The sandbox so works with a real browser, not only with hooks.
const validationPath = "/auth/"

// validities are the choices of the validation page, as OVH offers them.
type validity struct {
	Label string
	For   time.Duration // 0 = unlimited
}

var validities = []validity{{"Unlimited", 0}, {"1 hour", time.Hour}, {"1 day", 24 * time.Hour}, {"30 days", 30 * 24 * time.Hour}}

// validationPage is parsed on first use: the fence agent shares this binary and
// should not pay for it at start-up.
var validationPage = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("").Parse(validationHTML))
})

const validationHTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>ovhsim: authorize an application</title></head>
<body>
{{if .Done}}<p>{{.Done}} You can close this page.</p>
{{else if .Pending}}<h1>Authorize {{.App}}</h1>
<p>This application asks for these rights on the simulated OVH account:</p>
<ul>{{range .Rules}}<li><code>{{.Method}} {{.Path}}</code></li>{{end}}</ul>
<form method="post">
<label>Validity <select name="validity">{{range $i, $v := .Validities}}<option value="{{$i}}">{{$v.Label}}</option>{{end}}</select></label>
<button name="answer" value="accept">Authorize</button> <button name="answer" value="refuse">Refuse</button>
</form>
{{else}}<p>This credential is {{.State}}: there is nothing to authorize.</p>{{end}}
</body></html>
`

func (s *Sim) serveValidation(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("credentialToken")
	s.mu.Lock()
	var cred *credential
	for _, c := range s.creds {
		if token != "" && c.token == token {
			cred = c
		}
	}
	if cred == nil {
		s.mu.Unlock()
		http.Error(w, "unknown credential token", http.StatusNotFound)
		return
	}
	data := struct {
		App, State, Done string
		Pending          bool
		Rules            []Rule
		Validities       []validity
	}{App: s.apps[cred.appID].name, State: s.credentialStatus(cred), Rules: cred.rules, Validities: validities}
	data.Pending = data.State == statusPending
	if r.Method == http.MethodPost && data.Pending {
		switch r.PostFormValue("answer") {
		case "accept":
			cred.state, cred.expiration = statusValidated, nil
			data.Done = "The application is authorized."
			if choice, err := strconv.Atoi(r.PostFormValue("validity")); err == nil && choice > 0 && choice < len(validities) {
				until := s.now().Add(validities[choice].For)
				cred.expiration = &until
			}
		case "refuse":
			cred.state = statusRefused
			data.Done = "The application was refused."
		}
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	validationPage().Execute(w, data)
}
