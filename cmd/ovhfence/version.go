package main

import (
	"fmt"
	"io"

	"github.com/ovhfence/ovhfence/version"
)

func init() {
	register("version", "print the version (also --version; fence_ovh -V)", func(args []string, _ io.Reader, stdout, _ io.Writer) int {
		if wantsHelp(args) {
			printUsage(stdout, "version", "", "Prints the version, the commit and the Go release it was built with.")
			return 0
		}
		fmt.Fprintln(stdout, version.String())
		return 0
	})
}
