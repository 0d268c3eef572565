#!/bin/sh
# tests/cores.sh: build tests/cores/crashprog (and its shared library) with
# frame pointers, without them (-O2 -fomit-frame-pointer) and stripped with
# a separate .debug; make each crash in every way it knows (NULL store, abort()
# inside libc via assert(), a crash inside the shared library, a crashing
# thread among sleeping ones, a call through a NULL pointer, a crash in a
# signal handler); dump cores (the kernel's, through RLIMIT_CORE, when
# core_pattern writes a plain file; gdb's gcore at the faulting signal
# otherwise) and check every thread's every frame of `ksift scan --json`
# against gdb's backtrace of the same core (tests/cores/compare.py says
# how). Then compressed cores, a core without its executable, damaged and
# hostile cores (tests/cores/mangle.py), a 50 GiB sparse core, the spool
# limit, and what the text output says.
set -u

top_builddir=$(pwd)
srcdir=${srcdir:-.}
case $srcdir in /*) ;; *) srcdir=$top_builddir/$srcdir ;; esac
KSIFT=${KSIFT:-$top_builddir/analyzer/ksift}
CC=${CC:-cc}
src=$srcdir/tests/cores

for tool in gdb python3 zstd xz lz4 gzip objcopy strip; do
	command -v $tool >/dev/null || { echo "FAIL: $tool missing (bootstrap.sh installs it)"; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ksift-cores.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99

fail=0
checks=0
bad() { echo "FAIL: $*"; fail=1; }
ok() { checks=$((checks + 1)); }

# --- the programs ------------------------------------------------------------
build() {	# DIR CFLAGS...
	d=$1; shift
	mkdir -p "$d" || exit 99
	$CC "$@" -shared -fPIC -o "$d/libcrashlib.so" "$src/crashlib.c" || exit 99
	$CC "$@" -pthread -I"$src" -o "$d/crashprog" "$src/crashprog.c" ${extra:-} \
		-L"$d" -lcrashlib -Wl,-rpath,'$ORIGIN' || exit 99
}
# The frame-pointer build carries a package note (.note.package, as
# systemd's package-notes link it).
extra=$src/package-note.S
build fp -g -O1 -fno-omit-frame-pointer
extra=
build nofp -g -O2 -fomit-frame-pointer
build stripped -g -O1 -fno-omit-frame-pointer
# Unwind tables other than .eh_frame_hdr: none (only .debug_frame, and the
# crt objects' .eh_frame), and .eh_frame without its header.
build dbgframe -g -O2 -fomit-frame-pointer -fno-asynchronous-unwind-tables -fno-unwind-tables
build nohdr -g -O2 -fomit-frame-pointer -Wl,--no-eh-frame-hdr
readelf -S dbgframe/crashprog | grep -q debug_frame && ! readelf -l nohdr/crashprog | grep -q EH_FRAME ||
	{ echo "FAIL: the dbgframe/nohdr builds are not what they should be"; exit 1; }
for f in crashprog libcrashlib.so; do	# the .debug next to the stripped file
	objcopy --only-keep-debug stripped/$f stripped/$f.debug &&
	strip --strip-debug --strip-unneeded stripped/$f &&
	objcopy --add-gnu-debuglink=stripped/$f.debug stripped/$f || exit 99
done
readelf -S stripped/crashprog | grep -q debug_info && { echo "FAIL: not stripped"; exit 1; }

# How cores are made here: a core_pattern that names a plain file (CI
# machines cannot change it) lets the kernel write it; a pipe or a path
# elsewhere means gdb's gcore, taken when the program gets its signal.
pattern=$(cat /proc/sys/kernel/core_pattern)
kernel_cores=yes
case $pattern in '|'*|*/*) kernel_cores=no ;; esac
echo "core_pattern '$pattern': cores from $([ $kernel_cores = yes ] && echo the kernel || echo gdb gcore)"

dump() {	# PROG MODE OUT
	d=$(mktemp -d "$tmp/run.XXXXXX")
	if [ $kernel_cores = yes ]; then
		(cd "$d" && ulimit -c unlimited 2>/dev/null && exec "$1" "$2") >/dev/null 2>&1
		c=$(ls -t "$d" 2>/dev/null | grep '^core' | head -1)
		if [ -n "$c" ]; then
			mv "$d/$c" "$3"
			rmdir "$d"
			return 0
		fi
	fi
	gdb -batch -nx -ex run -ex "gcore $3" --args "$1" "$2" >/dev/null 2>&1
	rmdir "$d"
	[ -s "$3" ] || { echo "FAIL: no core for $1 $2"; exit 1; }
}

gdb_frames() {	# PROG CORE > frames
	gdb -batch -nx -ex 'set backtrace past-main on' -ex 'set backtrace past-entry on' \
		-x "$src/gdb-frames.py" "$1" "$2" 2>/dev/null
}

field() {	# JSON-FILE EXPR: a Python expression over r (the record)
	python3 -c "import json,sys; r=json.loads(open(sys.argv[1]).readline()); print($2)" "$1"
}

# --- every frame against gdb ---------------------------------------------------
for v in fp nofp stripped dbgframe nohdr; do
	modes="null abort lib threads nullcall signal"
	case $v in dbgframe|nohdr) modes="null lib threads signal" ;; esac
	for m in $modes; do
		dump "$tmp/$v/crashprog" $m $v-$m.core
		"$KSIFT" scan --json --no-db $v-$m.core > $v-$m.json 2> $v-$m.err
		rc=$?
		[ $rc -eq 1 ] || bad "$v $m: exit $rc (expected 1, an incident)"
		gdb_frames "$tmp/$v/crashprog" $v-$m.core > $v-$m.gdb
		if out=$(python3 "$src/compare.py" $v-$m.json $v-$m.gdb); then
			ok
		else
			bad "$v $m: frames differ from gdb's"
			echo "$out"
		fi
	done
done

# --- what the records say ---------------------------------------------------------
t=$(field fp-null.json 'r["title"]')
[ "$t" = "SIGSEGV in store_value (crashprog)" ] && ok || bad "null title: $t"
t=$(field fp-abort.json 'r["title"]')
[ "$t" = "SIGABRT in validate_header (crashprog)" ] && ok || bad "abort title (libc machinery skipped): $t"
t=$(field fp-lib.json 'r["title"] + " " + r["stacks"][0]["frames"][0]["module"]')
case $t in "SIGSEGV in table_insert (crashprog) "*/libcrashlib.so) ok ;; *) bad "lib: $t" ;; esac
t=$(field fp-nullcall.json 'r["title"]')
[ "$t" = "SIGSEGV in dispatch_event (crashprog)" ] && ok || bad "nullcall title: $t"
# The crashing thread first, the others after it, each with its thread id.
t=$(field fp-threads.json '"%d %s %s %s" % (len(r["stacks"]), r["stacks"][0]["crashed"], any(s["crashed"] for s in r["stacks"][1:]), r["extra"]["threads"])')
[ "$t" = "4 True False 4" ] && ok || bad "threads: $t"
t=$(field fp-threads.json '[f["func"] for f in r["stacks"][0]["frames"]][:4]')
[ "$t" = "['store_value', 'parse_record', 'handle_request', 'crashing_worker']" ] && ok ||
	bad "crashing thread's stack: $t"
# Signal facts from NT_SIGINFO; pid and command line from the notes and the stack.
t=$(field fp-null.json '"%s %s %s %s" % (r["extra"]["signal"], r["extra"]["signal_code"], r["extra"]["fault_address"], r["extra"]["cmdline"].split("/")[-1])')
[ "$t" = "SIGSEGV SEGV_MAPERR 0x0 crashprog null" ] && ok || bad "signal facts: $t"
t=$(field fp-abort.json '"%s %s" % (r["extra"]["signal_code"], r["extra"]["sender_pid"] == r["task"]["pid"])')
[ "$t" = "SI_TKILL True" ] && ok || bad "abort's tgkill: $t"
# Inline chains and source lines, from the .debug file for the stripped build.
store_line=$(grep -n '^	\*target = v;' "$src/crashprog.c" | cut -d: -f1)
inl_line=$(grep -n '^		store_value(v + 1);' "$src/crashprog.c" | cut -d: -f1)
t=$(field stripped-null.json '[(f["func"], f["src"].split("/")[-1], [i["func"] for i in f.get("inlined", [])]) for f in r["stacks"][0]["frames"][:2]]')
[ "$t" = "[('store_value', 'crashprog.c:$store_line', []), ('parse_record', 'crashprog.c:$inl_line', ['checked_store'])]" ] && ok ||
	bad "stripped build's lines and inline chain (separate .debug): $t"
for c in fp-null fp-threads dbgframe-threads nohdr-threads dbgframe-signal; do
	t=$(field $c.json '" ".join(sorted(set(str(f["reliable"]) for s in r["stacks"] for f in s["frames"])))')
	[ "$t" = "True" ] && ok || bad "$c: frames with CFI must be reliable: $t"
done
# Build IDs and module offsets; the offsets are the same in another run (ASLR).
dump "$tmp/fp/crashprog" null fp-null2.core
"$KSIFT" scan --json --no-db fp-null2.core > fp-null2.json 2>/dev/null
a=$(field fp-null.json '[(f["module_off"], f["addr"]) for f in r["stacks"][0]["frames"]]')
b=$(field fp-null2.json '[(f["module_off"], f["addr"]) for f in r["stacks"][0]["frames"]]')
[ "$a" != "$b" ] && ok || bad "two runs at the same addresses: ASLR off?"
a=$(field fp-null.json '[f["module_off"] for f in r["stacks"][0]["frames"]], r["hash"]')
b=$(field fp-null2.json '[f["module_off"] for f in r["stacks"][0]["frames"]], r["hash"]')
[ "$a" = "$b" ] && ok || bad "module offsets or hash differ between runs: $a / $b"
bid=$(readelf -n fp/crashprog | sed -n 's/.*Build ID: //p')
t=$(field fp-null.json 'r["stacks"][0]["frames"][0]["build_id"]')
[ "$t" = "$bid" ] && ok || bad "build ID $t, readelf says $bid"
# The package note, and signatures' package and executable predicates on it.
t=$(field fp-null.json '"%s %s" % (r["extra"]["package"], r["extra"]["package_version"])')
[ "$t" = "crashprog 1.2-3" ] && ok || bad "package note: $t"
mkdir sigs
cat > sigs/vulnerable.sig <<'EOS'
id: crashprog-store-value
title: crashprog stores through a NULL target
kind: coredump
executable: crashprog
package: crashprog < 1.2-4, crashprog >= 1.0
frames: store_value [crashprog]
  parse_record
EOS
sed -e 's/^id: .*/id: crashprog-fixed/' -e 's/^package: .*/package: crashprog < 1.2-3/' \
	sigs/vulnerable.sig > sigs/fixed.sig
"$KSIFT" db build sigs -o sigs.db >/dev/null 2>&1 || bad "db build of the test signatures"
"$KSIFT" scan --json --db sigs.db fp-null.core > sig.json 2>/dev/null
t=$(field sig.json '" ".join(m["id"] for m in r["matches"]) + " | " + " ".join(e["predicate"] + "=" + e["detail"] for m in r["matches"] for e in m["evidence"] if e["predicate"] in ("package", "executable"))')
case $t in "crashprog-store-value | "*"package=crashprog 1.2-3"*) ok ;; *) bad "package predicate: $t" ;; esac

# The text output names the thread and the module.
"$KSIFT" scan --no-db fp-threads.core > text.out 2>/dev/null
grep -q "^  thread [0-9]* (crashed):" text.out && grep -q 'store_value+0x[0-9a-f]*/0x[0-9a-f]* \[.*/crashprog +0x' text.out &&
	grep -q 'more threads (ksift show lists them)' text.out && ok || { bad "text output"; cat text.out; }
"$KSIFT" show fp-threads.core > show.out 2>/dev/null
[ "$(grep -c '^  thread ' show.out)" = 4 ] && ok || bad "show lists every thread"

# -j2 reads cores in parallel (one shared debug-file cache): the same output.
mkdir jobs && cp fp-*.core nofp-null.core jobs/
"$KSIFT" scan --json --no-db jobs > j1.json 2>/dev/null
"$KSIFT" scan -j2 --json --no-db jobs > j2.json 2>/dev/null
[ -s j1.json ] && cmp -s j1.json j2.json && ok || bad "-j2 differs from -j1 on cores"
# Recorded and ranked like any incident.
"$KSIFT" scan -q --no-db --results r.db jobs >/dev/null 2>&1
"$KSIFT" report r.db > report.out 2>&1
grep -q 'SIGSEGV in store_value (crashprog)' report.out && ok || { bad "report"; cat report.out; }

# --- compressed cores ----------------------------------------------------------
want=$(field fp-threads.json '[[f["func"] for f in s["frames"]] for s in r["stacks"]], r["hash"]')
zstd -q -c fp-threads.core > c.zst; xz -c fp-threads.core > c.xz
lz4 -q -c fp-threads.core > c.lz4; gzip -c fp-threads.core > c.gz
for c in c.zst c.xz c.lz4 c.gz; do
	"$KSIFT" scan --json --no-db $c > $c.json 2> $c.err
	[ -s $c.json ] && [ "$(field $c.json '[[f["func"] for f in s["frames"]] for s in r["stacks"]], r["hash"]')" = "$want" ] &&
		ok || { bad "$c: not the plain core's record"; cat $c.err; }
done
# In a directory walk, found by content like any log; other binaries skipped.
mkdir walk && cp c.zst walk/core.crashprog.0.zst && cp fp/crashprog walk/ && echo "nothing" > walk/log
"$KSIFT" scan --json --no-db walk > walk.json 2> walk.err
[ "$(grep -c '"kind":"coredump"' walk.json)" = 1 ] && grep -q 'crashprog: binary file skipped' walk.err &&
	ok || { bad "directory walk"; cat walk.err; }
# A truncated compressed core: what decompressed is read, exit status 2.
head -c $(($(wc -c < c.zst) / 2)) c.zst > cut.zst
"$KSIFT" scan --json --no-db cut.zst > cut.json 2> cut.err
rc=$?
[ $rc -eq 2 ] && grep -q 'cut.zst: truncated zstd stream' cut.err && ok ||
	{ bad "truncated zstd core: exit $rc"; cat cut.err; }
# Past the spool limit only stacks and headers are kept: the crash still unwinds.
dump "$tmp/fp/crashprog" big big.core
zstd -q -c big.core > big.zst
KSIFT_SPOOL_MAX_MB=4 "$KSIFT" scan --json --no-db big.zst > big.json 2> big.err
grep -q 'big.zst: zstd core decompresses to more than 4 MiB of data' big.err &&
	[ "$(field big.json 'r["stacks"][0]["frames"][0]["func"]')" = store_value ] && ok ||
	{ bad "spool limit"; cat big.err; }

# --- a core without its executable ------------------------------------------------
mkdir gone && cp fp/crashprog fp/libcrashlib.so gone/
dump "$tmp/gone/crashprog" null gone.core
rm gone/crashprog
"$KSIFT" scan --json --no-db gone.core > gone.json 2> gone.err
grep -q "gone.core: $tmp/gone/crashprog: No such file or directory" gone.err && ok ||
	{ bad "missing executable not named"; cat gone.err; }
# Frames in it keep module and offset; the frame-pointer chain still
# reaches libc's start code, and those frames are marked unreliable.
t=$(field gone.json '" ".join("%s:%s:%s" % ((f["func"] or "?"), f["module"].split("/")[-1], f["reliable"]) for f in r["stacks"][0]["frames"])')
case $t in
"?:crashprog:True ?:crashprog:False"*"__libc_start_call_main:libc.so.6:False"*) ok ;;
*) bad "core without executable: $t" ;;
esac
# The frame-pointer chain skips what CFI sees (a leaf function's caller),
# never invents: its frames are a subsequence of the full unwind's.
python3 - gone.json fp-null.json <<'EOF' && ok || bad "frames without the executable are not the real ones"
import json, sys
def frames(p):
    return [(f["module_off"], f["func"]) for f in json.loads(open(p).readline())["stacks"][0]["frames"]]
a, b = frames(sys.argv[1]), frames(sys.argv[2])
n = [f for _o, f in a].index("__libc_start_call_main") + 1
it = iter([o for o, _f in b])
sys.exit(0 if n >= 3 and all(o in it for o, _f in a[:n]) else 1)
EOF
# Another build at the same path is not used for the old core.
cp nofp/crashprog gone/crashprog
"$KSIFT" scan --json --no-db gone.core > gone2.json 2> gone2.err
grep -q "gone/crashprog: build ID [0-9a-f]*, the crashed process ran [0-9a-f]*: another build" gone2.err &&
	ok || { bad "replaced executable used"; cat gone2.err; }
# --sysroot: the files under another root (a core from another machine).
mkdir -p root"$tmp"/gone && cp fp/crashprog root"$tmp"/gone/ && rm gone/crashprog
"$KSIFT" scan --json --no-db --sysroot "$tmp/root" gone.core > root.json 2>/dev/null
[ "$(field root.json 'r["stacks"][0]["frames"][0]["func"]')" = store_value ] && ok || bad "--sysroot"

# --- damaged and hostile cores ---------------------------------------------------
# Each: a warning naming the file and what is wrong, no crash, bounded time.
hostile() {	# HOW EXPECTED-EXIT GREP
	python3 "$src/mangle.py" $1 fp-null.core $1.core || exit 99
	timeout 60 "$KSIFT" scan --json --no-db $1.core > $1.json 2> $1.err
	rc=$?
	[ $rc -eq $2 ] && grep -q "$1.core: $3" $1.err && ok ||
		{ bad "$1: exit $rc (want $2), stderr:"; cat $1.err; }
}
hostile notes-cut 2 'PT_NOTE segment cut off'
hostile descsz-lie 2 'note at byte [0-9]* claims 5+4294967280 bytes past its segment'
hostile file-count 1 'NT_FILE note claims 1152921504606846976 mappings'
hostile phnum-xnum 2 'e_phnum is PN_XNUM'
hostile seg-past-eof 2 'truncated: [0-9]* bytes of dumped memory lie past the end'
# A frame-pointer core whose saved frame points at itself: the walk stops.
python3 "$src/mangle.py" loop fp-null.core loop.core
"$KSIFT" scan --json --no-db loop.core > loop.json 2>/dev/null
t=$(field loop.json 'r["stacks"][0]["stopped"]')
case $t in "loop in the stack"|"bad frame"|"stack pointer moved down"*) ok ;; *) bad "loop: stopped=$t" ;; esac
# 10,000 threads: all listed, frames capped per core, memory bounded.
python3 "$src/mangle.py" threads10k fp-null.core t10k.core
python3 - "$KSIFT" t10k.core > t10k.out 2> t10k.err <<'EOF'
import json, resource, subprocess, sys
p = subprocess.run([sys.argv[1], "scan", "--json", "--no-db", sys.argv[2]],
                   capture_output=True, text=True)
r = json.loads(p.stdout.splitlines()[0])
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
print(len(r["stacks"]), sum(len(s["frames"]) for s in r["stacks"]), rss < 400)
sys.stderr.write(p.stderr)
EOF
[ "$(cat t10k.out)" = "10000 65536 True" ] && grep -q 'more than 65536 frames' t10k.err && ok ||
	{ bad "10,000 threads: $(cat t10k.out)"; cat t10k.err; }
# 50 GiB of segment holes: read only what is needed.
python3 "$src/mangle.py" sparse50g fp-null.core sparse.core
python3 - "$KSIFT" sparse.core > sparse.out <<'EOF'
import json, resource, subprocess, sys, time
t = time.time()
p = subprocess.run([sys.argv[1], "scan", "--json", "--no-db", sys.argv[2]],
                   capture_output=True, text=True, timeout=60)
r = json.loads(p.stdout.splitlines()[0])
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
print(r["stacks"][0]["frames"][0]["func"], time.time() - t < 20, rss < 100)
EOF
[ "$(cat sparse.out)" = "store_value True True" ] && ok || bad "50 GiB sparse core: $(cat sparse.out)"
# A core of another machine: a clear warning, no record, not an input error.
python3 - fp-null.core arm.core <<'EOF'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
d[18:20] = (183).to_bytes(2, "little")		# EM_AARCH64
open(sys.argv[2], "wb").write(d)
EOF
"$KSIFT" scan --json --no-db arm.core > arm.json 2> arm.err
rc=$?
[ $rc -eq 0 ] && grep -q 'arm.core: core dump of a aarch64 process: only x86_64 cores are read' arm.err &&
	ok || { bad "aarch64 core: exit $rc"; cat arm.err; }

echo "$checks checks passed"
[ $fail -eq 0 ] || exit 1
exit 0
