#!/usr/bin/env bash
# Compares Fluxdesk's local engine with Debian's cwebp on the 12 photographs
# of the mate-backgrounds package, in the same run, interleaved.
#
#   scripts/bench.sh            (make bench)
#
# Settings, from the environment:
#   BENCH_ROUNDS   interleaved rounds (default 3)
#   BENCH_REPEAT   times each round compresses the 12 photos (default 3)
#   CGO_CFLAGS     C flags for libwebp and the libjpeg binding (default -O3 -msse4.1)
#
# Each round runs, one after the other on the same files: `fluxdesk compress`
# with one worker per core (the whole command line: pipeline, verification,
# safe writes), the engine alone (scripts/benchrun), `cwebp -q 82` through
# `xargs -P $(nproc)`, and `fluxdesk compress` with one worker, for scaling.
# Then: bytes and mean PSNR of both against the source JPEGs (dwebp, then
# ImageMagick compare), and peak RSS of a 20-photo and a 200-photo batch.
# Other work on the machine slows every contender alike only when they are
# interleaved: compare the ratios, and the CPU time per photo.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${BENCH_ROUNDS:-3}
repeat=${BENCH_REPEAT:-3}
export CGO_CFLAGS=${CGO_CFLAGS:--O3 -msse4.1}
cores=$(nproc)
src=/usr/share/backgrounds/mate/nature

scripts/setup.sh build bench

work=$(mktemp -d "${TMPDIR:-/tmp}/fluxdesk-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "building (CGO_CFLAGS=\"$CGO_CFLAGS\")"
go build -tags migrated_fynedo -trimpath -o "$work/fluxdesk" .
go build -trimpath -o "$work/benchrun" ./scripts/benchrun

photos=("$src"/*.jpg)
n=${#photos[@]}
if ((n == 0)); then
	echo "bench: no photos in $src" >&2
	exit 1
fi

# The command line keeps a record of processed files under the user's home;
# give it a throw-away one so that nothing is skipped and nothing is left.
fluxdesk=(env HOME="$work/home" XDG_STATE_HOME="$work/home/state" XDG_DATA_HOME="$work/home/data"
	XDG_CONFIG_HOME="$work/home/config" XDG_CACHE_HOME="$work/home/cache" "$work/fluxdesk")

# links DIR COUNT: COUNT symbolic links to the photos, in turn, under DIR.
links() {
	mkdir -p "$1"
	for ((i = 0; i < $2; i++)); do
		ln -s "${photos[i % n]}" "$1/$i-$(basename "${photos[i % n]}")"
	done
}
links "$work/in" $((n * repeat))
links "$work/in20" 20
links "$work/in200" 200
batch=$((n * repeat))

# cwebp's argument list: "-o OUT IN" per file, for xargs -n 3.
mkdir -p "$work/cwebp"
for f in "$work/in"/*.jpg; do
	b=$(basename "$f" .jpg)
	echo "-o $work/cwebp/$b.webp $f"
done >"$work/cwebp.args"

# timed NAME CMD...: runs CMD, appending "NAME wall user+sys" to $work/times.
timed() {
	local name=$1
	shift
	/usr/bin/time -f "%e %U %S" -o "$work/t" "$@" >/dev/null
	read -r wall user sys <"$work/t"
	echo "$name $wall $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" >>"$work/times"
	printf '  %-8s %6.2f s  %6.1f photos/s\n' "$name" "$wall" "$(awk -v w="$wall" -v b="$batch" 'BEGIN { print b / w }')"
}

echo "throughput: $rounds rounds of $batch photos ($n photos × $repeat), $cores workers / xargs -P $cores"
for ((r = 1; r <= rounds; r++)); do
	echo " round $r"
	rm -rf "$work/out"
	timed cli "${fluxdesk[@]}" compress --workers "$cores" --keep-larger --out "$work/out" "$work/in"
	timed engine "$work/benchrun" -workers "$cores" -rounds "$repeat" "${photos[@]}"
	timed cwebp xargs -P "$cores" -n 3 cwebp -quiet -q 82 <"$work/cwebp.args"
	rm -rf "$work/out1"
	timed 1worker "${fluxdesk[@]}" compress --workers 1 --keep-larger --out "$work/out1" "$work/in"
done

# rate NAME: photos per second of NAME over all rounds (total photos / total time).
rate() { awk -v k="$1" -v b="$batch" '$1 == k { t += $2; c++ } END { printf "%.2f", b * c / t }' "$work/times"; }
# cpu NAME: CPU seconds per photo of NAME over all rounds.
cpu() { awk -v k="$1" -v b="$batch" '$1 == k { t += $3; c++ } END { printf "%.4f", t / (b * c) }' "$work/times"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# median_ratio A B: median over the rounds of B's time divided by A's in the
# same round, which other load on the machine disturbs least.
median_ratio() {
	awk -v a="$1" -v b="$2" '$1 == a { ta[++na] = $2 } $1 == b { tb[++nb] = $2 }
		END {
			for (i = 1; i <= na; i++) r[i] = tb[i] / ta[i]
			for (i = 1; i <= na; i++) for (j = i + 1; j <= na; j++) if (r[j] < r[i]) { t = r[i]; r[i] = r[j]; r[j] = t }
			printf "%.2f", na % 2 ? r[(na + 1) / 2] : (r[na / 2] + r[na / 2 + 1]) / 2
		}' "$work/times"
}

cli=$(rate cli) engine=$(rate engine) cw=$(rate cwebp) one=$(rate 1worker)

# Sizes and quality of the last round's outputs of the first copy of each photo.
mkdir -p "$work/png"
ours=() theirs=()
for ((k = 0; k < n; k++)); do
	b=$k-$(basename "${photos[k]}" .jpg)
	ours+=("$(find "$work/out" -name "$b.webp")")
	theirs+=("$work/cwebp/$b.webp")
done
ours_bytes=$(stat -c %s "${ours[@]}" | awk '{ s += $1 } END { print s }')
cw_bytes=$(stat -c %s "${theirs[@]}" | awk '{ s += $1 } END { print s }')

echo "quality: PSNR against the source JPEGs"
# psnr WEBP SOURCE: PSNR in dB of a WebP against its source.
psnr() {
	dwebp -quiet "$1" -o "$work/png/x.png"
	compare -metric PSNR "$2" "$work/png/x.png" null: 2>&1 >/dev/null || true
}
ours_psnr=() cw_psnr=()
for ((k = 0; k < n; k++)); do
	ours_psnr+=("$(psnr "${ours[k]}" "${photos[k]}")")
	cw_psnr+=("$(psnr "${theirs[k]}" "${photos[k]}")")
	printf '  %-18s ours %7s dB   cwebp %7s dB\n' "$(basename "${photos[k]}" .jpg)" "${ours_psnr[k]}" "${cw_psnr[k]}"
done
mean() { printf '%s\n' "$@" | awk '{ s += $1 } END { printf "%.3f", s / NR }'; }

echo "memory: peak RSS of the command line"
for size in 20 200; do
	rm -rf "$work/out"
	/usr/bin/time -f "%M" -o "$work/rss$size" \
		"${fluxdesk[@]}" compress --workers "$cores" --keep-larger --out "$work/out" "$work/in$size" >/dev/null
done
rss20=$(($(cat "$work/rss20") / 1024)) rss200=$(($(cat "$work/rss200") / 1024))

echo
echo "=== Fluxdesk vs cwebp -q 82, $cores cores ($(uname -m), $rounds×$batch photos each) ==="
printf 'throughput   fluxdesk compress %6s photos/s   engine alone %6s photos/s   cwebp %6s photos/s\n' "$cli" "$engine" "$cw"
printf '             ratio to cwebp: command line %s×, engine %s× (median of the rounds: %s×, %s×)\n' \
	"$(ratio "$cli" "$cw")" "$(ratio "$engine" "$cw")" "$(median_ratio cli cwebp)" "$(median_ratio engine cwebp)"
printf 'CPU time     fluxdesk compress %s s/photo   engine %s s/photo   cwebp %s s/photo   (cwebp/ours %s×, %s×)\n' \
	"$(cpu cli)" "$(cpu engine)" "$(cpu cwebp)" "$(ratio "$(cpu cwebp)" "$(cpu cli)")" "$(ratio "$(cpu cwebp)" "$(cpu engine)")"
printf 'bytes        ours %d   cwebp %d   ratio %s\n' "$ours_bytes" "$cw_bytes" "$(ratio "$ours_bytes" "$cw_bytes")"
printf 'mean PSNR    ours %s dB   cwebp %s dB\n' "$(mean "${ours_psnr[@]}")" "$(mean "${cw_psnr[@]}")"
printf 'scaling      1 worker %s photos/s, %d workers %s photos/s: %s×, median of the rounds %s× (target ≥ %s×)\n' \
	"$one" "$cores" "$cli" "$(ratio "$cli" "$one")" "$(median_ratio cli 1worker)" "$(awk -v c="$cores" 'BEGIN { printf "%.1f", 0.9 * c }')"
printf 'peak RSS     20 photos %d MB, 200 photos %d MB\n' "$rss20" "$rss200"

echo
scripts/bench-auto.sh
