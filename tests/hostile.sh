#!/bin/sh
# Hostile input, one fault injected per defect of issue 14 (faults.sh covers
# the results database's): an Oops behind NULs or without its header, log
# bytes that would drive a terminal (through every command), an endless
# flood under a memory limit, corrupt results and signature databases,
# links that lead nowhere, a damaged zstd stream, broken signature files.
# (-j line numbers: chunk-lines.sh.)
set -u
: "${KSIFT:?}" "${abs_top_srcdir:?}"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
pass=0 failed=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; failed=$((failed + 1)); }
check() {	# name, command...: the command must succeed
	name=$1; shift
	if "$@"; then ok; else bad "$name"; fi
}
oops="$abs_top_srcdir/corpus/kinds/oops-null-6.1.log"
damaged="$abs_top_srcdir/corpus/damaged"

# 1. NULs glued to the header, and reports whose header was lost.
{ printf 'x\n'; head -c 300 /dev/zero; cat "$oops"; } > "$tmp/nul.log"
out=$("$KSIFT" scan -q --json --no-db "$tmp/nul.log"); rc=$?
check "NUL run before the Oops: found (status 1)" [ $rc -eq 1 ]
check "NUL run before the Oops: its title" \
	sh -c 'printf "%s" "$1" | grep -q "\"title\":\"BUG: unable to handle kernel NULL pointer dereference in nvme_setup_io_queues\""' sh "$out"
for from in 2 5 9; do
	sed -n "$from,\$p" "$oops" > "$tmp/cut.log"
	out=$("$KSIFT" scan -q --json --no-db "$tmp/cut.log"); rc=$?
	check "header cut before line $from: found" [ $rc -eq 1 ]
	check "header cut before line $from: corrupted, header lost" \
		sh -c 'printf "%s" "$1" | grep -q "\"corrupted\":true,\"corrupt_reason\":\"header lost\""' sh "$out"
done
# ... also in a walked directory, where files are first sniffed for text.
mkdir -p "$tmp/dir"
{ head -c 6000 /dev/zero; cat "$oops"; } > "$tmp/dir/zeroed.log"
"$KSIFT" scan -q --no-db "$tmp/dir" > /dev/null 2> "$tmp/e"; rc=$?
check "a log led by 6000 NULs in a directory: scanned, found" [ $rc -eq 1 ]
check "a log led by NULs: no 'binary file' warning" sh -c '! grep -q binary "$1"' sh "$tmp/e"
# The registers oops_end() prints after the report are no report of their own.
out=$("$KSIFT" scan -q --json --no-db "$damaged/oops-then-executive-summary.log")
check "executive summary: the Oops and the panic only" [ "$(printf '%s\n' "$out" | wc -l)" -eq 2 ]
# A syslog host that is not UTF-8: kept escaped, the line still parsed.
sed 's/^/Nov 25 02:45:01 h\xff\xfest kernel: /' "$oops" > "$tmp/host.log"
out=$("$KSIFT" scan -q --json --no-db "$tmp/host.log"); rc=$?
check "invalid UTF-8 host: found" [ $rc -eq 1 ]
check "invalid UTF-8 host: escaped" sh -c 'printf "%s" "$1" | grep -q "\"host\":\"h\\\\\\\\xff\\\\\\\\xfest\""' sh "$out"

# 2. Nothing that drives a terminal reaches stdout or stderr, whatever the
# command: C0 but tab and newline, DEL, C1 (raw or as UTF-8), bidi overrides.
unsafe() {	# file: true when it holds such a byte
	perl -0777 -ne 'exit(/[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]/ ||
		/(?:^|[\x00-\x7f])[\x80-\xbf]/ ? 0 : 1)' "$1"
}
evil=$(printf 'ev\033[2J\010\177\302\233\342\200\256il')
cp "$damaged/control-characters.log" "$tmp/$evil.log"
mkdir -p "$tmp/sigs"
printf 'id: hostile-title\ntitle: T\033[2J\302\233\342\200\256x\nkind: hung_task\n' > "$tmp/sigs/hostile.sig"
"$KSIFT" db build "$tmp/sigs" -o "$tmp/h.db" 2> "$tmp/e0" || bad "db build of a hostile title"
"$KSIFT" scan -q --no-db --results "$tmp/r.db" "$tmp/$evil.log" > /dev/null 2>&1
sqlite3 "$tmp/r.db" "UPDATE incidents SET host = 'h' || char(27) || '[2J' || char(155) || char(8238)" ||
	bad "sqlite3 could not plant a hostile host"
terminal_safe() {	# name, command...: neither stdout nor stderr unsafe
	name=$1; shift
	"$@" > "$tmp/o" 2> "$tmp/e"
	if unsafe "$tmp/o"; then bad "$name: control characters on stdout"; else ok; fi
	if unsafe "$tmp/e"; then bad "$name: control characters on stderr"; else ok; fi
}
for cmd in "scan -q --no-db" "scan -q --json --no-db" "scan -q --db $tmp/h.db" "show --no-db"; do
	terminal_safe "$cmd" $KSIFT $cmd "$tmp/$evil.log" "$tmp/nothere$evil"
done
terminal_safe "report" "$KSIFT" report "$tmp/r.db"
grep -q 'h\\x1b\[2J\\u009b\\u202e' "$tmp/o" || bad "report: the hostile host shown escaped"
terminal_safe "report --json" "$KSIFT" report --json "$tmp/r.db"
terminal_safe "db list" "$KSIFT" db list --db "$tmp/h.db"
grep -q 'T\\x1b\[2J\\u009b\\u202ex' "$tmp/o" || bad "db list: the hostile title shown escaped"
terminal_safe "db show" "$KSIFT" db show hostile-title --db "$tmp/h.db"
terminal_safe "db test" "$KSIFT" db test "$tmp/sigs"
terminal_safe "an error naming a hostile path" "$KSIFT" scan -q "$tmp/nothere$evil"
terminal_safe "symbolize" "$KSIFT" symbolize --no-debuginfod "$tmp/$evil.log"
terminal_safe "symbolize --json" "$KSIFT" symbolize --no-debuginfod --json "$tmp/$evil.log"

# 3. An endless lockup flood in bounded memory: 300,000 one-line reports
# (they took 370 MB before floods were bounded), fed through a pipe; the
# peak RSS (VmHWM) is read while ksift still waits for the end of its input.
# (Under AddressSanitizer, whose shadow memory and quarantine make RSS say
# nothing about ksift's, only the counts are checked.)
perl -e 'for (my $i = 0; $i < 300000; $i++) {
	printf "[%12.6f] watchdog: BUG: soft lockup - CPU#%d stuck for 22s! [kworker/%d:1:%d]\n",
		100 + $i / 1000, $i % 64, $i % 64, 1000 + $i % 64 }' > "$tmp/flood.log"
mkfifo "$tmp/fifo"
"$KSIFT" scan -q --json --no-db - < "$tmp/fifo" > "$tmp/flood.json" &
pid=$!
exec 3> "$tmp/fifo"
cat "$tmp/flood.log" >&3
sleep 1
hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
exec 3>&-
wait $pid; rc=$?
if grep -q __asan_init "$KSIFT" 2>/dev/null; then
	ok
else
	check "flood: peak RSS ${hwm:-?} kB under 64 MiB" [ "${hwm:-999999}" -lt 65536 ]
fi
check "flood: status 1" [ $rc -eq 1 ]
check "flood: one record counting 300000" grep -q '"flood_size":300000' "$tmp/flood.json"
check "flood: members counted, not kept" grep -q '"members_omitted":299472' "$tmp/flood.json"

# 4. Corrupt databases: an error naming the file, status 2, never a report.
"$KSIFT" scan -q --no-db --results "$tmp/ok.db" "$abs_top_srcdir/corpus/kinds" > /dev/null
sqlite3 "$tmp/ok.db" 'PRAGMA wal_checkpoint(TRUNCATE)' > /dev/null
root=$(sqlite3 "$tmp/ok.db" "SELECT rootpage FROM sqlite_master WHERE name = 'incidents'")
cp "$tmp/ok.db" "$tmp/corrupt.db"
perl -e 'open my $f, "+<", $ARGV[0] or die; seek $f, ($ARGV[1] - 1) * 4096 + 8, 0; print $f "\xde\xad\xbe\xef" x 40' \
	"$tmp/corrupt.db" "$root"
for cmd in "report" "report --json" "report --check"; do
	$KSIFT $cmd "$tmp/corrupt.db" > "$tmp/o" 2> "$tmp/e"; rc=$?
	check "$cmd, corrupt results: status 2" [ $rc -eq 2 ]
	check "$cmd, corrupt results: says so" grep -q "^ksift: $tmp/corrupt.db: database disk image is malformed" "$tmp/e"
	check "$cmd, corrupt results: no report" [ ! -s "$tmp/o" ]
done
"$KSIFT" merge "$tmp/m.db" "$tmp/corrupt.db" 2> "$tmp/e"; rc=$?
check "merge, corrupt input: status 2" [ $rc -eq 2 ]
check "merge, corrupt input: says so" grep -q "^ksift: $tmp/corrupt.db: database disk image is malformed" "$tmp/e"
# An archive header that declares a huge name (cpio namesize 1.7 GB in a 6 KB
# file, found by fuzz-archive): bounded memory, and under an address-space
# limit a clear error naming the file, status 2.
arc="$abs_top_srcdir/tests/fuzz/regressions/archive-cpio-huge-namesize"
if grep -q __asan_init "$KSIFT" 2>/dev/null; then	# no ulimit -v with ASan's shadow
	"$KSIFT" scan -q --no-db "$arc" > "$tmp/o" 2> "$tmp/e"; rc=$?
else
	( ulimit -v 600000; "$KSIFT" scan -q --no-db "$arc" ) > "$tmp/o" 2> "$tmp/e"; rc=$?
fi
check "huge cpio name under ulimit: status 2" [ $rc -eq 2 ]
check "huge cpio name: names the archive" grep -q "archive-cpio-huge-namesize: corrupt archive" "$tmp/e"
# rematch and db review read every stored incident and boot: the same.
for cmd in "rematch -q" "db review"; do
	$KSIFT $cmd "$tmp/corrupt.db" > "$tmp/o" 2> "$tmp/e"; rc=$?
	check "$cmd, corrupt results: status 2" [ $rc -eq 2 ]
	check "$cmd, corrupt results: says so" grep -q "^ksift: .*corrupt.db: database disk image is malformed" "$tmp/e"
done
"$KSIFT" report --check "$tmp/ok.db" > /dev/null; rc=$?
check "report --check, sound database: status 0" [ $rc -eq 0 ]
cp "$abs_top_srcdir/signatures/ksift.db" "$tmp/sig.db" 2>/dev/null || cp signatures/ksift.db "$tmp/sig.db"
perl -e 'open my $f, "+<", $ARGV[0] or die; seek $f, 4096 + 8, 0; print $f "\xde\xad\xbe\xef" x 40' "$tmp/sig.db"
for cmd in "db list --db $tmp/sig.db" "db show l1tf-smt-vulnerable --db $tmp/sig.db" \
	"scan -q --db $tmp/sig.db $oops"; do
	$KSIFT $cmd > /dev/null 2> "$tmp/e"; rc=$?
	check "$cmd, corrupt signatures: status 2" [ $rc -eq 2 ]
	check "$cmd, corrupt signatures: says so" grep -q "^ksift: $tmp/sig.db: database disk image is malformed" "$tmp/e"
done

# 6. Links inside a walked directory that lead nowhere are named.
mkdir -p "$tmp/walk"
cp "$oops" "$tmp/walk/a.log"
ln -s "$tmp/walk/gone.log" "$tmp/walk/dangling.log"
ln -s "$tmp/walk/loop2" "$tmp/walk/loop1"
ln -s "$tmp/walk/loop1" "$tmp/walk/loop2"
"$KSIFT" scan -q --no-db "$tmp/walk" > /dev/null 2> "$tmp/e"; rc=$?
check "walk with bad links: the log still scanned" [ $rc -eq 1 ]
check "walk: dangling link named" grep -q "^ksift: warning: $tmp/walk/dangling.log: dangling symbolic link" "$tmp/e"
check "walk: link loop named" grep -q "^ksift: warning: $tmp/walk/loop1: symbolic link loop" "$tmp/e"
# A damaged zstd stream: where, not "byte 0".
perl -e 'srand(7); for (1 .. 60000) { printf "[%10.6f] eth0: link %08x up %d\n", $_ / 100, int(rand(2**32)), int(rand(2**30)) }' |
	zstd -q -c > "$tmp/z.zst"
size=$(stat -c %s "$tmp/z.zst")
perl -e 'open my $f, "+<", $ARGV[0] or die; seek $f, int($ARGV[1] * 2 / 3), 0; print $f "\xff" x 32' "$tmp/z.zst" "$size"
"$KSIFT" scan -q --no-db "$tmp/z.zst" > /dev/null 2> "$tmp/e"; rc=$?
check "damaged zstd: status 2" [ $rc -eq 2 ]
at=$(sed -n 's/.*corrupt zstd data near compressed byte \([0-9]*\).*/\1/p' "$tmp/e")
check "damaged zstd: placed in the block holding the damage ($at)" \
	[ "${at:-0}" -gt 0 ] && [ "${at:-0}" -le $((size * 2 / 3)) ] && [ $((size * 2 / 3 - ${at:-0})) -lt 262144 ]
# Signature files: NUL bytes, empty and match-everything regexes refused,
# every message with the ksift: prefix.
printf 'id: a\000b\ntitle: t\nkind: oops\n' > "$tmp/nul.sig"
printf 'id: e\ntitle: t\nboot-regex:\n' > "$tmp/empty.sig"
printf 'id: s\ntitle: t\ntext-regex: (x)?\n' > "$tmp/star.sig"
for s in nul empty star; do
	"$KSIFT" db test "$tmp/$s.sig" > /dev/null 2> "$tmp/e-$s"; rc=$?
	check "$s.sig refused (status 2)" [ $rc -eq 2 ]
	check "$s.sig: messages start with ksift:" sh -c '[ -s "$1" ] && ! grep -qv "^ksift: " "$1"' sh "$tmp/e-$s"
done
check "NUL in a signature line named" grep -q "nul.sig:1: NUL byte in the line" "$tmp/e-nul"
check "an empty regex named" grep -q "empty.sig:3: 'boot-regex' is empty" "$tmp/e-empty"
check "a match-everything regex named" grep -q "star.sig:3: regex '(x)?' matches the empty string" "$tmp/e-star"

echo "hostile: $pass passed, $failed failed"
[ "$failed" -eq 0 ]
