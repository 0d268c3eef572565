#!/bin/sh
# make bench: ksift scan --json against ripgrep counting the incident-start
# markers over the same generated multi-host syslog, in the same run, plus
# the decompressors for the compressed variants, -j2 on two files and on one
# file split in chunks. BENCH_MB sets the size (default 500).
# Times: hyperfine's mean of 5 runs when installed, else one /usr/bin/time run.
set -eu
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
ksift=${KSIFT:-$(pwd)/analyzer/ksift}
mb=${BENCH_MB:-500}
out=${BENCH_DIR:-bench/out}
mkdir -p "$out"
log="$out/fleet-$mb.log"
if [ ! -f "$log" ] || [ ! -f "$log.count" ]; then
	echo "generating $log (${mb} MB)..."
	perl "$top/bench/gen-fleet.pl" "$mb" "$log" "$top/corpus/kinds" > "$log.count"
fi
inserted=$(cat "$log.count")
markers='BUG: |INFO: task |INFO: rcu|rcu: INFO|WARNING: |general protection fault|kernel BUG at|Kernel panic - not syncing|watchdog: |Watchdog detected|TCP: out of memory|TCP: too many orphaned|invoked oom-killer|segfault at|Oops: |Unable to handle kernel|Internal error'
cat "$log" > /dev/null	# warm the page cache for every tool

secs() {	# command... -> mean seconds
	if command -v hyperfine >/dev/null; then
		# One string for hyperfine, every argument quoted (patterns hold blanks).
		cmd=""
		for a in "$@"; do
			cmd="$cmd '$(printf '%s' "$a" | sed "s/'/'\\\\''/g")'"
		done
		hyperfine -N -i -w 1 -r 5 --export-json "$out/h.json" "$cmd" >/dev/null 2>&1
		sed -n 's/.*"mean": *\([0-9.e-]*\).*/\1/p' "$out/h.json" | head -1
	else
		/usr/bin/time -f %e -o "$out/t" "$@" >/dev/null 2>&1 || true
		tail -n 1 "$out/t"
	fi
}
rss() {		# command... -> peak RSS MiB
	/usr/bin/time -f %M -o "$out/t" "$@" > "$out/stdout" 2>/dev/null || true
	echo "$(tail -n 1 "$out/t") / 1024" | bc
}
row() {		# label, seconds, MiB
	printf '%-44s %8.3f s %7s MiB\n' "$1" "$2" "$3"
}
size=$(stat -c %s "$log")
echo "input: $log, $((size / 1048576)) MiB, $inserted incidents inserted"
rg_t=$(secs rg -c -e "$markers" "$log")
row "rg -c (incident markers)" "$rg_t" "$(rss rg -c -e "$markers" "$log")"
rn_t=$(secs rg --no-mmap -c -e "$markers" "$log")
row "rg --no-mmap -c (incident markers)" "$rn_t" "$(rss rg --no-mmap -c -e "$markers" "$log")"
: > "$out/empty.log"
e_t=$(secs "$ksift" scan --json -q "$out/empty.log")
row "ksift scan --json, an empty file (start-up)" "$e_t" "$(rss "$ksift" scan --json -q "$out/empty.log")"
rm -f "$out/empty.log"
k_t=$(secs "$ksift" scan --json -q "$log")
row "ksift scan --json (1 thread)" "$k_t" "$(rss "$ksift" scan --json -q "$log")"
found=$(grep -c '"kind"' "$out/stdout" || true)
echo "  found $found of $inserted; ratio ksift/rg $(echo "scale=3; $k_t / $rg_t" | bc)," \
	"ksift/rg --no-mmap $(echo "scale=3; $k_t / $rn_t" | bc); $(echo "$size / 1048576 / $k_t" | bc) MiB/s"
fail=0
[ "$found" -eq "$inserted" ] || fail=1

# -j2: two files, and one file in chunks. What two threads can gain on
# this machine: ripgrep's own -j1 → -j2 on the same two files, and two
# plain reads of them one after the other vs at once.
cp "$log" "$out/second.log"
r1=$(secs rg --no-mmap -c -j1 -e "$markers" "$log" "$out/second.log")
r2=$(secs rg --no-mmap -c -j2 -e "$markers" "$log" "$out/second.log")
row "rg --no-mmap -c -j1, two files" "$r1" "-"
row "rg --no-mmap -c -j2, two files" "$r2" "-"
echo "  rg's speed-up $(echo "scale=2; $r1 / $r2" | bc)x"
c1=$(secs sh -c 'cat "$1" > /dev/null; cat "$2" > /dev/null' sh "$log" "$out/second.log")
cpar=$(secs sh -c 'cat "$1" > /dev/null & cat "$2" > /dev/null; wait' sh "$log" "$out/second.log")
row "cat, two files, one after the other" "$c1" "-"
row "cat, two files at once" "$cpar" "-"
echo "  the machine's read speed-up $(echo "scale=2; $c1 / $cpar" | bc)x"
j1=$(secs "$ksift" scan --json -q "$log" "$out/second.log")
j2=$(secs "$ksift" scan --json -q -j 2 "$log" "$out/second.log")
row "ksift, two files, 1 thread" "$j1" "-"
row "ksift -j2, two files" "$j2" "$(rss "$ksift" scan --json -q -j 2 "$log" "$out/second.log")"
echo "  speed-up $(echo "scale=2; $j1 / $j2" | bc)x (2 would be perfect), found" \
	"$(grep -c '"kind"' "$out/stdout" || true) of $((2 * inserted))"
rm -f "$out/second.log"
c2=$(secs "$ksift" scan --json -q -j 2 "$log")
row "ksift -j2, one file in 64 MiB chunks" "$c2" "$(rss "$ksift" scan --json -q -j 2 "$log")"
echo "  speed-up $(echo "scale=2; $k_t / $c2" | bc)x, found $(grep -c '"kind"' "$out/stdout" || true)"

for z in gzip zstd xz; do
	ext=$z; [ $z = gzip ] && ext=gz; [ $z = zstd ] && ext=zst
	[ -f "$log.$ext" ] || $z -c "$log" > "$log.$ext"
	d=$(secs $z -dc "$log.$ext")
	row "$z -dc > /dev/null" "$d" "$(rss $z -dc "$log.$ext")"
	k=$(secs "$ksift" scan --json -q "$log.$ext")
	row "ksift scan --json $(basename "$log.$ext")" "$k" "$(rss "$ksift" scan --json -q "$log.$ext")"
	n=$(grep -c '"kind"' "$out/stdout" || true)
	echo "  ratio ksift/$z $(echo "scale=3; $k / $d" | bc), found $n of $inserted"
	[ "$n" -eq "$inserted" ] || fail=1
done
exit $fail
