#!/bin/sh
# with-keyring.sh CMD [ARG...]
#
# Runs CMD against a real, throw-away keychain: a private D-Bus session bus
# (dbus-run-session) with a gnome-keyring Secret Service whose login keyring
# lives in a temporary XDG_DATA_HOME and is unlocked with a fixed password.
# CMD sees FLUXDESK_REAL_KEYRING=1, so the keychain tests run instead of
# skipping. Afterwards the keyring daemon started here is ended by its PID and
# the temporary folder is removed. Exits with CMD's status.
#
# Works as root and without a display. Needs the Debian packages dbus,
# gnome-keyring and libsecret-tools (not dbus-x11).
set -eu

if [ "${FLUXDESK_KEYRING_INSIDE:-}" != 1 ]; then
	if [ $# -eq 0 ]; then
		echo "usage: $0 CMD [ARG...]" >&2
		exit 2
	fi
	for tool in dbus-run-session dbus-send gnome-keyring-daemon secret-tool; do
		if ! command -v "$tool" >/dev/null 2>&1; then
			echo "$0: $tool not found; install the packages dbus gnome-keyring libsecret-tools" >&2
			exit 2
		fi
	done
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/fluxdesk-keyring.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	mkdir -m 700 "$tmp/data" "$tmp/run"
	status=0
	# HOME stays as it is (Go's caches live there); gnome-keyring keeps its
	# keyrings under XDG_DATA_HOME and its sockets under XDG_RUNTIME_DIR.
	# The bus and the keyring get no display, so that an unlock prompt fails
	# at once instead of waiting for a person on it (e.g. under xvfb-run);
	# CMD gets the display back.
	XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/run" FLUXDESK_KEYRING_INSIDE=1 \
		FLUXDESK_KEYRING_DISPLAY="${DISPLAY:-}" FLUXDESK_KEYRING_WAYLAND="${WAYLAND_DISPLAY:-}" \
		env -u DISPLAY -u WAYLAND_DISPLAY dbus-run-session -- "$0" "$@" || status=$?
	exit "$status"
fi

# Inside the private session bus from here on.
display=${FLUXDESK_KEYRING_DISPLAY:-}
wayland=${FLUXDESK_KEYRING_WAYLAND:-}
unset FLUXDESK_KEYRING_INSIDE FLUXDESK_KEYRING_DISPLAY FLUXDESK_KEYRING_WAYLAND

# --unlock creates the login keyring with this password (or unlocks it) and
# starts the daemon in the background; it prints variables to export.
out=$(printf %s fluxdesk-test | gnome-keyring-daemon --unlock --components=secrets)
for assignment in $out; do
	case $assignment in
	*=*) export "${assignment?}" ;;
	esac
done

# The daemon detaches and registers on the bus a moment later: ask the bus,
# for up to ten seconds, which process owns the Secret Service.
pid=
tries=0
while [ -z "$pid" ] && [ "$tries" -lt 100 ]; do
	pid=$(dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
		org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null |
		awk '/uint32/ { print $2 }') || true
	[ -n "$pid" ] || sleep 0.1
	tries=$((tries + 1))
done
if [ -z "$pid" ]; then
	echo "$0: gnome-keyring-daemon did not come up on the session bus" >&2
	exit 2
fi
# It can outlive the bus: end this one, by its PID, however CMD ends.
trap 'kill "$pid" 2>/dev/null || true' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export FLUXDESK_REAL_KEYRING=1
if [ -n "$display" ]; then export DISPLAY="$display"; fi
if [ -n "$wayland" ]; then export WAYLAND_DISPLAY="$wayland"; fi
status=0
"$@" || status=$?
exit "$status"
