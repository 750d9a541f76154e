package main

import (
	"fmt"
	"io"

	"github.com/ovhfence/ovhfence/version"
)

func init() {
	register("version", "print the version (also --version; fence_ovh -V)", func(_ []string, _ io.Reader, stdout, _ io.Writer) int {
		fmt.Fprintln(stdout, version.String())
		return 0
	})
}
