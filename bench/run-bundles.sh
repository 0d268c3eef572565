#!/bin/sh
# make bench (part 2): archives and profiles.
#  1. A tar.zst of syslogs (BUNDLE_MB, default 1024 MiB of logs in 8 members,
#     made by gen-fleet.pl): ksift reading the archive member by member, vs
#     `zstd -dc | tar -xO | ksift scan -` (what a user does without archive
#     support) and vs `zstd -dc` alone.
#  2. Folding a `perf script` capture of PERF_SAMPLES samples (default
#     1,000,000: the seed capture repeated) with peak RSS: ksift vs an awk
#     fold of the same text (the usual one-liner); memory must follow the
#     distinct stacks, not the samples.
# Generated data stays in bench/out (not in git). One /usr/bin/time run each.
set -eu
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
ksift=${KSIFT:-$(pwd)/analyzer/ksift}
out=${BENCH_DIR:-bench/out}
mb=${BUNDLE_MB:-1024}
samples=${PERF_SAMPLES:-1000000}
mkdir -p "$out"

run() {		# label, command... : wall seconds and peak RSS
	label=$1; shift
	/usr/bin/time -f '%e %M' -o "$out/t" "$@" > "$out/stdout" 2>"$out/stderr" || true
	set -- $(tail -n 1 "$out/t")
	printf '%-52s %8.2f s %7d MiB\n' "$label" "$1" "$(($2 / 1024))"
}

tarz="$out/fleet-$mb.tar.zst"
if [ ! -f "$tarz" ] || [ ! -f "$tarz.count" ]; then
	echo "generating $tarz (${mb} MiB of syslog in 8 members)..."
	rm -rf "$out/bundle"; n=0
	for i in 1 2 3 4 5 6 7 8; do
		mkdir -p "$out/bundle/node$i/var/log"
		c=$(perl "$top/bench/gen-fleet.pl" $((mb / 8)) "$out/bundle/node$i/var/log/messages" \
			"$top/corpus/kinds")
		n=$((n + c))
	done
	tar -C "$out/bundle" -cf - . | zstd -q -T0 -3 -o "$tarz"
	rm -rf "$out/bundle"
	echo "$n" > "$tarz.count"
fi
zsize=$(stat -c %s "$tarz")
echo "input: $tarz, $((zsize / 1048576)) MiB compressed, $(cat "$tarz.count") incidents inserted"
cat "$tarz" > /dev/null
run "zstd -dc (decompression alone)" zstd -dc "$tarz"
run "zstd -dc | tar -xO | ksift scan --json -" sh -c \
	'zstd -dc "$1" | tar -xOf - | "$2" scan --json -q -' sh "$tarz" "$ksift"
echo "  found $(grep -c '"kind"' "$out/stdout" || true)"
run "ksift scan --json FILE.tar.zst (members)" "$ksift" scan --json -q "$tarz"
echo "  found $(grep -c '"kind"' "$out/stdout" || true), $(grep -c '"path":"[^"]*tar.zst:' "$out/stdout" || true) with member paths"

perf="$out/perf-$samples.txt"
if [ ! -f "$perf" ]; then
	echo "generating $perf ($samples samples)..."
	gzip -dc "$top/corpus/profiles/kvm-mmu_lock-contention.perf.gz" > "$out/seed.perf"
	per=$(grep -c '^[^	]' "$out/seed.perf")
	i=0; : > "$perf"
	while [ $((i * per)) -lt "$samples" ]; do cat "$out/seed.perf" >> "$perf"; i=$((i + 1)); done
	rm -f "$out/seed.perf"
fi
echo "input: $perf, $(($(stat -c %s "$perf") / 1048576)) MiB, $(grep -c '^[^	]' "$perf") samples"
cat "$perf" > /dev/null
run "awk fold (stackcollapse one-liner)" awk '
	/^[^\t]/ { n = 0; next } /^\t/ { fr[n++] = $2; next }
	/^$/ { if (n) { s = fr[n - 1]; for (i = n - 2; i >= 0; i--) s = s ";" fr[i]; c[s]++ } n = 0 }
	END { for (s in c) print s, c[s] }' "$perf"
run "ksift scan --json (fold + findings)" "$ksift" scan --json -q "$perf"
grep -o '"title":"[^"]*","host":[^,]*,"source"' "$out/stdout" | sed 's/,"host.*//; s/^/  /'
run "ksift show --flame" "$ksift" show --flame "$perf"
