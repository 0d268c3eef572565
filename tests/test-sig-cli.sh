#!/bin/sh
# ksift db build/export/list/show/add from the command line: file:line
# errors with nothing written, byte-identical round trip, corrupt files.
set -u
: "${KSIFT:?}" "${abs_top_srcdir:?}"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
sigs="$abs_top_srcdir/signatures/bugs"

"$KSIFT" db build "$sigs" -o "$tmp/k.db" 2>"$tmp/err" || fail "build: $(cat "$tmp/err")"
"$KSIFT" db export "$tmp/k.db" -o "$tmp/out" || fail "export"
diff -r "$sigs" "$tmp/out" >"$tmp/diff" || fail "round trip differs: $(cat "$tmp/diff")"
n=$(ls "$sigs"/*.sig | wc -l)
[ "$("$KSIFT" db list --db "$tmp/k.db" | wc -l)" -eq "$n" ] || fail "list count"
"$KSIFT" db list --db "$tmp/k.db" | grep -q '^rhel7-ibrs-693.17.1 .*condition' || fail "list row"
"$KSIFT" db show rhel7-ibrs-693.17.1 --db "$tmp/k.db" | cmp -s - "$sigs/rhel7-ibrs-693.17.1.sig" ||
	fail "show differs from the file"
"$KSIFT" db show no-such --db "$tmp/k.db" 2>/dev/null && fail "show of a missing id succeeded"
KSIFT_DB="$tmp/k.db" "$KSIFT" db list | grep -q tcp-mem-exhausted || fail "KSIFT_DB ignored"

# Errors name file:line; nothing is written (the old database stays).
mkdir "$tmp/bad"
cp "$sigs/tcp-mem-exhausted.sig" "$tmp/bad/"
printf 'id: broken\ntitle: t\nseverity: low\nkind: oops\ntext-regex: (unclosed\n' > "$tmp/bad/broken.sig"
printf 'id: other\ntitle: t\nseverity: low\nkind: oops\nframes:\n  a\n  ...\n' > "$tmp/bad/other.sig"
cp "$tmp/k.db" "$tmp/before.db"
"$KSIFT" db build "$tmp/bad" -o "$tmp/k.db" 2>"$tmp/err" && fail "bad build succeeded"
grep -q "broken.sig:5: text-regex: missing closing parenthesis at offset 9" "$tmp/err" || fail "$(cat "$tmp/err")"
grep -q "other.sig:7: frames: a trailing '...' is implicit" "$tmp/err" || fail "$(cat "$tmp/err")"
cmp -s "$tmp/k.db" "$tmp/before.db" || fail "database changed by a failed build"
"$KSIFT" db build "$tmp/bad" -o "$tmp/new.db" 2>/dev/null
[ -e "$tmp/new.db" ] && fail "failed build wrote a file"
ls "$tmp" | grep -q tmp && fail "temporary file left behind"
printf 'id: dup\ntitle: t\nseverity: low\nkind: oops\n' > "$tmp/bad/broken.sig"
printf 'id: dup\ntitle: t\nseverity: low\nkind: oops\n' > "$tmp/bad/other.sig"
"$KSIFT" db build "$tmp/bad" -o "$tmp/new.db" 2>"$tmp/err" && fail "duplicate ids accepted"
grep -q "other.sig:1: duplicate id 'dup'" "$tmp/err" || fail "$(cat "$tmp/err")"

# db add: to a new file and to an existing one; two at once.
"$KSIFT" db add "$sigs/tcp-mem-exhausted.sig" --db "$tmp/added.db" || fail "add"
"$KSIFT" db add "$sigs/list-corruption.sig" --db "$tmp/added.db" &
"$KSIFT" db add "$sigs/workqueue-lockup.sig" --db "$tmp/added.db" &
wait
[ "$("$KSIFT" db list --db "$tmp/added.db" | wc -l)" -eq 3 ] || fail "concurrent add lost a row"
"$KSIFT" db add "$tmp/bad/other.sig" --db "$tmp/added.db" || fail "add of a valid file"
printf 'id: x\ntitle: t\nseverity: loud\n' > "$tmp/x.sig"
"$KSIFT" db add "$tmp/x.sig" --db "$tmp/added.db" 2>"$tmp/err" && fail "bad add succeeded"
grep -q "x.sig:3: severity: 'loud'" "$tmp/err" || fail "$(cat "$tmp/err")"

# Corrupt and foreign files: a clear error and exit 2, no crash.
head -c 3000 "$tmp/k.db" > "$tmp/cut.db"
"$KSIFT" db list --db "$tmp/cut.db" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] || fail "truncated db: exit $rc"
grep -q "^ksift: " "$tmp/err" || fail "truncated db: $(cat "$tmp/err")"
echo "hello" > "$tmp/text.db"
"$KSIFT" db list --db "$tmp/text.db" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] || fail "text file: exit $rc"
grep -q "not a database" "$tmp/err" || fail "text file: $(cat "$tmp/err")"
"$KSIFT" db add "$sigs/tcp-mem-exhausted.sig" --db "$tmp/text.db" 2>/dev/null && fail "add into a non-database"
"$KSIFT" db frobnicate 2>/dev/null; [ $? -eq 2 ] || fail "unknown subcommand"
# Results: recorded once however often the same logs are scanned.
logs="$abs_top_srcdir/corpus/signatures/kvm-zap-rmapp-paging-request/syslog-4.4-numa.log
$abs_top_srcdir/corpus/signatures/rhel7-ibrs-693.17.1/syslog-centos7-guest.log
$abs_top_srcdir/corpus/signatures/netns-copy_net_ns-net_mutex/counter-rtnl_lock.log"
# shellcheck disable=SC2086
"$KSIFT" db match --sigs "$sigs" --results "$tmp/results.db" $logs >/dev/null || fail "match --results"
# shellcheck disable=SC2086
"$KSIFT" db match --sigs "$sigs" --results "$tmp/results.db" $logs >/dev/null || fail "match --results again"
if command -v sqlite3 >/dev/null; then
	[ "$(sqlite3 "$tmp/results.db" 'SELECT count(*) FROM incidents')" = 3 ] || fail "incident rows"
	[ "$(sqlite3 "$tmp/results.db" 'SELECT count(*) FROM incident_matches')" = 2 ] || fail "match rows"
	[ "$(sqlite3 "$tmp/results.db" "SELECT host || ' ' || incidents FROM bugs_by_host WHERE signature_id = 'kvm-zap-rmapp-paging-request'")" = "compute-114 1" ] || fail "bugs_by_host"
	[ "$(sqlite3 "$tmp/results.db" "SELECT kind FROM incidents WHERE host = 'web-vm-031'")" = condition ] || fail "condition row"
fi
"$KSIFT" db match --sigs "$sigs" --results "$tmp/text.db" $logs >/dev/null 2>"$tmp/err" && fail "results into a non-database"
grep -q "not a database" "$tmp/err" || fail "results error: $(cat "$tmp/err")"

# Every shipped signature is listed in signatures/Makefile.inc (rebuild rule).
for f in "$sigs"/*.sig; do
	grep -q "signatures/bugs/$(basename "$f")" "$abs_top_srcdir/signatures/Makefile.inc" ||
		fail "$(basename "$f") missing from SIG_FILES in signatures/Makefile.inc"
done
echo ok
