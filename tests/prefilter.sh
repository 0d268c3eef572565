#!/bin/sh
# The fast path must not change results: every corpus gives the same output
# with the prefilter (default) and with --no-prefilter, including a generated
# multi-host syslog where most lines are skipped.
set -u
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
ksift=${KSIFT:-$(pwd)/analyzer/ksift}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
perl "$top/bench/gen-fleet.pl" 8 "$tmp/fleet.log" "$top/corpus/kinds" > "$tmp/count"
fail=0; n=0
for f in "$top"/corpus/formats/* "$top"/corpus/kinds/* "$top"/corpus/sysrq/* \
	 "$top"/../shared/corpus/seed/* \
	 "$top"/../shared/corpus/syzkaller-dev/* "$tmp/fleet.log"; do
	case "$f" in */README.md) continue ;; esac
	[ -f "$f" ] || continue
	n=$((n + 1))
	"$ksift" scan --json -q "$f" > "$tmp/fast" 2>&1
	"$ksift" scan --json -q --no-prefilter "$f" > "$tmp/slow" 2>&1
	if ! cmp -s "$tmp/fast" "$tmp/slow"; then
		echo "FAIL $f: prefilter changes the output"
		diff "$tmp/slow" "$tmp/fast" | head -5
		fail=$((fail + 1))
	fi
done
# -j N: same records in the same order as one thread, whatever N is.
split -n l/4 "$tmp/fleet.log" "$tmp/part."
for j in 2 3; do
	"$ksift" scan --json -q "$top/corpus" "$tmp"/part.* > "$tmp/one" 2>&1
	"$ksift" scan --json -q -j "$j" "$top/corpus" "$tmp"/part.* > "$tmp/many" 2>&1
	n=$((n + 1))
	cmp -s "$tmp/one" "$tmp/many" || { echo "FAIL: -j $j changes the output"; fail=$((fail + 1)); }
done
# Chunks of one large plain file scanned in parallel give exactly the
# whole-file output: reports across chunk edges, floods, boots and their
# conditions, line numbers. Tiny chunks make every kind of edge happen.
for f in "$top"/corpus/formats/* "$top"/corpus/kinds/* "$top"/corpus/sysrq/* \
	 "$top"/../shared/corpus/seed/* \
	 "$top"/corpus/signatures/*/*; do cat "$f"; done > "$tmp/one.log"
cat "$tmp/one.log" "$tmp/one.log" "$tmp/one.log" > "$tmp/cat.log"
for input in "$tmp/cat.log" "$tmp/fleet.log"; do
	"$ksift" scan --json -q "$input" > "$tmp/whole" 2>&1
	for cs in 8 33 100; do
		for g in "" --no-group; do
			n=$((n + 1))
			"$ksift" scan --json -q $g -j 3 --chunk-size "$cs" "$input" > "$tmp/chunked" 2>&1
			[ -z "$g" ] || "$ksift" scan --json -q $g "$input" > "$tmp/whole.$cs" 2>&1
			cmp -s "$tmp/chunked" "$([ -z "$g" ] && echo "$tmp/whole" || echo "$tmp/whole.$cs")" ||
				{ echo "FAIL: $(basename "$input") in ${cs} KiB chunks $g differs"; fail=$((fail + 1)); }
		done
	done
done
# Input read in small pieces (KSIFT_READ_SIZE bytes per read()): lines and
# literals straddle the refills, the candidate search restarts mid-line. Same
# output, with and without the prefilter.
for input in "$tmp/cat.log" "$tmp/fleet.log"; do
	"$ksift" scan --json -q "$input" > "$tmp/whole" 2>&1
	for rs in 1 7 4093 65536; do
		n=$((n + 1))
		KSIFT_READ_SIZE=$rs "$ksift" scan --json -q "$input" > "$tmp/pieces" 2>&1
		cmp -s "$tmp/whole" "$tmp/pieces" ||
			{ echo "FAIL: $(basename "$input") read $rs bytes at a time differs"; fail=$((fail + 1)); }
		KSIFT_READ_SIZE=$rs "$ksift" scan --json -q --no-prefilter "$input" > "$tmp/pieces" 2>&1
		cmp -s "$tmp/whole" "$tmp/pieces" ||
			{ echo "FAIL: $(basename "$input") read $rs bytes at a time, --no-prefilter, differs"; fail=$((fail + 1)); }
	done
done
# Each search path (those this CPU lacks fall back to the next one down):
# the same output as the fastest.
for input in "$tmp/cat.log" "$tmp/fleet.log"; do
	"$ksift" scan --json -q "$input" > "$tmp/whole" 2>&1
	for path in scalar ssse3 avx2 avx512; do
		n=$((n + 1))
		KSIFT_PREFILTER=$path KSIFT_READ_SIZE=4093 "$ksift" scan --json -q "$input" > "$tmp/path" 2>&1
		cmp -s "$tmp/whole" "$tmp/path" ||
			{ echo "FAIL: $(basename "$input") with the $path search path differs"; fail=$((fail + 1)); }
	done
done
found=$(grep -c '"kind"' "$tmp/fast")
[ "$found" -eq "$(cat "$tmp/count")" ] || { echo "FAIL fleet: $found of $(cat "$tmp/count") incidents"; fail=$((fail + 1)); }
[ "$n" -gt 300 ] || { echo "FAIL: only $n files compared (shared/ corpus missing?)"; fail=$((fail + 1)); }
echo "prefilter: $((n - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
