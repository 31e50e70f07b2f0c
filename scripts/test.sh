#!/usr/bin/env bash
# Runs Fluxdesk's checks and tests: formatting, vet, staticcheck, then every package under
# the race detector inside a virtual X display and a private D-Bus session
# with an unlocked, throw-away keychain.
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
go vet -tags "migrated_fynedo watchbench" . # the window benchmark's probe

# staticcheck, pinned, fetched from the Go module proxy like any module; on
# both decoder builds.
echo "== staticcheck"
staticcheck=(go run honnef.co/go/tools/cmd/staticcheck@v0.8.2)
"${staticcheck[@]}" "${tags[@]}" ./...
"${staticcheck[@]}" -tags "migrated_fynedo nolibjpeg" ./...
"${staticcheck[@]}" -tags "migrated_fynedo watchbench" .

# Every package under the race detector (the engine, the watcher, the
# command line and the window all run goroutines), with a display and a
# keychain, so that no test has reason to skip. -noreset: an X server
# resets when its last client leaves, and each window test ends with its
# window, the last client, gone while the next test's window may already be
# connecting.
echo "== go test -race (all, with a display and a keychain)"
xvfb-run -a -s "-screen 0 1280x1024x24 -noreset" \
	scripts/with-keyring.sh go test "${tags[@]}" -race -count=1 ./...

echo "== go test (the pure-Go JPEG and PNG decoders, for machines without libjpeg-turbo or libpng)"
go test -tags "migrated_fynedo nolibjpeg" -count=1 ./engine/local
