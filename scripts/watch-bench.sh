#!/usr/bin/env bash
# Measures `fluxdesk watch`:
#  1. latency from the last byte of a copied photo to its output being in
#     place (median and worst over a burst of 200 photos), from the files'
#     own modification times;
#  2. files per second during that burst, against `fluxdesk compress` on the
#     same 200 files in the same run;
#  3. peak memory (VmHWM) while watching a tree of 100 000 small files.
# Needs the photos of Debian's mate-backgrounds package.
set -euo pipefail

photos=(/usr/share/backgrounds/mate/nature/*.jpg)
count=${COUNT:-200}
tree_files=${TREE_FILES:-100000}
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
[ -n "${FLUXDESK:-}" ] || go build -o "$bin" .

# start_watch DIR STATE: runs the watcher in the background, JSON on $work/watch.out.
start_watch() {
	XDG_STATE_HOME=$2 "$bin" watch --json "$1" >"$work/watch.out" 2>"$work/watch.err" &
	watch_pid=$!
	for _ in $(seq 200); do
		grep -q '^watching' "$work/watch.err" 2>/dev/null && return
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

# --- 1 and 2: a burst of photos ---
mkdir -p "$work/watched" "$work/plain"
for i in $(seq 0 $((count - 1))); do
	cp "${photos[$((i % ${#photos[@]}))]}" "$work/plain/photo-$i.jpg"
done
start_watch "$work/watched" "$work/state-watch"
burst_start=$(date +%s.%N)
cp "$work"/plain/*.jpg "$work/watched/"
for _ in $(seq 1200); do
	[ "$(grep -c '"status"' "$work/watch.out" || true)" -ge "$count" ] && break
	sleep 0.1
done
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
XDG_STATE_HOME="$work/state-compress" "$bin" compress --json "$work/plain" >"$work/compress.out"
t1=$(date +%s.%N)
echo "compress throughput: $(echo "scale=2; $(grep -c '"status":"done"' "$work/compress.out") / ($t1 - $t0)" | bc) files/s"

# --- 3: memory while watching a large tree ---
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
