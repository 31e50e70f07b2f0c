#!/usr/bin/env bash
# Builds the Linux bundle OUTDIR/Fluxdesk.tar.xz (binary, desktop entry, icon
# and an install Makefile) with fyne package, from FyneApp.toml.
# Usage: scripts/package.sh [OUTDIR]      (default: dist)
# FLUXDESK_BINARY=path packages that binary instead of building one.
# FyneApp.toml is never modified: fyne package runs on a copy (it bumps Build).
set -euo pipefail
cd "$(dirname "$0")/.."

FYNE_TOOLS=fyne.io/tools/cmd/fyne@v1.7.4
out=$(realpath -m "${1:-dist}")
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/src/assets" "$stage/pkg"
cp FyneApp.toml "$stage/src/"
cp assets/icon.png "$stage/src/assets/"
if [ -n "${FLUXDESK_BINARY:-}" ]; then
	cp "$FLUXDESK_BINARY" "$stage/src/fluxdesk"
else
	go build -tags migrated_fynedo -trimpath -o "$stage/src/fluxdesk" .
fi
# fyne package looks for Go code in its source folder even when it is given
# the binary; this file is never compiled.
printf 'package main\n\nfunc main() {}\n' >"$stage/src/main.go"
(cd "$stage/src" && go run "$FYNE_TOOLS" package --target linux --executable fluxdesk)
tar xJf "$stage/src/Fluxdesk.tar.xz" -C "$stage/pkg"

# With [CanOpen] MimeTypes, fyne package adds " %F" to the binary's name in
# the bundle's Makefile as well as in the desktop entry, so "make install"
# would look for a file named "fluxdesk %F". Only the entry should have it.
makefile="$stage/pkg/fluxdesk/Makefile"
sed -i 's/^Exec := "fluxdesk %F"$/Exec := "fluxdesk"/' "$makefile"
if ! grep -q '^Exec := "fluxdesk"$' "$makefile"; then
	echo "package: unexpected Exec line in fyne's Makefile:" >&2
	grep '^Exec' "$makefile" >&2
	exit 1
fi

mkdir -p "$out"
tar cJf "$out/Fluxdesk.tar.xz" -C "$stage/pkg" fluxdesk
echo "package: $out/Fluxdesk.tar.xz"
