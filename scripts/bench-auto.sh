#!/usr/bin/env bash
# Auto quality against fixed quality 82, in the same run: bytes, SSIMULACRA 2
# scores (mean and worst image), time, peak memory, and what auto does with
# screenshots and flat graphics. Run by scripts/bench.sh (make bench), or
# alone.
#
# Settings, from the environment:
#   BENCH_ROUNDS   interleaved rounds of the timing (default 3)
#   BENCH_REPEAT   times each round compresses the 12 photos (default 3)
#   CGO_CFLAGS     C flags for libwebp and the libjpeg binding (default -O3 -msse4.1)
#
# Photos: the 12 of mate-backgrounds. Graphics: the PNG figures of Debian's
# gnome-user-docs (screenshots of GNOME, menus, panels, diagrams) and three
# screenshots of Fluxdesk's own window taken under Xvfb. Scores are computed
# against the decoded source (ImageMagick's decoding, which for JPEG is
# libjpeg-turbo's, as the engine's) with the same SSIMULACRA 2 code the
# engine uses, on the whole image, not on the search's crops.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${BENCH_ROUNDS:-3}
repeat=${BENCH_REPEAT:-3}
export CGO_CFLAGS=${CGO_CFLAGS:--O3 -msse4.1}
cores=$(nproc)
src=/usr/share/backgrounds/mate/nature
figures=/usr/share/help/C/gnome-help/figures

scripts/setup.sh build bench

work=$(mktemp -d "${TMPDIR:-/tmp}/fluxdesk-bench-auto.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "auto quality: building (CGO_CFLAGS=\"$CGO_CFLAGS\")"
go build -tags migrated_fynedo -trimpath -o "$work/fluxdesk" .
go build -trimpath -o "$work/benchrun" ./scripts/benchrun
go build -trimpath -o "$work/benchscore" ./scripts/benchscore

photos=("$src"/*.jpg)
n=${#photos[@]}
fluxdesk=(env HOME="$work/home" XDG_STATE_HOME="$work/home/state" XDG_DATA_HOME="$work/home/data"
	XDG_CONFIG_HOME="$work/home/config" XDG_CACHE_HOME="$work/home/cache" LANG=en_US.UTF-8 "$work/fluxdesk")

# The sources as the engine sees them, for scoring.
mkdir -p "$work/src"
for f in "${photos[@]}"; do
	convert "$f" "$work/src/$(basename "$f" .jpg).png"
done

# score DIR SOURCES...: "score name" for each source's output in DIR.
score() {
	local dir=$1 args=()
	shift
	for f in "$@"; do
		args+=("$f" "$dir/$(basename "${f%.*}").webp")
	done
	"$work/benchscore" "${args[@]}"
}
stats() { awk '{ s += $1; if (NR == 1 || $1 < m) m = $1 } END { printf "%.2f %.2f", s / NR, m }' "$1"; }
bytes() { stat -c %s "$1"/*.webp | awk '{ s += $1 } END { print s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

echo "auto quality: timing, $rounds rounds of $((n * repeat)) photos, fixed q82 and auto interleaved"
: >"$work/times"
for ((r = 1; r <= rounds; r++)); do
	for mode in 82 auto; do
		/usr/bin/time -f "%e %U %S" -o "$work/t" "$work/benchrun" -workers "$cores" -rounds "$repeat" -quality "$mode" "${photos[@]}" >/dev/null
		read -r wall user sys <"$work/t"
		echo "$mode $wall $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" >>"$work/times"
		printf '  round %d  %-4s %6.2f s wall  %6.2f s CPU\n' "$r" "$mode" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')"
	done
done
total() { awk -v k="$1" -v c="$2" '$1 == k { t += $c } END { print t }' "$work/times"; }
# median of the rounds' auto/fixed wall-time ratios
median_ratio=$(awk '$1 == "82" { f[++i] = $2 } $1 == "auto" { a[++j] = $2 }
	END { for (k = 1; k <= i; k++) r[k] = a[k] / f[k]
		for (x = 1; x <= i; x++) for (y = x + 1; y <= i; y++) if (r[y] < r[x]) { t = r[x]; r[x] = r[y]; r[y] = t }
		printf "%.2f", i % 2 ? r[(i + 1) / 2] : (r[i / 2] + r[i / 2 + 1]) / 2 }' "$work/times")

echo "auto quality: bytes and scores of the photos"
mkdir -p "$work/auto"
"$work/benchrun" -workers "$cores" -quality auto -out "$work/auto" "${photos[@]}" >/dev/null
score "$work/auto" "$work/src"/*.png >"$work/auto.scores"
for q in 70 74 78 82 86 90; do
	mkdir -p "$work/q$q"
	"$work/benchrun" -workers "$cores" -quality "$q" -out "$work/q$q" "${photos[@]}" >/dev/null
	score "$work/q$q" "$work/src"/*.png >"$work/q$q.scores"
	echo "$q $(bytes "$work/q$q") $(stats "$work/q$q.scores")" >>"$work/curve"
	while read -r sc path; do
		echo "$q $sc $(stat -c %s "$path") $(basename "$path")"
	done <"$work/q$q.scores" >>"$work/perphoto"
done
read -r auto_mean auto_min <<<"$(stats "$work/auto.scores")"
read -r f_mean f_min <<<"$(stats "$work/q82.scores")"
auto_bytes=$(bytes "$work/auto") f_bytes=$(bytes "$work/q82")
# fixed_bytes_at M: fixed quality's bytes at mean score M, interpolated
# between the two fixed qualities whose mean scores bracket it (empty when
# none do).
fixed_bytes_at() {
	awk -v m="$1" '{ q[NR] = $1; b[NR] = $2; s[NR] = $3 }
		END { for (i = 1; i < NR; i++) if (s[i] <= m && m <= s[i + 1]) {
				printf "%.0f", b[i] + (b[i + 1] - b[i]) * (m - s[i]) / (s[i + 1] - s[i]); exit }
			print "" }' "$work/curve"
}
equal_bytes=$(fixed_bytes_at "$auto_mean")
target=$(sed -n 's/^\tDefaultTarget = \([0-9.]*\)$/\1/p' engine/options.go)
# The oracle: each photo encoded at exactly the quality where its whole
# image scores the target, its bytes interpolated (in log) between the two
# fixed qualities whose scores bracket the target; a photo already over the
# target at the lowest quality measured keeps that quality and its score.
read -r oracle_bytes oracle_mean <<<"$(awk -v t="$target" '
	{ k = $4; if (!(k in n)) names[++m] = k; i = ++n[k]; q[k, i] = $1; s[k, i] = $2; b[k, i] = $3 }
	END { for (j = 1; j <= m; j++) { k = names[j]; sc = s[k, 1]; by = b[k, 1]
			if (sc < t) for (i = 1; i < n[k]; i++) if (s[k, i] < t && t <= s[k, i + 1]) {
				f = (t - s[k, i]) / (s[k, i + 1] - s[k, i])
				by = exp(log(b[k, i]) + f * (log(b[k, i + 1]) - log(b[k, i]))); sc = t; break }
			tb += by; ts += sc }
		printf "%.0f %.2f", tb, ts / m }' "$work/perphoto")"
oracle_equal=$(fixed_bytes_at "$oracle_mean")
paste "$work/q82.scores" "$work/auto.scores" | awk '{ n = split($2, p, "/"); printf "  %-18s q82 %6.2f   auto %6.2f\n", p[n], $1, $3 }'

echo "auto quality: screenshots and flat graphics"
mkdir -p "$work/shots"
cp "$figures"/*.png "$work/shots/"
# Fluxdesk's own window, three sizes, under a virtual display.
for geo in 860x620 1280x800 1600x1000; do
	xvfb-run -a -s "-screen 0 ${geo}x24" sh -c "
		\"\$0\" \"\$@\" & pid=\$!
		sleep 6
		import -window root \"$work/shots/fluxdesk-$geo.png\"
		kill \$pid; wait \$pid 2>/dev/null || true" "${fluxdesk[@]}" >/dev/null 2>&1 || true
done
shots=("$work/shots"/*.png)
mkdir -p "$work/shots-auto" "$work/shots-q82"
"$work/benchrun" -workers "$cores" -quality auto -out "$work/shots-auto" "${shots[@]}" >/dev/null
"$work/benchrun" -workers "$cores" -quality 82 -out "$work/shots-q82" "${shots[@]}" >/dev/null
# Sources for scoring: the PNGs as they are (the engine drops an opaque
# alpha channel, which does not change the pixels).
score "$work/shots-auto" "${shots[@]}" >"$work/shots-auto.scores"
score "$work/shots-q82" "${shots[@]}" >"$work/shots-q82.scores"
lossless=$(awk '$1 >= 99.999' "$work/shots-auto.scores" | wc -l)
read -r s_mean s_min <<<"$(stats "$work/shots-auto.scores")"
read -r s82_mean s82_min <<<"$(stats "$work/shots-q82.scores")"
paste "$work/shots-q82.scores" "$work/shots-auto.scores" | awk '{ n = split($2, p, "/"); printf "  %-34s q82 %7.2f   auto %7.2f\n", p[n], $1, $3 }'

echo "auto quality: peak RSS of the command line, 200 photos"
mkdir -p "$work/in200"
for ((i = 0; i < 200; i++)); do
	ln -s "${photos[i % n]}" "$work/in200/$i-$(basename "${photos[i % n]}")"
done
for mode in 82 auto; do
	rm -rf "$work/out200"
	/usr/bin/time -f "%M" -o "$work/rss-$mode" \
		"${fluxdesk[@]}" compress --workers "$cores" --keep-larger --quality "$mode" --out "$work/out200" "$work/in200" >/dev/null
done

echo
echo "=== Auto quality (SSIMULACRA 2 target $target) vs fixed q82, $cores cores, $n photos ==="
printf 'photo bytes      auto %d   q82 %d   ratio %s\n' "$auto_bytes" "$f_bytes" "$(ratio "$auto_bytes" "$f_bytes")"
if [ -n "$equal_bytes" ]; then
	printf '  at equal mean score: fixed quality needs %d bytes for mean %s; auto/fixed %s (%s)\n' \
		"$equal_bytes" "$auto_mean" "$(ratio "$auto_bytes" "$equal_bytes")" \
		"$(awk -v a="$auto_bytes" -v b="$equal_bytes" 'BEGIN { d = 100 * (a / b - 1); printf "%.1f %% %s", (d < 0 ? -d : d), (d < 0 ? "fewer" : "more") }')"
fi
printf 'photo scores     auto mean %s, worst %s   q82 mean %s, worst %s\n' "$auto_mean" "$auto_min" "$f_mean" "$f_min"
if [ -n "$oracle_equal" ]; then
	printf '  oracle (each photo at exactly the target, interpolated): %d bytes, mean %s; fixed quality at that mean %d; oracle/fixed %s\n' \
		"$oracle_bytes" "$oracle_mean" "$oracle_equal" "$(ratio "$oracle_bytes" "$oracle_equal")"
fi
printf 'fixed quality    q: bytes, mean score, worst score\n'
awk '{ printf "                 q%d: %d, %.2f, %.2f\n", $1, $2, $3, $4 }' "$work/curve"
printf 'time             auto/q82: wall %s, CPU %s, median of the rounds %s\n' \
	"$(ratio "$(total auto 2)" "$(total 82 2)")" "$(ratio "$(total auto 3)" "$(total 82 3)")" "$median_ratio"
printf 'graphics         %d images: auto %d bytes, q82 %d bytes, ratio %s; lossless chosen for %d (%s %%)\n' \
	"${#shots[@]}" "$(bytes "$work/shots-auto")" "$(bytes "$work/shots-q82")" \
	"$(ratio "$(bytes "$work/shots-auto")" "$(bytes "$work/shots-q82")")" "$lossless" \
	"$(awk -v l="$lossless" -v n="${#shots[@]}" 'BEGIN { printf "%.0f", 100 * l / n }')"
printf '                 scores: auto mean %s, worst %s   q82 mean %s, worst %s\n' "$s_mean" "$s_min" "$s82_mean" "$s82_min"
printf 'peak RSS         200 photos: auto %d MB, q82 %d MB\n' "$(($(cat "$work/rss-auto") / 1024))" "$(($(cat "$work/rss-82") / 1024))"
