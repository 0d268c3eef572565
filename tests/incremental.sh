#!/bin/bash
# Incremental scanning with --results: unchanged files skipped, grown files
# read from where the last run stopped (line numbers still those of the whole
# file), rotation by rename not scanned twice, truncated files read again,
# and a run killed with SIGKILL leaves a consistent database that the next
# run completes.
set -u
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
ksift=${KSIFT:-$(pwd)/analyzer/ksift}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0; pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
rows() { sqlite3 "$tmp/r.db" "SELECT count(*) FROM incidents"; }
a="$tmp/logs"
mkdir -p "$a"
cp "$top/corpus/kinds/hung-task-6.1.log" "$a/kern.log"
gzip -c "$top/corpus/kinds/gpf-5.4.log" > "$a/kern.log.2.gz"
cp "$top/corpus/kinds/oops-null-6.1.log" "$a/syslog"

"$ksift" scan -q --results "$tmp/r.db" "$a" > /dev/null
n1=$(rows)
[ "$n1" -ge 3 ] && ok || bad "first run recorded $n1 incidents"

# Nothing changed: nothing read, nothing added, exit 0 (nothing new).
"$ksift" scan --results "$tmp/r.db" "$a" > "$tmp/out" 2> "$tmp/err"; rc=$?
[ "$rc" -eq 0 ] && [ ! -s "$tmp/out" ] && ok || bad "unchanged re-run: exit $rc, output $(head -c 200 "$tmp/out")"
grep -q "3 files unchanged since the last scan" "$tmp/err" && ok || bad "unchanged: $(cat "$tmp/err")"
[ "$(rows)" -eq "$n1" ] && ok || bad "unchanged re-run added rows"

# The live log grows: only the new part is read; its line numbers are the file's.
before=$(wc -l < "$a/kern.log")
cat "$top/corpus/kinds/soft-lockup-5.10.log" >> "$a/kern.log"
"$ksift" scan --json --results "$tmp/r.db" "$a" > "$tmp/out" 2> "$tmp/err"
grep -q "read from where it stopped" "$tmp/err" && ok || bad "grown file: $(cat "$tmp/err")"
[ "$(grep -c '"kind"' "$tmp/out")" -eq 1 ] && ok || bad "grown file: $(grep -c '"kind"' "$tmp/out") incidents reported, expected the new one"
grep -q "\"line\":$((before + 1))," "$tmp/out" && ok || bad "grown file: line number not $((before + 1)): $(grep -o '"line":[0-9]*' "$tmp/out" | head -1)"
whole=$("$ksift" scan --json -q --no-db "$a/kern.log" | grep soft_lockup | grep -o '"source":{[^}]*}')
grep -q "$(printf '%s' "$whole" | sed 's/"path":"[^"]*",//')" <(grep -o '"source":{[^}]*}' "$tmp/out" | sed 's/"path":"[^"]*",//') && ok ||
	bad "grown file: source differs from a whole-file scan ($whole)"
[ "$(rows)" -eq $((n1 + 1)) ] && ok || bad "grown file: $(rows) rows, expected $((n1 + 1))"

# Rotation: renamed, the same file is not scanned again.
mv "$a/syslog" "$a/syslog.1"
"$ksift" scan --json --results "$tmp/r.db" "$a" > "$tmp/out" 2> "$tmp/err"
[ ! -s "$tmp/out" ] && grep -q "3 files unchanged" "$tmp/err" && ok || bad "rotation: $(cat "$tmp/err") $(head -c 200 "$tmp/out")"

# A copy is not a rename: while the recorded file is still there, another
# file with the same content (a second host's identical log) is its own.
mkdir -p "$tmp/twins/h1" "$tmp/twins/h2"
cp "$top/corpus/kinds/oops-null-6.1.log" "$tmp/twins/h1/dmesg"
"$ksift" scan -q --results "$tmp/twins.db" "$tmp/twins/h1/dmesg" > /dev/null
cp "$top/corpus/kinds/oops-null-6.1.log" "$tmp/twins/h2/dmesg"
"$ksift" scan -q --results "$tmp/twins.db" "$tmp/twins" > /dev/null 2>&1
[ "$(sqlite3 "$tmp/twins.db" "SELECT count(DISTINCT source_path) FROM incidents")" = 2 ] && ok ||
	bad "an identical file under another name, the first still there, was skipped"
# ...and once the first is gone, its copy elsewhere is that file moved.
mv "$tmp/twins/h1/dmesg" "$tmp/twins/dmesg.moved"; rm "$tmp/twins/h2/dmesg"
"$ksift" scan --json --results "$tmp/twins.db" "$tmp/twins" > "$tmp/out" 2> "$tmp/err"
[ ! -s "$tmp/out" ] && grep -q "1 file unchanged\|1 files unchanged" "$tmp/err" && ok ||
	bad "a moved file was scanned again: $(cat "$tmp/err")"

# Truncated and rewritten (copytruncate): read again from the start.
cp "$top/corpus/kinds/warning-new-5.15.log" "$a/kern.log"
"$ksift" scan --json --results "$tmp/r.db" "$a" > "$tmp/out" 2> "$tmp/err"
grep -q '"title":"WARNING in skb_try_coalesce"' "$tmp/out" && grep -q '"line":1,' "$tmp/out" && ok ||
	bad "truncated file not read again: $(head -c 300 "$tmp/out")"

# SIGKILL in the middle of a run: the database stays consistent, and the
# next run ends with exactly what one clean run records.
mkdir -p "$tmp/big"
for i in 1 2 3 4 5 6; do perl "$top/bench/gen-fleet.pl" 6 "$tmp/big/host$i.log" "$top/corpus/kinds" > /dev/null; done
"$ksift" scan -q --results "$tmp/clean.db" "$tmp/big" > /dev/null
"$ksift" scan -q --results "$tmp/k.db" "$tmp/big" > /dev/null &
pid=$!
sleep 0.15
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
[ "$(sqlite3 "$tmp/k.db" 'PRAGMA integrity_check' 2>&1)" = ok ] && ok || bad "killed run: database not consistent"
"$ksift" scan -q --results "$tmp/k.db" "$tmp/big" > /dev/null
q="SELECT source_path, source_line, kind, title FROM incidents ORDER BY 1, 2, 3, 4"
[ "$(sqlite3 "$tmp/k.db" "$q")" = "$(sqlite3 "$tmp/clean.db" "$q")" ] && ok || bad "after a kill, the next run does not complete the database"

echo "incremental: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
