#!/bin/sh
# Build the libFuzzer targets with clang (ASan+UBSan) and run each for
# FUZZ_SECONDS (default 60) over a seed corpus made from corpus/. A crash
# leaves its input in tests/fuzz/out/ and fails the run; every crash found
# becomes a regression input in tests/fuzz/regressions/ (run first, always).
set -eu
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${FUZZ_BUILD:-$(pwd)/fuzz-build}
secs=${FUZZ_SECONDS:-60}
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
for t in scan normalize frame lines archive perf folded html; do
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
targets="scan normalize frame lines sigfile linetable archive perf folded html core"
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
	if [ -d "$top/tests/fuzz/regressions" ]; then
		"$build/fuzz-$t" -runs=0 "$top/tests/fuzz/regressions" >/dev/null 2>&1 ||
			{ echo "fuzz-$t: a regression input crashes"; exit 1; }
	fi
	mkdir -p "$build/corpus-$t"
	echo "fuzz-$t: ${secs}s"
	if ! "$build/fuzz-$t" -max_total_time="$secs" -max_len=$([ $t = core ] && echo 262144 || echo 65536) -timeout=10 \
		-rss_limit_mb=1024 -artifact_prefix="$build/" "$build/corpus-$t" "$seeds" \
		> "$build/fuzz-$t.log" 2>&1; then
		grep -E 'ERROR|SUMMARY|#[0-9]+ 0x' "$build/fuzz-$t.log" | head -20
		echo "fuzz-$t: crash; input saved as $(ls "$build"/crash-* "$build"/timeout-* \
			"$build"/oom-* "$build"/leak-* 2>/dev/null | head -1) (add it to tests/fuzz/regressions/)"
		exit 1
	fi
	tail -n 1 "$build/fuzz-$t.log"
done
echo "fuzz: $(echo $targets | wc -w) targets ran ${secs}s each without a crash"
