#!/bin/bash
# Ingest and bad input: compression by content, concatenated members, broken
# streams, binary garbage, NULs, invalid UTF-8, huge lines, reports cut at EOF,
# unreadable inputs, stdin and directory walks. Each case checks what a user
# would: the incidents still found, the message naming the file, the exit
# status.
set -u
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
ksift=${KSIFT:-$(pwd)/analyzer/ksift}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0; pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
titles() { grep -o '"title":"[^"]*"' | sort; }
valid_json() { python3 -c 'import json,sys
for l in sys.stdin: json.loads(l)' ; }

src="$top/corpus/formats/multihost.log"
plain=$("$ksift" scan --json -q "$src" | titles)
[ -n "$plain" ] || bad "multihost sample gives no incident"

# --- compression by magic bytes, whatever the name says -----------------------
head -n 7 "$src" | gzip -c > "$tmp/kern.log.2.gz"
tail -n +8 "$src" | gzip -c >> "$tmp/kern.log.2.gz"	# two members
xz -c "$src" > "$tmp/messages-20240101.xz"
zstd -q -c "$src" > "$tmp/syslog.zst"
bzip2 -c "$src" > "$tmp/syslog.1.bz2"
gzip -c "$src" > "$tmp/misnamed.log"
cp "$src" "$tmp/misnamed.gz"
for f in kern.log.2.gz messages-20240101.xz syslog.zst syslog.1.bz2 misnamed.log misnamed.gz; do
	got=$("$ksift" scan --json -q "$tmp/$f" | titles)
	[ "$got" = "$plain" ] && ok || bad "$f: incidents differ from the plain file"
done

# --- broken compressed streams: error names file and offset, earlier incidents kept
big="$tmp/big.log"
# Incompressible filler between reports so every format spans many blocks.
perl -e 'srand(3); local $/; open(F, "<", $ARGV[0]) or die; $r = <F>;
	for $i (1..40) { for (1..2000) { printf "[ %d.%06d] noise %08x%08x%08x\n", $i, $_,
		int(rand(2**32)), int(rand(2**32)), int(rand(2**32)) } print $r }' \
	"$top/corpus/kinds/hung-task-6.1.log" > "$big"
sed 's/^\[ 7380/[ 9999/' "$top/corpus/kinds/oops-null-6.1.log" >> "$big"
n_all=$("$ksift" scan --json -q "$big" | wc -l)
for z in gzip xz zstd bzip2; do
	"$z" -c "$big" > "$tmp/full.$z"
	size=$(stat -c %s "$tmp/full.$z")
	head -c $((size * 2 / 3)) "$tmp/full.$z" > "$tmp/cut.$z"
	out=$("$ksift" scan --json -q "$tmp/cut.$z" 2>"$tmp/err"); rc=$?
	[ "$rc" -eq 2 ] && ok || bad "$z truncated: exit $rc, expected 2"
	grep -q "cut.$z: .*byte [0-9]" "$tmp/err" && ok || bad "$z truncated: message lacks file/offset: $(cat "$tmp/err")"
	n=$(printf '%s' "$out" | grep -c '"kind"')
	{ [ "$n" -gt 0 ] && [ "$n" -lt "$n_all" ]; } && ok || bad "$z truncated: $n incidents (of $n_all) before the cut"
done
# corrupt bytes in the middle of a gzip member
cp "$tmp/full.gzip" "$tmp/flip.gz"
printf '\xff\xff\xff\xff\xff\xff\xff\xff' | dd of="$tmp/flip.gz" bs=1 seek=2000 conv=notrunc 2>/dev/null
"$ksift" scan --json -q "$tmp/flip.gz" >/dev/null 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] && grep -q "flip.gz: corrupt gzip" "$tmp/err" && ok || bad "corrupt gzip: exit $rc, $(cat "$tmp/err")"

# --- binary garbage: named explicitly it is scanned without crashing; in a
# directory walk it is skipped with a warning
perl -e 'srand(7); print map { chr(int(rand(256))) } 1..200000' > "$tmp/garbage.bin"
"$ksift" scan --json -q "$tmp/garbage.bin" >/dev/null 2>&1; rc=$?
{ [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]; } && ok || bad "garbage: exit $rc"
mkdir -p "$tmp/dir/b" "$tmp/dir/a"
cp "$tmp/garbage.bin" "$tmp/dir/core.bin"
cp "$top/corpus/kinds/gpf-5.4.log" "$tmp/dir/b/2.log"
cp "$top/corpus/kinds/warning-new-5.15.log" "$tmp/dir/a/1.log"
out=$("$ksift" scan --json -q "$tmp/dir" 2>"$tmp/err")
grep -q "core.bin: binary file skipped" "$tmp/err" && ok || bad "dir walk: binary not reported"
first=$(printf '%s\n' "$out" | head -1 | grep -o '"path":"[^"]*"')
[ "$first" = "\"path\":\"$tmp/dir/a/1.log\"" ] && ok || bad "dir walk not sorted: $first"

# --- NULs, invalid UTF-8, CRLF inside a report: found, JSON valid
{ printf '[ 1.000] BUG: unable to handle kernel paging request at 0000000000001000\r\n'
  printf '[ 1.001] CPU: 0 PID: 7 Comm: b\xffd\xc3\x28name Not tainted 6.1.0 #1\r\n'
  printf '[ 1.002] RIP: 0010:f\x00oo_bar+0x1/0x2\r\n'
  printf '[ 1.003] Call Trace:\r\n[ 1.004]  real_caller+0x10/0x20\r\n'; } > "$tmp/nul.log"
out=$("$ksift" scan --json -q "$tmp/nul.log")
printf '%s\n' "$out" | valid_json && ok || bad "invalid UTF-8/NUL: JSON does not parse"
printf '%s' "$out" | grep -q '"title":"BUG: unable to handle kernel paging request in foo_bar"' && ok ||
	bad "NUL inside a report: $out"

# --- a 10 MB line before a report: cut with a warning, the report still found
{ head -c 10485760 /dev/zero | tr '\0' 'x'; echo; cat "$top/corpus/kinds/hung-task-6.1.log"; } > "$tmp/long.log"
out=$("$ksift" scan --json -q "$tmp/long.log" 2>"$tmp/err")
printf '%s' "$out" | grep -q '"title":"INFO: task hung in jbd2_journal_commit_transaction"' && ok || bad "10 MB line: report lost"
printf '%s' "$out" | grep -q '"line":2,' && ok || bad "10 MB line: line numbers wrong"
# Read line by line the long line is cut with a warning (the fast path may
# skip it whole: it holds nothing to find).
"$ksift" scan --json -q --no-prefilter "$tmp/long.log" 2>"$tmp/err" | grep -q '"line":2,' && ok ||
	bad "10 MB line, --no-prefilter: report lost"
grep -q "long.log: 1 lines longer than 64 KiB were cut" "$tmp/err" && ok || bad "10 MB line: no warning"

# --- a report cut off at the end of the file
head -n 3 "$top/corpus/kinds/oops-null-6.1.log" > "$tmp/cut.log"
out=$("$ksift" scan --json -q "$tmp/cut.log")
printf '%s' "$out" | grep -q '"corrupted":true,"corrupt_reason":"cut off at end of input"' && ok ||
	bad "cut report: $out"

# --- unreadable and missing inputs: error naming them, the rest still scanned
out=$("$ksift" scan --json -q /proc/self/mem "$tmp/nope.log" "$top/corpus/kinds/gpf-5.4.log" 2>"$tmp/err"); rc=$?
[ "$rc" -eq 2 ] && ok || bad "unreadable inputs: exit $rc, expected 2"
grep -q "/proc/self/mem: read error" "$tmp/err" && ok || bad "unreadable: $(cat "$tmp/err")"
grep -q "nope.log: No such file" "$tmp/err" && ok || bad "missing: $(cat "$tmp/err")"
printf '%s' "$out" | grep -q 'general protection fault in tcp_rack_detect_loss' && ok || bad "good file not scanned after errors"

# --- stdin, exit statuses
out=$(gzip -c "$top/corpus/kinds/panic-vfs.log" | "$ksift" scan --json -q -); rc=$?
[ "$rc" -eq 1 ] && printf '%s' "$out" | grep -q '"path":"-"' && ok || bad "stdin: exit $rc"
printf 'nothing to see\n' | "$ksift" scan -q -; rc=$?
[ "$rc" -eq 0 ] && ok || bad "clean input: exit $rc, expected 0"
"$ksift" scan --bogus >/dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] && ok || bad "usage error: exit $rc, expected 2"

# --- inputs that once crashed a fuzzer: scanned cleanly, in both paths
for f in "$top"/tests/fuzz/regressions/*; do
	[ -f "$f" ] || continue
	for mode in "" --no-prefilter; do
		"$ksift" scan --json -q $mode "$f" > "$tmp/out" 2>&1; rc=$?
		# 0 or 1; or 2 (an input error) with a message naming the file,
		# as a broken archive gives: never a crash or a silent failure.
		{ [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] ||
		  { [ "$rc" -eq 2 ] && grep -q "^ksift: $f: " "$tmp/out"; }; } && ok ||
			bad "regression $(basename "$f") $mode: exit $rc"
		valid_json < "$tmp/out" 2>/dev/null || grep -q '^ksift' "$tmp/out" || bad "regression $(basename "$f"): bad JSON"
	done
done

echo "bad-input: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
