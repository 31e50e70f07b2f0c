#!/usr/bin/env bash
# Runs Fluxdesk's checks and tests: formatting, vet, the race detector on the
# packages with goroutines, then every package inside a virtual X display and
# a private D-Bus session with an unlocked, throw-away keychain.
set -euo pipefail
cd "$(dirname "$0")/.."

export LANG=en_US.UTF-8
export CGO_CFLAGS="${CGO_CFLAGS:--O3 -msse4.1}"
tags=(-tags migrated_fynedo)

echo "== gofmt"
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
	echo "not gofmt-ed:" $unformatted >&2
	exit 1
fi

echo "== go vet"
go vet "${tags[@]}" ./...

echo "== go test -race (engine, watcher)"
go test "${tags[@]}" -race -count=1 ./engine/... ./watcher/...

echo "== go test (all, with a display and a keychain)"
xvfb-run -a -s "-screen 0 1280x1024x24" \
	scripts/with-keyring.sh go test "${tags[@]}" -count=1 ./...
