#!/bin/sh
# make bench: ksift scan --json against ripgrep counting the incident-start
# markers over the same generated multi-host syslog, in the same run, plus
# the decompressors for the compressed variants. BENCH_MB sets the size.
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
cat "$log" > /dev/null	# warm the page cache for both tools

measure() {	# label, command...
	label=$1; shift
	/usr/bin/time -f "%e %M" -o "$out/time" "$@" > "$out/stdout" 2>/dev/null || true
	set -- $(tail -n 1 "$out/time")
	printf '%-34s %8.2f s %8.1f MiB\n' "$label" "$1" "$(echo "$2 / 1024" | bc -l)"
	echo "$1" > "$out/last"
}
size=$(stat -c %s "$log")
echo "input: $log, $((size / 1048576)) MiB, $inserted incidents inserted"
measure "rg -c (incident markers)" rg -c -e "$markers" "$log"
rg_t=$(cat "$out/last")
measure "ksift scan --json (1 thread)" "$ksift" scan --json -q "$log"
k_t=$(cat "$out/last")
found=$(grep -c '"kind"' "$out/stdout" || true)
echo "ksift found $found incidents (inserted $inserted)"
echo "ratio ksift/rg: $(echo "$k_t / $rg_t" | bc -l | cut -c1-5)   throughput: $(echo "$size / 1048576 / $k_t" | bc -l | cut -c1-6) MiB/s"
for z in gzip zstd xz; do
	ext=$z; [ $z = gzip ] && ext=gz; [ $z = zstd ] && ext=zst
	[ -f "$log.$ext" ] || $z -c "$log" > "$log.$ext"
	measure "$z -dc > /dev/null" $z -dc "$log.$ext"
	measure "ksift scan --json $log.$ext" "$ksift" scan --json -q "$log.$ext"
	echo "  found $(grep -c '"kind"' "$out/stdout" || true)"
done
[ "$found" -eq "$inserted" ]
