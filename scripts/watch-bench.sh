#!/usr/bin/env bash
# Measures `fluxdesk watch`:
#  1. latency from the last byte of a copied photo to its output being in
#     place (median and worst over a burst of 200 photos), from the files'
#     own modification times;
#  2. files per second during that burst, against `fluxdesk compress` on the
#     same 200 files in the same run; then RATIO_ROUNDS (3) more pairs of a
#     burst into a fresh folder and `compress`, in turn, each with its ratio;
#  3. files per second while a second process holds the record for 3 s
#     (internal/benchtool opens it for writing, which locks it), against
#     the same span of a burst without the hold, in turn (HOLD_ROUNDS pairs);
#  4. peak memory (VmHWM) while watching a tree of 100 000 small files
#     (TREE_FILES=0 leaves it out).
# Outputs are given the time of writing (--keep-mtime=false): the figures
# are read from the files' modification times.
# Needs the photos of Debian's mate-backgrounds package.
set -euo pipefail

photos=(/usr/share/backgrounds/mate/nature/*.jpg)
count=${COUNT:-200}
tree_files=${TREE_FILES:-100000}
ratio_rounds=${RATIO_ROUNDS:-3}
hold_rounds=${HOLD_ROUNDS:-2}
per_dir=100
work=$(mktemp -d /tmp/fluxdesk-watch-bench.XXXXXX)
watch_pid=
cleanup() {
	if [ -n "$watch_pid" ]; then kill "$watch_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

cd "$(dirname "$0")/.."
bin=${FLUXDESK:-$work/fluxdesk}
[ -n "${FLUXDESK:-}" ] || go build -tags migrated_fynedo -o "$bin" .
go build -o "$work/benchtool" ./internal/benchtool

# start_watch DIR STATE: runs the watcher in the background, JSON on $work/watch.out.
start_watch() {
	XDG_STATE_HOME=$2 "$bin" watch --json --keep-mtime=false "$1" >"$work/watch.out" 2>"$work/watch.err" &
	watch_pid=$!
	for _ in $(seq 200); do
		grep -q '"state":"watching"' "$work/watch.out" 2>/dev/null && return
		sleep 0.1
	done
	echo "watch did not start" >&2; cat "$work/watch.err" >&2; exit 1
}

stop_watch() {
	local t0=$(date +%s.%N)
	kill -TERM "$watch_pid"
	wait "$watch_pid" && status=0 || status=$?
	echo "stopped: exit $status after $(echo "$(date +%s.%N) - $t0" | bc) s"
	watch_pid=
}

# wait_lines N PATTERN FILE: waits, up to two minutes, until FILE has N lines
# matching PATTERN. It looks twice a second, so that the waiting costs the
# machine next to nothing while the watcher is measured (the figures come
# from the files' times, not from when the wait ends).
wait_lines() {
	for _ in $(seq 240); do
		[ "$(grep -c -- "$2" "$3" || true)" -ge "$1" ] && return
		sleep 0.5
	done
}

# burst DIR HOLD: the photos copied into a fresh watched folder; with HOLD
# set, once 20 files are done the record is held for 3 s, and the
# times of the hold are put in $work/held.
burst() {
	mkdir -p "$1"
	start_watch "$1" "$work/state-$(basename "$1")"
	cp "$work"/plain/*.jpg "$1/"
	if [ -n "$2" ]; then
		wait_lines 20 '"status":"done"' "$work/watch.out"
		"$work/benchtool" hold "$work/state-$(basename "$1")/fluxdesk/record.db" 3 >"$work/held"
	fi
	wait_lines "$count" '"status"' "$work/watch.out"
	stop_watch >/dev/null
}

# watch_rate DIR: files per second of a burst, from the first byte copied to
# the last output
watch_rate() {
	python3 - "$1" <<'PY'
import os, sys
d = sys.argv[1]
src = [os.stat(os.path.join(d, f)).st_mtime for f in os.listdir(d) if f.endswith(".jpg")]
out = [os.stat(os.path.join(d, f)).st_mtime for f in os.listdir(d) if f.endswith(".webp")]
print(f"{len(out) / (max(out) - min(src)):.2f}")
PY
}

# --- 1 and 2: a burst of photos ---
mkdir -p "$work/watched" "$work/plain"
for i in $(seq 0 $((count - 1))); do
	cp "${photos[$((i % ${#photos[@]}))]}" "$work/plain/photo-$i.jpg"
done
start_watch "$work/watched" "$work/state-watch"
burst_start=$(date +%s.%N)
cp "$work"/plain/*.jpg "$work/watched/"
wait_lines "$count" '"status"' "$work/watch.out"
# one photo on an idle watcher: the floor (settling plus one compression)
cp "${photos[0]}" "$work/single.jpg"
mv "$work/single.jpg" "$work/watched/single.jpg"
for _ in $(seq 300); do
	[ -e "$work/watched/single.webp" ] && break
	sleep 0.1
done
stop_watch
python3 -c "import os,sys; d=sys.argv[1]; print(f'latency of one photo on an idle watcher: {os.stat(d+\"/single.webp\").st_mtime - os.stat(d+\"/single.jpg\").st_mtime:.2f} s')" "$work/watched"
done_count=$(grep -c '"status":"done"' "$work/watch.out" || true)
echo "watch: $done_count photos done (the burst of $count, and one on the idle watcher)"
python3 - "$work/watched" "$count" <<'PY'
import os, sys, statistics
d, n = sys.argv[1], int(sys.argv[2])
lat, first, last = [], None, 0
for i in range(n):
    src = os.path.join(d, f"photo-{i}.jpg")
    out = os.path.join(d, f"photo-{i}.webp")
    if not os.path.exists(out):
        continue
    s, o = os.stat(src).st_mtime, os.stat(out).st_mtime
    lat.append(o - s)
    first = s if first is None else min(first, s)
    last = max(last, o)
print(f"latency last byte -> output: median {statistics.median(lat):.2f} s, worst {max(lat):.2f} s over {len(lat)} photos")
print(f"watch throughput: {len(lat)/(last-first):.2f} files/s (first byte of the burst to the last output)")
PY
t0=$(date +%s.%N)
XDG_STATE_HOME="$work/state-compress" "$bin" compress --json --keep-mtime=false "$work/plain" >"$work/compress.out"
t1=$(date +%s.%N)
echo "compress throughput: $(echo "scale=2; $(grep -c '"status":"done"' "$work/compress.out") / ($t1 - $t0)" | bc) files/s"

# --- 2 again: watch against compress, in turn (RATIO_ROUNDS) ---
for round in $(seq "$ratio_rounds"); do
	load=$(cut -d' ' -f1-3 /proc/loadavg)
	burst "$work/ratio-$round" ""
	w=$(watch_rate "$work/ratio-$round")
	cp -r "$work/plain" "$work/compress-$round"
	t0=$(date +%s.%N)
	XDG_STATE_HOME="$work/state-compress-$round" "$bin" compress --json --keep-mtime=false "$work/compress-$round" >"$work/compress.out"
	t1=$(date +%s.%N)
	c=$(echo "scale=2; $(grep -c '"status":"done"' "$work/compress.out") / ($t1 - $t0)" | bc)
	echo "round $round (load $load): watch $w files/s, compress $c files/s, watch ÷ compress $(echo "scale=3; $w / $c" | bc)"
done

# --- 3: the record held by another process ---
for round in $(seq "$hold_rounds"); do
	echo "machine load: $(cut -d' ' -f1-3 /proc/loadavg)"
	if [ $((round % 2)) = 1 ]; then
		burst "$work/free-$round" ""
		burst "$work/held-$round" hold
	else
		burst "$work/held-$round" hold
		burst "$work/free-$round" ""
	fi
	cp "$work/held" "$work/held-$round.times"
done
python3 - "$work" "$hold_rounds" <<'PY'
import os, sys
work, rounds = sys.argv[1], int(sys.argv[2])
def done_times(d):
    return sorted(os.stat(os.path.join(d, f)).st_mtime for f in os.listdir(d) if f.endswith(".webp"))
for r in range(1, rounds + 1):
    held = open(f"{work}/held-{r}.times").read().split()
    h0, h1 = float(held[3]), float(held[6])
    t_held, t_free = done_times(f"{work}/held-{r}"), done_times(f"{work}/free-{r}")
    during = sum(h0 <= t < h1 for t in t_held) / (h1 - h0)
    # the same span of the free burst: from its 20th output on
    f0 = t_free[19]
    free = sum(f0 <= t < f0 + (h1 - h0) for t in t_free) / (h1 - h0)
    whole_held = len(t_held) / (t_held[-1] - t_held[0])
    whole_free = len(t_free) / (t_free[-1] - t_free[0])
    print(f"round {r}: record held {h1 - h0:.2f} s: {during:.2f} files/s during the hold, "
          f"{free:.2f} files/s in the same span without it ({during / free:.2f}x); "
          f"whole burst {whole_held:.2f} against {whole_free:.2f} files/s ({whole_held / whole_free:.2f}x)")
PY

# --- 4: memory while watching a large tree ---
[ "$tree_files" -gt 0 ] || exit 0
tree="$work/tree"
dirs=$((tree_files / per_dir))
python3 - "$tree" "$dirs" "$per_dir" <<'PY'
import os, sys
root, dirs, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for d in range(dirs):
    p = os.path.join(root, f"d{d // 100}", f"e{d}")
    os.makedirs(p, exist_ok=True)
    for f in range(per):
        with open(os.path.join(p, f"f{f}.jpg"), "wb") as fh:
            fh.write(b"not really a jpeg, small file %d" % f)
PY
watches=$(find "$tree" -type d | wc -l)
echo "tree: $tree_files files in $watches folders (inotify watches needed: $watches; max_user_watches here: $(cat /proc/sys/fs/inotify/max_user_watches))"
start_watch "$tree" "$work/state-tree"
hwm_after_scan=$(grep VmHWM /proc/$watch_pid/status | awk '{print $2}')
# a change in every folder while watching
python3 - "$tree" <<'PY'
import os, sys
for dp, dn, fn in os.walk(sys.argv[1]):
    if fn:
        with open(os.path.join(dp, "new.jpg"), "wb") as fh:
            fh.write(b"x" * 100)
PY
sleep 3
hwm=$(grep VmHWM /proc/$watch_pid/status | awk '{print $2}')
rss=$(grep VmRSS /proc/$watch_pid/status | awk '{print $2}')
threads=$(grep Threads /proc/$watch_pid/status | awk '{print $2}')
echo "memory watching $tree_files files: peak RSS $((hwm / 1024)) MB (after the catch-up scan: $((hwm_after_scan / 1024)) MB), RSS now $((rss / 1024)) MB, $threads threads"
stop_watch
