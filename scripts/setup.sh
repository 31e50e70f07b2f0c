#!/usr/bin/env bash
# Installs the Debian packages Fluxdesk needs, only those missing.
# Usage: scripts/setup.sh [build|test|bench]...   (default: build)
set -euo pipefail

build=(gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
	libxinerama-dev libxi-dev libxxf86vm-dev libjpeg62-turbo-dev libpng-dev xz-utils)
test=(xvfb xauth dbus gnome-keyring libsecret-tools imagemagick x11-utils libimage-exiftool-perl
	desktop-file-utils mate-backgrounds)
bench=(webp imagemagick mate-backgrounds time gnome-user-docs xvfb xauth)

wanted=("${build[@]}")
for group in "$@"; do
	case "$group" in
	build) ;;
	test) wanted+=("${test[@]}") ;;
	bench) wanted+=("${bench[@]}") ;;
	*) echo "setup: unknown group $group" >&2; exit 2 ;;
	esac
done

missing=()
for pkg in "${wanted[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed"; then
		missing+=("$pkg")
	fi
done

if ((${#missing[@]})); then
	sudo=()
	if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
	echo "setup: installing ${missing[*]}"
	"${sudo[@]}" apt-get update -qq
	DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v go >/dev/null; then
	echo "setup: Go 1.26 or newer is needed; put it on PATH" >&2
	exit 1
fi
