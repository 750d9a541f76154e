# make          builds build/ovhfence with Go 1.23.12, static (DESIGN.md D7)
# make deb      builds dist/ovhfence_<version>_amd64.deb with dpkg-deb (debian/build-deb.sh)
# make clean
#
# The version is version.Number in version/version.go; the package takes it
# from the built binary. The commit is stamped here from git, "unknown" without.
GO ?= go
export GOTOOLCHAIN := go1.23.12
export CGO_ENABLED := 0
export GOOS := linux
export GOARCH := amd64

COMMIT := $(shell c=$$(git rev-parse --short=7 HEAD 2>/dev/null) && { git diff --quiet HEAD -- || c=$$c-dirty; echo $$c; } || echo unknown)
LDFLAGS := -s -w -X github.com/ovhfence/ovhfence/version.commit=$(COMMIT)

.PHONY: all deb clean FORCE

all: build/ovhfence

# FORCE: go build decides what is stale, make does not.
build/ovhfence: FORCE
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $@ ./cmd/ovhfence

deb: build/ovhfence
	sh debian/build-deb.sh build/ovhfence dist

clean:
	rm -rf build dist
