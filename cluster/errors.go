package cluster

import "fmt"

// FieldError is one problem in a cluster file, located as precisely as known.
type FieldError struct {
	File    string // "" when the cluster was not read from a file
	Line    int    // 0 when unknown
	Field   string // e.g. "power_timeout" or `node "pve1" server`
	Problem string
}

func (e *FieldError) Error() string {
	where := ""
	switch {
	case e.File != "" && e.Line > 0:
		where = fmt.Sprintf("%s:%d: ", e.File, e.Line)
	case e.File != "":
		where = e.File + ": "
	}
	if e.Field == "" {
		return where + e.Problem
	}
	return where + e.Field + ": " + e.Problem
}
