// Command contract checks the calls every simulator made during the tests
// (the $OVHFENCE_CONTRACT_LOG written by ovhsim) against OVH's own API
// descriptions (internal/ovhschema/testdata/ovh-api.json):
//
//	OVHFENCE_CONTRACT_LOG=/tmp/calls.jsonl go test -count=1 ./...
//	go run ./test/contract /tmp/calls.jsonl
//
// Every call a simulator route served must be an operation OVH describes
// (method and path template); every accepted request body may only write
// fields the model has and does not mark read-only; every 2xx answer must fit
// the operation's model (names, types, enums, nullability, no invented
// fields). It exits 1 listing each distinct problem once.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"

	"github.com/ovhfence/ovhfence/internal/ovhschema"
	"github.com/ovhfence/ovhfence/ovhsim"
)

func main() {
	schemaPath := flag.String("schema", "internal/ovhschema/testdata/ovh-api.json", "the extract of OVH's API descriptions")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: contract [-schema FILE] LOG")
		os.Exit(2)
	}
	schema, err := ovhschema.Load(*schemaPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "contract:", err)
		os.Exit(2)
	}
	f, err := os.Open(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "contract:", err)
		os.Exit(2)
	}
	defer f.Close()
	r, err := check(schema, f)
	if err != nil {
		fmt.Fprintln(os.Stderr, "contract:", err)
		os.Exit(2)
	}
	fmt.Print(r)
	if len(r.problems) > 0 {
		os.Exit(1)
	}
}

// report is the outcome of one log.
type report struct {
	calls      int            // routed calls checked
	operations map[string]int // calls per operation
	problems   map[string]int // distinct problem → how many calls had it
}

func (r report) String() string {
	s := fmt.Sprintf("contract: %d simulated OVH calls over %d operations checked against OVH's API descriptions\n", r.calls, len(r.operations))
	for _, op := range slices.Sorted(maps.Keys(r.operations)) {
		s += fmt.Sprintf("  %6d  %s\n", r.operations[op], op)
	}
	if len(r.problems) == 0 {
		return s + "contract: OK\n"
	}
	s += fmt.Sprintf("contract: FAILED: %d distinct problems (the simulator or ovhfence drifts from OVH):\n", len(r.problems))
	for _, p := range slices.Sorted(maps.Keys(r.problems)) {
		s += fmt.Sprintf("  %s  (%d calls)\n", p, r.problems[p])
	}
	return s
}

// check reads a contract log and checks every routed call in it.
func check(schema *ovhschema.Schema, log io.Reader) (report, error) {
	r := report{operations: map[string]int{}, problems: map[string]int{}}
	lines := bufio.NewScanner(log)
	lines.Buffer(make([]byte, 1<<20), 16<<20)
	for n := 1; lines.Scan(); n++ {
		var e ovhsim.ContractEntry
		if err := json.Unmarshal(lines.Bytes(), &e); err != nil {
			return r, fmt.Errorf("line %d: %v", n, err)
		}
		if !e.Routed {
			continue // a path the simulator does not serve (a test of its 404)
		}
		r.calls++
		call := e.Method + " " + e.Path
		op, ok := schema.Operation(e.Method, e.Path)
		if !ok {
			r.problems[call+": no such operation in OVH's API description"]++
			continue
		}
		name := op.Method + " " + op.Path
		r.operations[name]++
		if e.Status < 200 || e.Status > 299 {
			continue // error bodies are not described; refused writes wrote nothing
		}
		var problems []string
		switch {
		case e.RequestBody != "" && op.Body != "":
			problems = append(problems, schema.CheckWrite(op.Body, []byte(e.RequestBody))...)
		case e.RequestBody != "" && e.RequestBody != "null":
			problems = append(problems, "request body sent where the operation takes none")
		}
		problems = append(problems, schema.CheckBody(op.Response, e.ResponseBody)...)
		for _, p := range problems {
			r.problems[name+": "+p]++
		}
	}
	if err := lines.Err(); err != nil {
		return r, err
	}
	if r.calls == 0 {
		return r, fmt.Errorf("the log holds no simulated OVH call: was %s set for go test?", ovhsim.ContractLogEnv)
	}
	return r, nil
}
