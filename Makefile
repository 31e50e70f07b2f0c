# Fluxdesk. `make run` sets up and starts the app; `make test` sets up and
# runs every test; `make bench` compares the local engine with cwebp.

GO       ?= go
BIN      := bin/fluxdesk
GOFLAGS  := -tags migrated_fynedo -trimpath
# libwebp's SSE4.1 code paths are only compiled with -msse4.1.
export CGO_CFLAGS ?= -O3 -msse4.1
export PATH := $(PATH):/usr/local/go/bin

.PHONY: all setup build run test bench package clean

all: build

setup:
	@scripts/setup.sh build

build: setup
	$(GO) build $(GOFLAGS) -o $(BIN) .

run: build
	./$(BIN)

test:
	@scripts/setup.sh build test
	@scripts/test.sh

bench: build
	@scripts/setup.sh build bench
	@scripts/bench.sh

clean:
	rm -rf bin dist

# A Linux bundle (binary, .desktop entry, icon) in dist/Fluxdesk.tar.xz.
package: setup
	@scripts/package.sh dist
