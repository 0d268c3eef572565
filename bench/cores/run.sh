#!/bin/sh
# make bench (its cores part): unwinding and symbolizing a directory of
# core dumps — ksift scan (one process for the directory, and one per core),
# eu-stack -i -s --core (one per core) and gdb -batch -ex 'thread apply all bt'
# (one per core) on the same cores in the same run, with peak RSS. The cores
# are tests/cores/crashprog's (frame-pointer and -O2 -fomit-frame-pointer
# builds, every crash mode, the threaded one included), made by the kernel
# when core_pattern writes a file, else by gdb's gcore. BENCH_CORES sets how
# many of each (build, mode) pair (default 4: 48 cores).
# Times: hyperfine's mean of 5 runs when installed, else one /usr/bin/time run.
set -eu
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
ksift=${KSIFT:-$(pwd)/analyzer/ksift}
out=${BENCH_DIR:-bench/out}/cores
n=${BENCH_CORES:-4}
src=$top/tests/cores
mkdir -p "$out"
out=$(cd "$out" && pwd)
cores=$out/cores
rm -rf "$cores" && mkdir -p "$cores"

build() {	# DIR CFLAGS...
	d=$out/$1; shift
	mkdir -p "$d"
	cc "$@" -shared -fPIC -o "$d/libcrashlib.so" "$src/crashlib.c"
	cc "$@" -pthread -I"$src" -o "$d/crashprog" "$src/crashprog.c" \
		-L"$d" -lcrashlib -Wl,-rpath,'$ORIGIN'
}
build fp -g -O1 -fno-omit-frame-pointer
build nofp -g -O2 -fomit-frame-pointer
case $(cat /proc/sys/kernel/core_pattern) in '|'*|*/*) kernel=no ;; *) kernel=yes ;; esac
for v in fp nofp; do
	for m in null abort lib threads nullcall signal; do
		i=0
		while [ $i -lt "$n" ]; do
			c=$cores/$v-$m-$i.core
			d=$(mktemp -d "$out/run.XXXXXX")
			if [ $kernel = yes ]; then
				(cd "$d" && ulimit -c unlimited && exec "$out/$v/crashprog" $m) >/dev/null 2>&1 || true
				f=$(ls "$d" | grep '^core' | head -1 || true)
				[ -n "$f" ] && mv "$d/$f" "$c"
			fi
			[ -s "$c" ] || gdb -batch -nx -ex run -ex "gcore $c" --args "$out/$v/crashprog" $m >/dev/null 2>&1
			rm -rf "$d"
			i=$((i + 1))
		done
	done
done
nr=$(ls "$cores" | wc -l)
total=$(du -sk "$cores" | cut -f1)

# One command line per tool over every core (the per-core tools in a loop).
cat > "$out/eu-stack.sh" <<EOS
for c in $cores/*.core; do eu-stack -i -s --core="\$c"; done
EOS
cat > "$out/gdb.sh" <<EOS
for c in $cores/*.core; do
	case \$(basename "\$c") in fp-*) e=$out/fp/crashprog ;; *) e=$out/nofp/crashprog ;; esac
	gdb -batch -nx -ex 'thread apply all bt' "\$e" "\$c"
done
EOS
cat > "$out/ksift-each.sh" <<EOS
for c in $cores/*.core; do "$ksift" scan --json --no-db -q "\$c"; done
EOS

secs() {
	if command -v hyperfine >/dev/null; then
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
rss() {
	/usr/bin/time -f %M -o "$out/t" "$@" > "$out/stdout" 2>/dev/null || true
	echo "$(tail -n 1 "$out/t") / 1024" | bc
}
row() {
	printf '%-52s %8.3f s %7s MiB %7s frames\n' "$1" "$2" "$3" "$4"
}
echo "cores: $nr in $cores ($((total / 1024)) MiB on disk), $(nproc) CPUs"
t=$(secs "$ksift" scan --json --no-db -q "$cores")
m=$(rss "$ksift" scan --json --no-db -q "$cores")
f=$(python3 -c 'import json,sys; print(sum(len(s["frames"]) for l in open(sys.argv[1]) for s in json.loads(l)["stacks"]))' "$out/stdout")
row "ksift scan --json DIR (one process)" "$t" "$m" "$f"
k=$t
t=$(secs sh "$out/ksift-each.sh")
m=$(rss sh "$out/ksift-each.sh")
row "ksift scan --json CORE (a process per core)" "$t" "$m" "$f"
ke=$t
t=$(secs sh "$out/eu-stack.sh")
m=$(rss sh "$out/eu-stack.sh")
f=$(grep -c '^#' "$out/stdout" || true)
row "eu-stack -i -s --core=CORE (a process per core)" "$t" "$m" "$f"
e=$t
t=$(secs sh "$out/gdb.sh")
m=$(rss sh "$out/gdb.sh")
f=$(grep -c '^#' "$out/stdout" || true)
row "gdb -batch -ex 'thread apply all bt' (per core)" "$t" "$m" "$f"
echo "ratio ksift/eu-stack: $(echo "scale=3; $k / $e" | bc) (one process), $(echo "scale=3; $ke / $e" | bc) (a process per core)"
