#!/usr/bin/env bash
# Measures the window with a watched folder under a flood of files: COUNT
# (10 000) small PNGs are copied into the folder at once while the window is
# open and watching it (a real window, under Xvfb when there is no display,
# against a throw-away keychain). Reports
#  - the peak goroutine count and the peak RSS (VmHWM) of the window;
#  - how long the UI goroutine kept a function posted through fyne.Do waiting
#    (the worst wait; one post at a time, every 10 ms unless the last one is
#    still waiting; it must stay under 100 ms), from the moment the window
#    is up: the time it took to start is reported apart;
#  - whether every file was compressed exactly once: one img*.webp per
#    img*.png, nothing else (no -min name, no second output);
#  - the time from the first copy to the last output, and the window's CPU
#    time (user and system) from the first copy to the end, per file.
# The window is built with the watchbench tag, which adds the probe
# (probe.go); the files are written by internal/benchtool. The UI goroutine's
# waits are shown beside the worst lateness of a plain goroutine of the same
# process: on a busy machine both include waiting for a core. With
# CPUPROFILE=FILE the window's CPU profile during the flood is kept there.
set -euo pipefail

cd "$(dirname "$0")/.."
if [ -z "${DISPLAY:-}" ]; then
	exec xvfb-run -a -s "-screen 0 1280x1024x24" "$0" "$@"
fi
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
	exec scripts/with-keyring.sh "$0" "$@"
fi

count=${COUNT:-10000}
work=$(mktemp -d /tmp/fluxdesk-window-bench.XXXXXX)
pid=
cleanup() {
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

go build -tags migrated_fynedo,watchbench -o "$work/fluxdesk" .
go build -o "$work/benchtool" ./internal/benchtool
"$work/benchtool" images "$work/staging" "$count"

mkdir -p "$work/watched" "$work/config/fluxdesk" "$work/state"
# Outputs get the time of writing: the last one tells when the flood ended.
printf '{"keepModTime":false,"watched":[{"path":"%s"}]}\n' "$work/watched" >"$work/config/fluxdesk/settings.json"
XDG_CONFIG_HOME="$work/config" XDG_STATE_HOME="$work/state" FLUXDESK_PROBE="$work/probe" \
	FLUXDESK_PROBE_CPU="${CPUPROFILE:-}" \
	"$work/fluxdesk" >"$work/window.log" 2>&1 &
pid=$!

# waits up to $1 tenths of a second for the command that follows to succeed
wait_for() {
	local n=$1
	shift
	for _ in $(seq "$n"); do
		"$@" && return
		sleep 0.1
	done
	echo "timed out waiting for: $*" >&2
	cat "$work/window.log" >&2
	exit 1
}
has_lock() { compgen -G "$work/state/fluxdesk/watching/*.lock" >/dev/null; }
wait_for 300 has_lock # the folder is watched
kill -USR1 "$pid"
wait_for 100 test -s "$work/probe" # fyne.Do runs: the window's loop is up
sleep 1                           # a second of the idle window, for reference
idle_hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")

# the process's CPU time so far, user and system, in clock ticks
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
cpu_before=$(cpu_ticks)
start=$(date +%s%3N)
cp "$work"/staging/*.png "$work/watched/"
copied=$(date +%s%3N)
outputs() { find "$work/watched" -name '*.webp' | wc -l; }
# Looked for once a second: listing 20 000 files costs the machine, and the
# window is what is measured.
for _ in $(seq 1200); do
	[ "$(outputs)" -ge "$count" ] && break
	sleep 1
done
[ "$(outputs)" -ge "$count" ] || { echo "not every file was compressed within 20 minutes" >&2; exit 1; }
finished=$(python3 -c 'import os, sys; d = sys.argv[1]; print(int(max(os.stat(os.path.join(d, n)).st_mtime for n in os.listdir(d) if n.endswith(".webp")) * 1000))' "$work/watched")
sleep 2 # anything compressed twice would show up by now
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
cpu_ms=$((($(cpu_ticks) - cpu_before) * 1000 / $(getconf CLK_TCK)))
kill -USR2 "$pid" # ends the CPU profile
sleep 0.5
kill -TERM "$pid"
wait "$pid" || true
pid=

echo "machine load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "copy of $count files into the watched folder: $(((copied - start))) ms"
echo "first copy to last output: $(((finished - start))) ms ($(echo "scale=1; $count * 1000 / ($finished - $start)" | bc) files/s)"
echo "CPU time of the window: $cpu_ms ms ($(echo "scale=2; $cpu_ms / $count" | bc) ms a file)"
echo "peak RSS of the window: $((hwm / 1024)) MB (before the flood: $((idle_hwm / 1024)) MB)"
python3 - "$work/probe" "$start" "$finished" "$work/watched" "$count" <<'PY'
import os, re, sys
probe, start, end, watched, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
idle, burst = [], []
for line in open(probe):
    if line.startswith("start "):
        print(f"window start: its first posted function ran after {float(line.split()[1]):.0f} ms")
        continue
    t, g, peak, wait, late, queued = line.split()
    row = (int(g), int(peak), float(wait), float(late), float(queued), int(t))
    if int(t) < start:
        idle.append(row)
    elif int(t) <= end + 2000:
        burst.append(row)
for name, rows in (("idle window", idle), ("flood", burst)):
    over = [r for r in rows if r[2] > 100]
    own = [r[2] - r[4] for r in rows]
    print(f"{name}: peak goroutines {max(r[1] for r in rows)}; worst wait of the UI goroutine "
          f"{max(r[2] for r in rows):.1f} ms, over 100 ms in {len(over)} of {len(rows)} spans of 100 ms; "
          f"the main thread waited for a core up to {max(r[4] for r in rows):.1f} ms a span "
          f"({sum(r[4] for r in rows) / len(rows):.1f} on average); worst wait less the main thread's wait for a core in its span: {max(own):.1f} ms, "
          f"over 100 ms in {sum(o > 100 for o in own)} spans; a plain goroutine late by up to {max(r[3] for r in rows):.1f} ms")
    if name == "flood" and over:
        print("  spans over 100 ms, seconds after the first copy (wait in ms): " +
              ", ".join(f"{(r[5] - start) / 1000:.1f} ({r[2]:.0f})" for r in over))
names = os.listdir(watched)
sources = {n for n in names if re.fullmatch(r"img\d{5}\.png", n)}
outputs = {n for n in names if re.fullmatch(r"img\d{5}\.webp", n)}
others = sorted(set(names) - sources - outputs)
missing = sorted(s for s in sources if s[:-4] + ".webp" not in outputs)
print(f"files: {len(sources)} sources, {len(outputs)} outputs, {len(missing)} without output, "
      f"{len(others)} other files {others[:5]}")
ok = len(sources) == count and len(outputs) == count and not missing and not others
print("every file compressed exactly once" if ok else "NOT every file compressed exactly once")
sys.exit(0 if ok else 1)
PY
