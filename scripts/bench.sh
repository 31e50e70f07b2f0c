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
	rm -rf "$work/engine" && mkdir -p "$work/engine"
	timed engine "$work/benchrun" -workers "$cores" -rounds "$repeat" -out "$work/engine" "${photos[@]}"
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

# Sizes and quality of the engine's outputs of the last round (the command
# line's carry Fluxdesk's mark chunk besides), against cwebp's of the first
# copy of each photo.
mkdir -p "$work/png"
ours=() theirs=() same=0
for ((k = 0; k < n; k++)); do
	ours+=("$work/engine/$(basename "${photos[k]}" .jpg).webp")
	theirs+=("$work/cwebp/$k-$(basename "${photos[k]}" .jpg).webp")
	if cmp -s "${ours[k]}" "${theirs[k]}"; then same=$((same + 1)); fi
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
printf 'bytes        ours %d   cwebp %d   ratio %s   (%d of %d byte-identical)\n' "$ours_bytes" "$cw_bytes" "$(ratio "$ours_bytes" "$cw_bytes")" "$same" "$n"
printf 'mean PSNR    ours %s dB   cwebp %s dB\n' "$(mean "${ours_psnr[@]}")" "$(mean "${cw_psnr[@]}")"
printf 'scaling      1 worker %s photos/s, %d workers %s photos/s: %s×, median of the rounds %s× (target ≥ %s×)\n' \
	"$one" "$cores" "$cli" "$(ratio "$cli" "$one")" "$(median_ratio cli 1worker)" "$(awk -v c="$cores" 'BEGIN { printf "%.1f", 0.9 * c }')"
printf 'peak RSS     20 photos %d MB, 200 photos %d MB\n' "$rss20" "$rss200"

echo
scripts/bench-auto.sh

# === PNG input ===============================================================
# The same contenders, and sharp (libvips + libwebp, installed from npm into
# the scratch folder when node is there), on PNGs: the photos saved as PNG,
# and as many screenshots and UI images made from the screenshots of
# Debian's gnome-user-docs (desktops over a photo, pixel-doubled "retina"
# windows on a flat background, and windows with soft shadows on a
# transparent canvas). Then the bytes of the outputs against cwebp's, and
# the CPU time of decoding each PNG with libpng against image/png.

figures=/usr/share/help/C/gnome-help/figures
shots=(screenshot-tool shell-appts shell-workspaces shell-appts-classic shell-exit-expanded
	shell-exit-classic-expanded nautilus-icons color-camera input-methods-switcher shell-appmenu-shell
	shell-exit color-display)
mkdir -p "$work/pngs"
echo "making $n photo PNGs and $n screenshot PNGs"
pngcmds=()
for ((k = 0; k < n; k++)); do
	# ImageMagick would add gAMA and cHRM chunks, which cwebp applies and
	# Fluxdesk (like image/png) does not: -strip leaves the pixels alone.
	# Its shadows would make 16-bit files, which cwebp truncates to 8 bits
	# and Fluxdesk rounds: -depth 8, as screenshots and UI exports are.
	pngcmds+=("convert '${photos[k]}' -strip '$work/pngs/photo-$(basename "${photos[k]}" .jpg).png'")
	a=$figures/${shots[k % ${#shots[@]}]}.png b=$figures/${shots[(k + 1) % ${#shots[@]}]}.png
	c=$figures/${shots[(k + 2) % ${#shots[@]}]}.png
	shadow="\\( +clone -background black -shadow 60x16+0+10 \\) +swap -background none -layers merge +repage"
	case $((k % 3)) in
	0) pngcmds+=("convert '${photos[k]}' -resize '1920x1080^' -gravity center -extent 1920x1080 -gravity northwest \
		\\( $figures/shell-top-bar.png -resize '1920x56!' \\) -geometry +0+0 -composite \
		'$a' -geometry +120+140 -composite '$b' -geometry +1040+90 -composite '$c' -geometry +300+700 -composite \
		-depth 8 -strip '$work/pngs/shot-$k-desktop.png'") ;;
	1) pngcmds+=("convert -size 2560x1600 xc:'#f6f5f4' \\( '$a' -sample 200% \\) -geometry +40+40 -composite \
		\\( '$b' -sample 150% \\) -geometry +1500+60 -composite '$c' -geometry +1600+1100 -composite \
		-depth 8 -strip '$work/pngs/shot-$k-retina.png'") ;;
	2) pngcmds+=("convert -size 1600x1000 xc:none \\( '$a' $shadow \\) -geometry +60+40 -composite \
		\\( '$b' $shadow \\) -geometry +900+120 -composite -depth 8 -strip '$work/pngs/shot-$k-alpha.png'") ;;
	esac
done
printf '%s\0' "${pngcmds[@]}" | xargs -0 -P "$cores" -n 1 sh -c
pngsets=(photo shot)

# Each set as R links to each of its PNGs, under $work/png-SET, and cwebp's
# argument list for it.
for set in "${pngsets[@]}"; do
	mkdir -p "$work/png-$set" "$work/cwebp-$set"
	for ((i = 0; i < repeat; i++)); do
		for f in "$work/pngs/$set"-*.png; do
			ln -s "$f" "$work/png-$set/$i-$(basename "$f")"
		done
	done
	for f in "$work/png-$set"/*.png; do
		echo "-o $work/cwebp-$set/$(basename "$f" .png).webp $f"
	done >"$work/cwebp-$set.args"
done
batch=$((n * repeat))

# sharp at the settings of cwebp -q 82 (its defaults: effort 4, alpha
# quality 100, no smart subsampling), $cores images at a time, with
# libvips' operation cache off so that no repeated file is decoded once only.
sharp=
if command -v node >/dev/null && command -v npm >/dev/null; then
	if npm install --prefix "$work/sharp" --no-save --no-audit --no-fund --silent sharp@0.35.5 >/dev/null 2>&1; then
		sharp=$work/sharp/run.js
		cat >"$sharp" <<'JS'
const sharp = require("sharp");
const path = require("path");
const [cores, out, ...files] = process.argv.slice(2);
sharp.cache(false);
let next = 0;
async function work() {
	while (next < files.length) {
		const f = files[next++];
		await sharp(f).webp({ quality: 82 }).toFile(path.join(out, path.basename(f, ".png") + ".webp"));
	}
}
Promise.all(Array.from({ length: Number(cores) }, work)).catch((e) => { console.error(e); process.exit(1); });
JS
	else
		echo "sharp: npm could not install sharp; its column is left out"
	fi
else
	echo "sharp: node and npm are not installed; its column is left out"
fi

# The decoders alone: libpng against image/png, CPU time per PNG.
go test -c -tags migrated_fynedo -o "$work/local.test" ./engine/local

echo "PNG throughput: $rounds rounds of $batch photo PNGs and $batch screenshot PNGs, $cores workers / xargs -P $cores / $cores at a time"
for ((r = 1; r <= rounds; r++)); do
	echo " round $r"
	for set in "${pngsets[@]}"; do
		rm -rf "$work/out-$set" "$work/sharp-$set" && mkdir -p "$work/sharp-$set"
		timed "cli-$set" "${fluxdesk[@]}" compress --workers "$cores" --keep-larger --out "$work/out-$set" "$work/png-$set"
		rm -rf "$work/engine-$set" && mkdir -p "$work/engine-$set"
		timed "engine-$set" "$work/benchrun" -workers "$cores" -rounds "$repeat" -out "$work/engine-$set" "$work/pngs/$set"-*.png
		timed "cwebp-$set" xargs -P "$cores" -n 3 cwebp -quiet -q 82 <"$work/cwebp-$set.args"
		if [ -n "$sharp" ]; then
			timed "sharp-$set" node "$sharp" "$cores" "$work/sharp-$set" "$work/png-$set"/*.png
		fi
	done
	FLUXDESK_BENCH_PNG=$work/pngs "$work/local.test" -test.run '^$' -test.bench DecodePNG -test.benchtime 3x |
		awk -v r="$r" '$1 ~ /^BenchmarkDecodePNG\// { split($1, p, "/"); sub(/-[0-9]+$/, "", p[3]); print r, p[2], p[3], $5 }' >>"$work/decode"
done

# rates SET: "NAME rate" for each contender on SET.
echo
echo "=== PNG input: Fluxdesk vs cwebp -q 82 vs sharp 0.35.5, $cores cores ($rounds×$batch images a set) ==="
for set in "${pngsets[@]}"; do
	c=$(rate "cli-$set") e=$(rate "engine-$set") w=$(rate "cwebp-$set")
	printf '%-6s  fluxdesk compress %6s img/s   engine %6s img/s   cwebp %6s img/s' "$set" "$c" "$e" "$w"
	if [ -n "$sharp" ]; then printf '   sharp %6s img/s' "$(rate "sharp-$set")"; fi
	echo
	printf '        to cwebp: command line %s×, engine %s× (median of the rounds %s×, %s×)\n' \
		"$(ratio "$c" "$w")" "$(ratio "$e" "$w")" "$(median_ratio "cli-$set" "cwebp-$set")" "$(median_ratio "engine-$set" "cwebp-$set")"
	if [ -n "$sharp" ]; then
		s=$(rate "sharp-$set")
		printf '        to sharp: command line %s×, engine %s× (median of the rounds %s×, %s×)\n' \
			"$(ratio "$c" "$s")" "$(ratio "$e" "$s")" "$(median_ratio "cli-$set" "sharp-$set")" "$(median_ratio "engine-$set" "sharp-$set")"
	fi
	printf '        CPU s/image: fluxdesk compress %s, engine %s, cwebp %s%s\n' "$(cpu "cli-$set")" "$(cpu "engine-$set")" \
		"$(cpu "cwebp-$set")" "$([ -z "$sharp" ] || echo ", sharp $(cpu "sharp-$set")")"
done

# Bytes: the engine's output for each PNG against cwebp's (the command
# line's outputs carry Fluxdesk's mark chunk besides).
same=0 differ=()
for f in "$work/pngs"/*.png; do
	b=$(basename "$f" .png) set=${b%%-*}
	ours=$work/engine-$set/$b.webp theirs=$work/cwebp-$set/0-$b.webp
	if cmp -s "$ours" "$theirs"; then
		same=$((same + 1))
	else
		differ+=("$b ($(stat -c %s "$ours") vs $(stat -c %s "$theirs") bytes)")
	fi
done
printf 'bytes   %d of %d outputs byte-identical to cwebp%s\n' "$same" $((2 * n)) "$([ ${#differ[@]} -eq 0 ] || echo "; different: ${differ[*]}")"
if [ -n "$sharp" ]; then
	sharp_same=0
	for f in "$work/pngs"/*.png; do
		b=$(basename "$f" .png) set=${b%%-*}
		if cmp -s "$work/sharp-$set/0-$b.webp" "$work/cwebp-$set/0-$b.webp"; then sharp_same=$((sharp_same + 1)); fi
	done
	printf '        (sharp: %d of %d byte-identical to cwebp)\n' "$sharp_same" $((2 * n))
fi

# Decoding: per PNG, the median over the rounds of image/png's CPU time
# divided by libpng's ($work/decode has "round name decoder cpu-ns" lines).
# median: the median of the numbers on stdin.
median() { sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "decode  image/png's CPU time ÷ libpng's, per PNG (median of the rounds; mean ms per decode, libpng / image/png)"
decode_ratios=()
for name in $(awk '{ print $2 }' "$work/decode" | sort -u); do
	r=$(awk -v k="$name" '$2 == k && $3 == "libpng" { l[$1] = $4 } $2 == k && $3 == "imagepng" { g[$1] = $4 }
		END { for (i in l) print g[i] / l[i] }' "$work/decode" | median)
	ms=$(awk -v k="$name" '$2 == k { t[$3] += $4; c[$3]++ } END { printf "%.1f / %.1f", t["libpng"] / c["libpng"] / 1e6, t["imagepng"] / c["imagepng"] / 1e6 }' "$work/decode")
	printf '        %-26s %s×   %s ms\n' "$name" "$r" "$ms"
	decode_ratios+=("$r")
done
printf '        median over the PNGs: %s×\n' "$(printf '%s\n' "${decode_ratios[@]}" | median)"
