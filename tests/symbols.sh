#!/bin/sh
# tests/symbols.sh: compile a small -g -O2 program (inline chains, duplicate
# static names) and a relocatable object (a module stand-in), write kernel-style
# logs that reference them, and check that `ksift symbolize` gives the same
# file:line lists as binutils `addr2line -i` on the same addresses. Then feed it
# broken debuginfo and check for clear warnings and complete output.
set -u

top_builddir=$(pwd)
srcdir=${srcdir:-.}
case $srcdir in /*) ;; *) srcdir=$top_builddir/$srcdir ;; esac
KSIFT=${KSIFT:-$top_builddir/analyzer/ksift}
CC=${CC:-cc}

for tool in addr2line nm; do
	command -v $tool >/dev/null || { echo "SKIP: no $tool"; exit 77; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ksift-symbols.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99
cp "$srcdir"/tests/symbols-fixture-main.c "$srcdir"/tests/symbols-fixture-dup.c \
	"$srcdir"/tests/symbols-fixture-mod.c . || exit 99
# Compile with plain CFLAGS: the fixture must not carry sanitizer flags.
$CC -g -O2 -no-pie -o vmlinux symbols-fixture-main.c symbols-fixture-dup.c || exit 99
$CC -g -O2 -c -o mod-x.ko symbols-fixture-mod.c || exit 99

fail=0
checks=0
bad() { echo "FAIL: $*"; fail=1; }

# addr2line -i list for ADDR in FILE (extra args before), build dir stripped,
# discriminators dropped, joined by spaces.
a2l() {
	addr2line -i "$@" | sed -e "s|^$tmp/||" -e 's/ (discriminator [0-9]*)//' |
		tr '\n' ' ' | sed 's/ $//'
}

# symbol table: NAME ADDR SIZE (hex, no 0x) for text symbols
nm -S vmlinux | awk '$3 ~ /^[tT]$/ { print $4, $1, $2 }' > syms
nm -S mod-x.ko | awk '$3 ~ /^[tT]$/ { print $4, $1, $2 }' > modsyms

slide=1000000	# hex: a KASLR-like slide for the raw-address log
: > log
: > expect
echo "CPU: 1 PID: 42 Comm: fixture Not tainted 6.99.0-test #1" >> log
echo "Call Trace:" >> log
for fn in outer_func dup_entry; do
	set -- $(awk -v f=$fn '$1 == f { print $2, $3 }' syms)
	base=$((0x$1)); size=$((0x$2)); off=0
	while [ $off -lt $size ]; do
		addr=$((base + off))
		printf ' [<%016x>] %s+0x%x/0x%x\n' $((addr + 0x$slide)) $fn $off $size >> log
		printf '%s\n' "$(a2l -e vmlinux $(printf '0x%x' $addr))" >> expect
		off=$((off + 3))
	done
done
# Static duplicates: helper exists twice with different sizes.
while read -r name addr size; do
	[ "$name" = helper ] || continue
	printf ' helper+0x4/0x%x\n' $((0x$size)) >> log
	printf '%s\n' "$(a2l -e vmlinux $(printf '0x%x' $((0x$addr + 4))))" >> expect
done < syms
# Same name and size twice: the frame's address and the slide settle it.
while read -r name addr size; do
	[ "$name" = same_size ] || continue
	printf ' [<%016x>] same_size+0x4/0x%x\n' $((0x$addr + 4 + 0x$slide)) $((0x$size)) >> log
	printf '%s\n' "$(a2l -e vmlinux $(printf '0x%x' $((0x$addr + 4))))" >> expect
done < syms
# Raw addresses ("?" frames) resolved with the slide of the frames above.
set -- $(awk '$1 == "outer_func" { print $2 }' syms)
for off in 2 9 20; do
	addr=$((0x$1 + off))
	printf ' [<%016x>] ? \n' $((addr + 0x$slide)) >> log
	printf '%s\n' "$(a2l -e vmlinux $(printf '0x%x' $addr))" >> expect
done
# Module frames: the relocatable object, addresses relative to .text.
for fn in mod_func mod_other; do
	set -- $(awk -v f=$fn '$1 == f { print $2, $3 }' modsyms)
	size=$((0x$2)); off=0
	while [ $off -lt $size ]; do
		printf ' %s+0x%x/0x%x [mod_x]\n' $fn $off $size >> log
		printf '%s\n' "$(a2l -j .text -e mod-x.ko $(printf '0x%x' $((0x$1 + off))))" >> expect
		off=$((off + 5))
	done
done
echo "a line that is not a frame" >> log

"$KSIFT" symbolize --vmlinux vmlinux --modules . log > out 2> err
rc=$?
[ $rc -eq 0 ] || bad "symbolize exit status $rc"
[ "$(wc -l < out)" -eq "$(wc -l < log)" ] || bad "line count changed"
grep -q '^a line that is not a frame$' out || bad "plain line not passed through"
head -2 out | cmp -s - "$(head -2 log > head2; echo head2)" || bad "header lines changed"
# Every frame line: the parenthesised list must equal addr2line -i's.
grep -E '^ (\[<|helper|mod_)' out | sed -n 's/.*(\(.*\))$/\1/p' > got
n_expect=$(wc -l < expect)
[ "$(wc -l < got)" -eq "$n_expect" ] || bad "$(wc -l < got) of $n_expect frames resolved"
if ! cmp -s got expect; then
	bad "file:line lists differ from addr2line -i:"
	diff expect got | head -20
fi
checks=$((checks + n_expect))
grep -q 'symbols-fixture-main.c:[0-9]* symbols-fixture-main.c:[0-9]* symbols-fixture-main.c:[0-9]*' got ||
	bad "no two-level inline chain found for outer_func"

# JSON: inlined[] holds the inlined callees, innermost first.
"$KSIFT" symbolize --json --vmlinux vmlinux --modules . log > json 2>/dev/null
grep -q '"inlined":\[{"func":"leaf_inline","src":"symbols-fixture-main.c:[0-9]*"},{"func":"mid_inline"' json ||
	bad "JSON inline chain (leaf_inline, mid_inline) missing"
grep -q '"func":"mod_func".*"inlined":\[{"func":"mod_leaf"' json ||
	bad "JSON module inline chain missing"

# ksift scan uses the same library: the frames of a report gain src and
# inlined, the same lists as ksift symbolize gives.
{ echo "[    1.000000] BUG: unable to handle kernel paging request at 0000000000001000"
  sed 's/^/[    1.000001] /' log; } > scanlog
"$KSIFT" scan --json -q --no-db --vmlinux vmlinux --modules . scanlog > scanjson 2>/dev/null
grep -q '"src":"symbols-fixture-main.c:[0-9]*","inlined":\[{"func":"leaf_inline","src":"symbols-fixture-main.c:[0-9]*"},{"func":"mid_inline"' scanjson ||
	bad "scan: frames lack src/inlined: $(head -c 300 scanjson)"
checks=$((checks + 1))

# Same name, same size in two files: ambiguous, said so, left unresolved.
printf ' same_size+0x4/0x10\nafter\n' > amb
"$KSIFT" symbolize --vmlinux vmlinux amb > out 2> err
grep -q 'same_size+0x4/0x10: 2 functions' err || bad "ambiguity not reported"
cmp -s out amb || bad "ambiguous frame was changed"

# Raw addresses without any func+off frame: left alone, with the reason.
printf ' [<ffffffff81401176>] ? \n' > raw
"$KSIFT" symbolize --vmlinux vmlinux raw > out 2> err
cmp -s out raw || bad "raw frame without slide was changed"
grep -q 'KASLR slide is unknown' err || bad "no warning for raw address without slide"

# Debug root layout, release from the log, module named with '-' vs '_'.
mkdir -p root/boot root/lib/modules/6.99.0-test/kernel/drivers
cp vmlinux root/boot/vmlinux-6.99.0-test
cp mod-x.ko root/lib/modules/6.99.0-test/kernel/drivers/mod-x.ko.debug
"$KSIFT" symbolize --debug-root root log > out2 2> err
"$KSIFT" symbolize --vmlinux vmlinux --modules . log > out 2>/dev/null
cmp -s out out2 || bad "--debug-root layout gives other results"

# A second kernel release in the same log with no debuginfo: one warning, the
# frames of that kernel pass through, the first kernel's still resolve.
{ cat log; echo "CPU: 0 PID: 1 Comm: x Not tainted 5.1.0-other #2"; \
  echo " outer_func+0x6/0x38"; echo " mod_func+0x1/0x32 [mod_x]"; \
  echo " mod_func+0x2/0x32 [mod_x]"; } > two
"$KSIFT" symbolize --debug-root root two > out 2> err
[ "$(grep -c 'no vmlinux debuginfo for 5.1.0-other' err)" -eq 1 ] ||
	bad "missing vmlinux for the second release not warned exactly once"
[ "$(grep -c 'no debuginfo for module mod_x (release 5.1.0-other)' err)" -eq 1 ] ||
	bad "missing module not warned exactly once"
tail -3 out | cmp -s - "$(tail -3 two > t3; echo t3)" || bad "unresolvable frames changed"
head -n "$(wc -l < log)" out | cmp -s - out2 || bad "first kernel's frames changed"

# A vmlinux of another release (its linux_banner says 6.99.0-test): warned,
# naming the file and both releases, and not used; module frames still
# resolve. Without a release in the log an explicit --vmlinux is used.
set -- $(awk '$1 == "outer_func" { print $3 }' syms)
osize=$((0x$1))
printf 'CPU: 0 PID: 1 Comm: x Not tainted 6.98.0-other #1\n outer_func+0x6/0x%x\n mod_func+0x2/0x%x [mod_x]\n' \
	$osize $(($(awk '$1 == "mod_func" { print "0x" $3 }' modsyms))) > wrongrel
"$KSIFT" symbolize --vmlinux vmlinux --modules . wrongrel > out 2> err
[ $? -eq 0 ] || bad "wrong release: nonzero exit"
grep -q 'vmlinux is the vmlinux of 6.99.0-test (its linux_banner), not of 6.98.0-other' err ||
	bad "wrong-release vmlinux not warned: $(cat err)"
sed -n 2p out | cmp -s - "$(sed -n 2p wrongrel > l2; echo l2)" || bad "wrong-release vmlinux was used"
sed -n 3p out | grep -q '(symbols-fixture-mod.c:' || bad "wrong release: module frame not resolved"
mkdir -p wrongroot/boot && cp vmlinux wrongroot/boot/vmlinux-6.98.0-other
"$KSIFT" symbolize --debug-root wrongroot wrongrel > out 2> err
grep -q 'wrongroot/boot/vmlinux-6.98.0-other is the vmlinux of 6.99.0-test' err ||
	bad "mislabelled vmlinux in the debug root not warned"
sed -n 2p out | cmp -s - l2 || bad "mislabelled vmlinux was used"
printf ' outer_func+0x6/0x%x\n' $osize > norel
"$KSIFT" symbolize --vmlinux vmlinux norel > out 2> err
grep -q '(symbols-fixture-main.c:' out || bad "no release in the log: --vmlinux not used"
checks=$((checks + 3))

# Module build IDs: a mismatch is reported and the file not used; the right
# file is then found by build ID in DEBUG_ROOT/.build-id.
if ld -r --build-id=sha1 -o modb.ko mod-x.ko 2>/dev/null; then
	bid=$(readelf -n modb.ko | sed -n 's/.*Build ID: *//p')
	mkdir -p bidroot/lib/modules/6.99.0-test/extra bidroot/.build-id/$(echo $bid | cut -c1-2)
	cp modb.ko bidroot/.build-id/$(echo $bid | cut -c1-2)/$(echo $bid | cut -c3-).debug
	printf 'int mod_func(int x) { return x; }\n' > wrongmod.c
	$CC -g -O2 -c wrongmod.c -o wrongmod.o && ld -r --build-id=sha1 -o \
		bidroot/lib/modules/6.99.0-test/extra/mod_x.ko wrongmod.o || exit 99
	printf 'CPU: 0 PID: 1 Comm: x Not tainted 6.99.0-test #1\n mod_func+0x10/0x32 [mod_x %s]\n' $bid > bidlog
	"$KSIFT" symbolize --debug-root bidroot bidlog > out 2> err
	grep -q "build ID $bid differs from .*mod_x.ko" err || bad "build ID mismatch not reported"
	want=$(a2l -j .text -e mod-x.ko 0x10)
	grep -q "(\($want\))\$" out || bad "module not found by build ID: $(tail -1 out), want $want"
	checks=$((checks + 1))
else
	echo "note: ld -r --build-id unsupported, build ID checks skipped"
fi

# Separate debuginfo of a stripped vmlinux, and debuginfod. A local server
# (loopback, our own, gone after 60 s at most) serves the debug file by build
# ID and logs every request: with --no-debuginfod none may reach it, even
# though DEBUGINFOD_URLS is set (libdwfl's standard search would ask it).
if command -v python3 >/dev/null && command -v objcopy >/dev/null &&
   $CC -g -O2 -no-pie -Wl,--build-id -o full symbols-fixture-main.c symbols-fixture-dup.c 2>/dev/null; then
	objcopy --only-keep-debug full full.debug &&
	objcopy --strip-debug --add-gnu-debuglink=full.debug full stripped || exit 99
	sbid=$(readelf -n full | sed -n 's/.*Build ID: *//p')
	mkdir -p served dl
	cp full.debug served/$sbid.debug
	mv full.debug dl/	# found only by build ID or in dl/ from now on
	python3 - "$tmp/port" "$tmp/requests" "$tmp/served" <<'PYEOF' &
import http.server, os, sys, threading
port_file, log_file, served = sys.argv[1:4]
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(log_file, "a") as f:
            f.write(self.path + "\n")
        parts = self.path.strip("/").split("/")
        path = os.path.join(served, parts[1] + ".debug") if len(parts) == 3 else ""
        if parts[0] == "buildid" and parts[2] == "debuginfo" and os.path.isfile(path):
            data = open(path, "rb").read()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        else:
            self.send_error(404)
    def log_message(self, *a):
        pass
srv = http.server.HTTPServer(("127.0.0.1", 0), H)
threading.Timer(60, srv.shutdown).start()
open(port_file + ".tmp", "w").write(str(srv.server_address[1]))
os.rename(port_file + ".tmp", port_file)
srv.serve_forever()
PYEOF
	srvpid=$!
	for i in 1 2 3 4 5 6 7 8 9 10; do [ -s port ] && break; sleep 0.3; done
	: > requests
	set -- $(awk '$1 == "outer_func" { print $3 }' syms)
	printf 'Linux version 6.99.0-test (x)\n outer_func+0x6/0x%x\n' $((0x$1)) > dlog
	want=$(a2l -e full $(printf '0x%x' $(($(nm full | awk '$3 == "outer_func" { print "0x" $1 }') + 6))))
	export DEBUGINFOD_URLS=http://127.0.0.1:$(cat port) DEBUGINFOD_CACHE_PATH=$tmp/dcache DEBUGINFOD_TIMEOUT=10
	"$KSIFT" symbolize --no-debuginfod --vmlinux stripped dlog > out 2> err
	[ -s requests ] && bad "--no-debuginfod: debuginfod was asked: $(cat requests)"
	grep -q 'stripped: no DWARF debug information' err || bad "stripped file without debuginfo not warned: $(cat err)"
	cmp -s out dlog || bad "--no-debuginfod: frame changed without debuginfo"
	# Found locally: by build ID under the debug root, or by debuglink.
	mkdir -p bidtree/.build-id/$(echo $sbid | cut -c1-2)
	cp dl/full.debug bidtree/.build-id/$(echo $sbid | cut -c1-2)/$(echo $sbid | cut -c3-).debug
	"$KSIFT" symbolize --no-debuginfod --debug-root bidtree --vmlinux stripped dlog > out 2> err
	grep -q "(\($want\))\$" out || bad "debuginfo by build ID under the debug root not used: $(tail -1 out) $(cat err)"
	cp stripped dl/
	"$KSIFT" symbolize --no-debuginfod --vmlinux dl/stripped dlog > out 2> err
	grep -q "(\($want\))\$" out || bad "debuginfo by debuglink not used: $(tail -1 out) $(cat err)"
	[ -s requests ] && bad "local debuginfo: debuginfod was asked: $(cat requests)"
	# Without --no-debuginfod the server is asked and its file is used.
	"$KSIFT" symbolize --vmlinux stripped dlog > out 2> err
	grep -q "^/buildid/$sbid/debuginfo\$" requests || bad "debuginfod not asked by build ID: $(cat requests)"
	grep -q "(\($want\))\$" out || bad "debuginfod's file not used: $(tail -1 out) $(cat err)"
	# A module known only by the log's build ID: fetched through
	# libdebuginfod, which ksift loads at this first use.
	if [ -f modb.ko ]; then
		cp modb.ko served/$bid.debug
		mkdir -p emptyroot
		printf 'CPU: 0 PID: 1 Comm: x Not tainted 6.99.0-test #1\n mod_func+0x10/0x32 [mod_x %s]\n' \
			$bid > dbgdlog
		"$KSIFT" symbolize --debug-root emptyroot dbgdlog > out 2> err
		grep -q "^/buildid/$bid/debuginfo\$" requests ||
			bad "module not asked of debuginfod by build ID: $(cat requests)"
		grep -q "(\($(a2l -j .text -e mod-x.ko 0x10)\))\$" out ||
			bad "module from debuginfod not used: $(tail -1 out) $(cat err)"
		checks=$((checks + 2))
	fi
	unset DEBUGINFOD_URLS DEBUGINFOD_CACHE_PATH DEBUGINFOD_TIMEOUT
	kill $srvpid 2>/dev/null
	wait $srvpid 2>/dev/null
	checks=$((checks + 4))
else
	echo "note: no python3/objcopy: debuginfod checks not run"
fi

# Broken debuginfo: truncated ELF, garbage, wrong binary, unreadable root.
head -c 2000 vmlinux > trunc
head -c $(($(wc -c < vmlinux) * 2 / 3)) vmlinux > trunc2
for pct in 10 50 90; do head -c $(($(wc -c < vmlinux) * pct / 100)) vmlinux > trunc$pct; done
printf 'not an elf at all' > garbage
printf 'int main(void){return 0;}\n' > other.c && $CC -g -O2 -no-pie -o other other.c || exit 99
for bad_file in trunc trunc2 trunc10 trunc50 trunc90 garbage other nonexistent; do
	"$KSIFT" symbolize --vmlinux $bad_file --modules . log > out 2> err
	rc=$?
	[ $rc -eq 0 ] || bad "$bad_file: exit status $rc"
	[ "$(wc -l < out)" -eq "$(wc -l < log)" ] || bad "$bad_file: output incomplete"
	grep -q "$bad_file" err || bad "$bad_file: no warning naming the file"
	# Module frames still resolve.
	[ "$(grep -c 'mod_.*\[mod_x\] (symbols-fixture-mod.c' out)" -gt 0 ] ||
		bad "$bad_file: module frames not resolved"
done
# Malformed DWARF: section offset and size (decimal) of NAME in vmlinux.
section() {
	readelf -SW vmlinux | sed 's/\[ */[/' |
		awk -v n="$1" '$2 == n { printf "%d %d\n", "0x" $5, "0x" $6 }'
}
set -- $(section .debug_line)
[ $# -eq 2 ] || { echo "no .debug_line in the fixture"; exit 99; }
# Line table version 0xffff at offset 0 (the first CU's table): that CU's
# frames stay as printed, with a warning naming the file and the offset; the
# other CU (symbols-fixture-dup.c) and the module still resolve.
cp vmlinux badline
printf '\377\377' | dd of=badline bs=1 seek=$(($1 + 4)) conv=notrunc 2>/dev/null
"$KSIFT" symbolize --vmlinux badline --modules . log > out 2> err
[ $? -eq 0 ] || bad "malformed line table: nonzero exit"
grep -q 'badline: malformed line table at .debug_line offset 0x0: unsupported line table version' err ||
	bad "malformed line table not warned: $(cat err)"
[ "$(grep -c 'malformed line table' err)" -eq 1 ] || bad "malformed line table warned more than once"
[ "$(wc -l < out)" -eq "$(wc -l < log)" ] || bad "malformed line table: output incomplete"
grep -q 'dup_entry+.*(symbols-fixture-dup.c:' out || bad "malformed line table: other CU not resolved"
grep -q 'mod_func+.*(symbols-fixture-mod.c:' out || bad "malformed line table: module not resolved"
# Garbage in the middle of .debug_info: no crash, everything passes through.
set -- $(section .debug_info)
cp vmlinux badinfo
head -c 256 /dev/zero | tr '\0' '\377' | dd of=badinfo bs=1 seek=$(($1 + $2 / 2)) conv=notrunc 2>/dev/null
"$KSIFT" symbolize --vmlinux badinfo --modules . log > out 2> err
[ $? -eq 0 ] || bad "garbage .debug_info: nonzero exit"
[ "$(wc -l < out)" -eq "$(wc -l < log)" ] || bad "garbage .debug_info: output incomplete"
grep -q 'mod_func+.*(symbols-fixture-mod.c:' out || bad "garbage .debug_info: module not resolved"
checks=$((checks + 2))

head -c 1500 mod-x.ko > broken.ko
mkdir brokenmods && cp broken.ko brokenmods/mod_x.ko
"$KSIFT" symbolize --vmlinux vmlinux --modules brokenmods log > out 2> err
grep -q 'brokenmods/mod_x.ko' err || bad "truncated module not named in a warning"
[ "$(wc -l < out)" -eq "$(wc -l < log)" ] || bad "truncated module: output incomplete"
"$KSIFT" symbolize --debug-root "$tmp/no/such/root" log > out 2> err
[ $? -eq 0 ] || bad "missing debug root: nonzero exit"
grep -q 'cannot use debug root .*no/such/root: No such file' err || bad "missing debug root not named"
cmp -s out log || bad "missing debug root: output differs from input"
: > rootfile
"$KSIFT" symbolize --debug-root rootfile log > out 2> err
grep -q 'cannot use debug root rootfile: not a directory' err || bad "debug root that is a file not warned"
cmp -s out log || bad "debug root that is a file: output differs from input"
# Permissions do not stop root, so this one needs an ordinary user.
if [ "$(id -u)" -ne 0 ]; then
	mkdir -p closed/boot && cp vmlinux closed/boot/vmlinux-6.99.0-test && chmod 000 closed
	"$KSIFT" symbolize --debug-root closed log > out 2> err
	chmod 755 closed
	grep -q 'cannot read debug root closed: Permission denied' err || bad "unreadable debug root not warned"
	cmp -s out log || bad "unreadable debug root: output differs from input"
fi

# Usage errors.
"$KSIFT" symbolize --bogus >/dev/null 2>&1; [ $? -eq 2 ] || bad "bad option: exit status not 2"
"$KSIFT" symbolize nonexistent-input >/dev/null 2>&1; [ $? -eq 2 ] || bad "missing input: exit status not 2"
"$KSIFT" symbolize --help | grep -q 'usage: ksift symbolize' || bad "--help"

echo "symbols.sh: $checks frames compared with addr2line -i"
exit $fail
