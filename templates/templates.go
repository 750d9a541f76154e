// Package templates holds the text templates that package render fills, embedded
// in the binary so that ovhfence is one file.
package templates

import "embed"

// FS holds every *.tmpl file of this directory.
//
//go:embed *.tmpl
var FS embed.FS
