#!/bin/sh
# Build the libFuzzer targets with clang (ASan+UBSan) and run each for
# FUZZ_SECONDS (default 60) over a seed corpus made from corpus/. A crash
# leaves its input in the build directory and fails the run; every crash found
# becomes a regression input in tests/fuzz/regressions/ (run first, always).
#
# `run.sh long` (make fuzz-long) is the deep run: each target for
# FUZZ_LONG_SECONDS (default 1800), seeded from every corpus there is —
# corpus/ and ../shared/corpus/** — going on to the next target after a crash,
# with one line per target (executions, seconds, crash input) in
# FUZZ_BUILD/fuzz-long.summary. FUZZ_TARGETS="scan lines" runs only those.
set -eu
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${FUZZ_BUILD:-$(pwd)/fuzz-build}
mode=${1:-short}
case $mode in
short) secs=${FUZZ_SECONDS:-60} ;;
long) secs=${FUZZ_LONG_SECONDS:-1800} ;;
*) echo "usage: run.sh [short|long]" >&2; exit 2 ;;
esac
mkdir -p "$build" "$build/seeds"
inc=""
for d in analyzer/lib analyzer/ingest analyzer/incident analyzer/scan analyzer/output symbols signatures; do
	inc="$inc -I$top/$d"
done
cflags="-g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -std=gnu11 -I$top $inc -I$(pwd) -DKSIFT_BUILDDIR=\"$(pwd)\" -DKSIFT_DATADIR=\"/nonexistent\" -DKSIFT_SRCDIR=\"$top\""
# The scan pipeline below the results database (SQLite only for the fleet
# report's reader, which output/ links), and the
# prefilter's tables, which the build generates (in this directory).
srcs="$(ls "$top"/analyzer/lib/*.c "$top"/analyzer/ingest/*.c "$top"/analyzer/incident/*.c \
	"$top"/analyzer/output/*.c | grep -v -e '/prefilter_gen.c$' -e '/prefilter_tables.c$')
	$top/analyzer/scan/scan.c $top/analyzer/scan/corescan.c $top/analyzer/scan/logscan.c $top/analyzer/scan/special.c
	$top/analyzer/scan/bundle.c $top/analyzer/scan/runner.c $(pwd)/analyzer/ingest/prefilter_tables.c
	$top/analyzer/scan/fleet.c"
[ -f config.h ] || { echo "run from the build directory (needs config.h)" >&2; exit 2; }
objs=""
for s in $srcs; do
	o="$build/$(basename "$s" .c).o"
	clang $cflags $(pkg-config --cflags libdw libarchive) -c "$s" -o "$o"
	objs="$objs $o"
done
libs="$(pkg-config --libs zlib liblzma libzstd libarchive sqlite3) -lbz2 -lm"
# scan.c reads core dumps too: the symbols/ library and what it links.
for s in "$top"/symbols/*.c; do
	o="$build/sym-$(basename "$s" .c).o"
	clang $cflags $(pkg-config --cflags libdw) -c "$s" -o "$o"
	objs="$objs $o"
done
libs="$libs $(pkg-config --libs libdw libelf libunwind-generic) -ldl"
cp "$top"/corpus/formats/* "$top"/corpus/kinds/* "$top"/corpus/sysrq/* "$build/seeds/"
for t in scan normalize frame lines archive perf folded html textsafe group; do
	clang $cflags -fsanitize=fuzzer "$top/tests/fuzz/fuzz-$t.c" $objs $libs -o "$build/fuzz-$t"
done
# The signature-file parser, with what it needs from signatures/.
sigobjs=""
for s in sigfile version aliases fixstatus; do
	clang $cflags $(pkg-config --cflags libpcre2-8) \
		-c "$top/signatures/$s.c" -o "$build/sig-$s.o"
	sigobjs="$sigobjs $build/sig-$s.o"
done
clang $cflags -fsanitize=fuzzer "$top/tests/fuzz/fuzz-sigfile.c" \
	$sigobjs $objs $(pkg-config --libs libpcre2-8) $libs -o "$build/fuzz-sigfile"
mkdir -p "$build/sigs"
cp "$top"/signatures/bugs/*.sig "$top"/signatures/aliases "$build/sigs/"
# The .debug_line reader, seeded with the line tables of a -g build of a
# test fixture (gcc writes DWARF 5, -gdwarf-4 the older form).
clang $cflags -fsanitize=fuzzer "$top/tests/fuzz/fuzz-linetable.c" \
	$objs $libs -o "$build/fuzz-linetable"
mkdir -p "$build/debug-line"
for v in 4 5; do
	gcc -g -gdwarf-$v -O2 -c "$top/tests/symbols-fixture-dup.c" -o "$build/fixture-$v.o"
	objcopy -O binary --only-section=.debug_line "$build/fixture-$v.o" "$build/debug-line/dwarf$v"
done
# Seeds for the archive walker: small tar (plain, gz), zip and cpio files of
# corpus samples, one nested; for the profile parsers: the corpus's
# profiles and /proc captures, cut to the first lines.
mkdir -p "$build/archives" "$build/profiles" "$build/archive-src/d"
cp "$top/corpus/kinds/hung-task-6.1.log" "$top/corpus/proc/netns-ip-loop.txt" "$build/archive-src/d/"
echo node1 > "$build/archive-src/d/hostname"
(cd "$build/archive-src" && tar cf "$build/archives/a.tar" d && gzip -c "$build/archives/a.tar" > "$build/archives/a.tar.gz" &&
	zip -q -r "$build/archives/a.zip" d && find d | cpio -o -H newc > "$build/archives/a.cpio" 2>/dev/null &&
	cp "$build/archives/a.tar.gz" d/inner.tar.gz && tar cf "$build/archives/nested.tar" d)
for f in "$top"/corpus/profiles/*.gz; do
	gzip -dc "$f" | head -c 60000 > "$build/profiles/$(basename "$f" .gz)"
done
cp "$top"/corpus/proc/* "$top"/corpus/signatures/kvm-mmu_lock-contention/*.perf "$build/profiles/"
gzip -dc "$top/corpus/profiles/kvm-mmu_lock-contention.perf.gz" | awk '
	/^[^\t]/ { n = 0; next } /^\t/ { fr[n++] = $2; next }
	/^$/ { if (n) { s = fr[n - 1]; for (i = n - 2; i >= 0; i--) s = s ";" fr[i]; c[s]++ } n = 0 }
	END { for (s in c) print s, c[s] }' > "$build/profiles/seed.folded"
# Seeds for the line-level targets: one line per file.
mkdir -p "$build/lines"
cat "$top"/corpus/kinds/* | head -400 | split -l 1 - "$build/lines/l"
# The core note parser and unwinder, seeded with small cores assembled by
# tests/fuzz/make-core-seeds.py (a kernel-made core is written there too
# when core_pattern allows it).
clang $cflags -fsanitize=fuzzer "$top/tests/fuzz/fuzz-core.c" $objs $libs -o "$build/fuzz-core"
mkdir -p "$build/cores"
python3 "$top/tests/fuzz/make-core-seeds.py" "$build/cores"
# Every corpus, for the deep run: each file once under a flattened name, and
# its lines one per file (at most 20000 distinct ones) for the line targets.
if [ "$mode" = long ]; then
	mkdir -p "$build/seeds-all" "$build/lines-all"
	for d in "$top/corpus" "$top/../shared/corpus"; do
		[ -d "$d" ] || continue
		find "$d" -type f ! -name '*.md' | while IFS= read -r f; do
			cp "$f" "$build/seeds-all/$(echo "${f#"$top"/}" | sed 's|^\.\./||' | tr '/' '_')"
		done
	done
	cp "$top"/tests/fuzz/regressions/* "$build/seeds-all/" 2>/dev/null || true
	cat "$build"/seeds-all/* | LC_ALL=C sort -u | head -20000 |
		split -l 1 -a 5 - "$build/lines-all/l"
	cp "$top"/signatures/*/*.sig "$build/sigs/" 2>/dev/null || true
fi
targets=${FUZZ_TARGETS:-"scan normalize frame lines sigfile linetable archive perf folded html core textsafe group"}
crashed=""
[ "$mode" = long ] && : > "$build/fuzz-long.summary"
for t in $targets; do
	case $t in
	scan|lines) seeds="$build/seeds" ;;
	sigfile) seeds="$build/sigs" ;;
	linetable) seeds="$build/debug-line" ;;
	archive) seeds="$build/archives" ;;
	perf|folded) seeds="$build/profiles" ;;
	core) seeds="$build/cores" ;;
	*) seeds="$build/lines" ;;
	esac
	if [ "$mode" = long ]; then
		case $seeds in
		"$build/seeds") seeds="$build/seeds-all" ;;
		"$build/lines") seeds="$build/lines-all" ;;
		esac
	fi
	if [ -d "$top/tests/fuzz/regressions" ]; then
		"$build/fuzz-$t" -runs=0 -artifact_prefix="$build/" "$top/tests/fuzz/regressions" >/dev/null 2>&1 ||
			{ echo "fuzz-$t: a regression input crashes"; exit 1; }
	fi
	mkdir -p "$build/corpus-$t"
	log="$build/fuzz-$t.log"
	[ "$mode" = long ] && log="$build/fuzz-$t.long.log"
	echo "fuzz-$t: ${secs}s"
	rm -f "$build"/crash-* "$build"/timeout-* "$build"/oom-* "$build"/leak-*
	# libarchive reserves what a header declares (a cpio name of 1.7 GB in
	# a 6 KB file) and touches only what is there: RSS, not the size of one
	# untouched malloc, is what is bounded (tests/hostile.sh runs that
	# input under ulimit -v: a clear error).
	mlimit=$([ $t = archive ] && echo 4096 || echo 1024)
	if "$build/fuzz-$t" -max_total_time="$secs" -max_len=$([ $t = core ] && echo 262144 || echo 65536) -timeout=10 \
		-rss_limit_mb=1024 -malloc_limit_mb=$mlimit -print_final_stats=1 -artifact_prefix="$build/" \
		"$build/corpus-$t" "$seeds" > "$log" 2>&1; then
		crash=none
	else
		grep -E 'ERROR|SUMMARY|#[0-9]+ 0x' "$log" | head -20
		crash=$(ls "$build"/crash-* "$build"/timeout-* "$build"/oom-* \
			"$build"/leak-* 2>/dev/null | head -1)
		mkdir -p "$build/found"
		[ -n "$crash" ] && cp "$crash" "$build/found/fuzz-$t-$(basename "$crash")"
		echo "fuzz-$t: crash; input saved as ${crash:-?} (add it to tests/fuzz/regressions/)"
		crashed="$crashed $t"
		[ "$mode" = long ] || exit 1
	fi
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
	line="fuzz-$t: ${runs:-?} executions in ${took:-$secs}s, crash: $crash"
	echo "$line"
	[ "$mode" = long ] && echo "$line" >> "$build/fuzz-long.summary"
done
if [ -n "$crashed" ]; then
	echo "fuzz: crashes in:$crashed"
	exit 1
fi
echo "fuzz: $(echo $targets | wc -w) targets ran ${secs}s each without a crash"
