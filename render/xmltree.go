package render

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/beevik/etree"
)

// XMLError is malformed input, located for the person who has to fix it.
type XMLError struct {
	Line, Column int
	Msg          string
}

func (e *XMLError) Error() string {
	return fmt.Sprintf("malformed XML at line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// checkWellFormed reads data with encoding/xml, whose decoder knows the line and
// column where it stopped; etree's errors give at most the line. The decoder
// checks nesting but not the document level nor duplicate attributes, so this
// also refuses text outside the root element, a second root and an attribute
// given twice (etree would keep one of them silently).
func checkWellFormed(data []byte) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	depth, roots := 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			msg := err.Error()
			var syntax *xml.SyntaxError
			if errors.As(err, &syntax) {
				msg = syntax.Msg
			}
			return xmlErrorAt(d, msg)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if dup := duplicateAttr(t); dup != "" {
				return xmlErrorAt(d, "attribute "+dup+" given twice in <"+t.Name.Local+">")
			}
			if depth == 0 {
				if roots++; roots > 1 {
					return xmlErrorAt(d, "a second top element <"+t.Name.Local+">")
				}
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(t)) > 0 {
				return xmlErrorAt(d, "text outside the top element")
			}
		}
	}
}

// duplicateAttr names an attribute e has twice, which XML forbids and
// encoding/xml does not check; "" when there is none.
func duplicateAttr(e xml.StartElement) string {
	seen := map[xml.Name]bool{}
	for _, a := range e.Attr {
		if seen[a.Name] {
			return a.Name.Local
		}
		seen[a.Name] = true
	}
	return ""
}

func xmlErrorAt(d *xml.Decoder, msg string) *XMLError {
	line, col := d.InputPos()
	return &XMLError{Line: line, Column: col, Msg: msg}
}

// indentUnit is one level of indentation where a file gives no example of its own;
// cluster.conf files from pvecm and the Proxmox wiki use two spaces.
const indentUnit = "  "

// indentOf is the whitespace that starts e's line: the end of the text before e,
// after its last newline, when that is blank.
func indentOf(e *etree.Element) string {
	parent, i := e.Parent(), e.Index()
	if parent == nil || i == 0 {
		return ""
	}
	text, ok := parent.Child[i-1].(*etree.CharData)
	if !ok || text.IsCData() {
		return ""
	}
	nl := strings.LastIndex(text.Data, "\n")
	if tail := text.Data[nl+1:]; nl >= 0 && strings.TrimSpace(tail) == "" {
		return tail
	}
	return ""
}

// childIndent is the indentation of parent's child elements: that of an existing
// child, else one level deeper than parent.
func childIndent(parent *etree.Element) string {
	for _, child := range parent.ChildElements() {
		if indent := indentOf(child); indent != "" {
			return indent
		}
	}
	return indentOf(parent) + indentUnit
}

// appendElement adds a new element as parent's last child, on its own line, and
// returns it.
func appendElement(parent *etree.Element, tag string, attrs ...param) *etree.Element {
	indent := childIndent(parent)
	closing := "\n" + indentOf(parent)
	if n := len(parent.Child); n > 0 {
		if text, ok := parent.Child[n-1].(*etree.CharData); ok && isBlank(text) {
			closing = text.Data
			parent.RemoveChildAt(n - 1)
		}
	}
	parent.AddChild(etree.NewText("\n" + indent))
	child := newElement(tag, attrs)
	parent.AddChild(child)
	parent.AddChild(etree.NewText(closing))
	return child
}

// insertElementBefore adds a new element just before ref, on its own line at ref's
// indentation, and returns it.
func insertElementBefore(ref *etree.Element, tag string, attrs ...param) *etree.Element {
	parent, i, indent := ref.Parent(), ref.Index(), indentOf(ref)
	child := newElement(tag, attrs)
	parent.InsertChildAt(i, child)
	parent.InsertChildAt(i+1, etree.NewText("\n"+indent))
	return child
}

// insertElementAfter adds a new element just after ref, on its own line at ref's
// indentation, and returns it.
func insertElementAfter(ref *etree.Element, tag string, attrs ...param) *etree.Element {
	parent, i, indent := ref.Parent(), ref.Index(), indentOf(ref)
	child := newElement(tag, attrs)
	parent.InsertChildAt(i+1, etree.NewText("\n"+indent))
	parent.InsertChildAt(i+2, child)
	return child
}

// removeElement takes e out together with the whitespace that put it on its own line.
func removeElement(e *etree.Element) {
	parent, i := e.Parent(), e.Index()
	parent.RemoveChildAt(i)
	if i > 0 {
		if text, ok := parent.Child[i-1].(*etree.CharData); ok && isBlank(text) {
			parent.RemoveChildAt(i - 1)
		}
	}
}

func newElement(tag string, attrs []param) *etree.Element {
	e := etree.NewElement(tag)
	setAttrs(e, attrs)
	return e
}

// setAttrs makes attrs e's only attributes. Those e already has keep their place,
// so that a diff of the file shows just the values that changed; new ones follow
// in the order given.
func setAttrs(e *etree.Element, attrs []param) {
	wanted := map[string]bool{}
	for _, a := range attrs {
		wanted[a.Key] = true
	}
	for _, a := range slices.Clone(e.Attr) {
		if !wanted[a.FullKey()] {
			e.RemoveAttr(a.FullKey())
		}
	}
	for _, a := range attrs {
		e.CreateAttr(a.Key, a.Value)
	}
}

// isBlank reports layout-only text. etree's IsWhitespace is not set on text made
// with NewText, so the merge's own insertions need this check.
func isBlank(text *etree.CharData) bool {
	return !text.IsCData() && strings.TrimSpace(text.Data) == ""
}
