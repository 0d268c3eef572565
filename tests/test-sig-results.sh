#!/bin/sh
# ksift scan --results: incidents and matches recorded once, however often
# the same files are scanned (also with -j and grouping); views answer
# "which hosts hit bug X"; a foreign or corrupt file is a clear error.
set -u
: "${KSIFT:?}" "${abs_top_srcdir:?}"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
seed="$abs_top_srcdir/../shared/corpus/seed"
[ -d "$seed" ] || seed="$abs_top_srcdir/corpus/signatures"
db="$tmp/results.db"

"$KSIFT" scan -q --results "$db" "$seed" >/dev/null; rc=$?
[ $rc -eq 1 ] || fail "first scan: exit $rc"
"$KSIFT" scan -q -j 3 --results "$db" "$seed" >/dev/null; rc=$?
[ $rc -eq 0 ] || fail "second scan (nothing new since the first): exit $rc"
"$KSIFT" scan -q -j 3 --rescan --results "$db" "$seed" >/dev/null; rc=$?
[ $rc -eq 1 ] || fail "--rescan: exit $rc"
if command -v sqlite3 >/dev/null; then
	n=$(sqlite3 "$db" 'SELECT count(*) FROM incidents')
	single=$("$KSIFT" scan -q --json "$seed" | wc -l)
	[ "$n" -eq "$single" ] || fail "$n incident rows for $single incidents"
	m=$(sqlite3 "$db" 'SELECT count(*) FROM incident_matches')
	[ "$m" -gt 0 ] || fail "no match rows"
	[ "$(sqlite3 "$db" 'PRAGMA user_version')" = 6 ] || fail "user_version"
	sqlite3 "$db" 'SELECT count(*) FROM bugs_by_host' >/dev/null || fail "bugs_by_host"
	sqlite3 "$db" 'SELECT signature_id FROM bugs_seen' >"$tmp/ids"
	if [ "$seed" = "$abs_top_srcdir/../shared/corpus/seed" ]; then
		for id in netns-copy_net_ns-net_mutex kvm-zap-rmapp-paging-request \
			xfs-shrink_slab-reclaim-deadlock kvm-mmu_lock-contention \
			tcp-mem-exhausted rhel7-ibrs-693.17.1; do
			grep -qx "$id" "$tmp/ids" || fail "$id not recorded"
		done
		[ "$(sqlite3 "$db" "SELECT host FROM bugs_by_host WHERE signature_id = 'kvm-zap-rmapp-paging-request'")" = example ] ||
			fail "host of the kvm_zap_rmapp incident"
	fi
fi
# Foreign and corrupt files: exit 2 with a message, file untouched.
echo "not a database at all, just some text that is long enough" >"$tmp/text.db"
"$KSIFT" scan -q --results "$tmp/text.db" "$seed" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] || fail "text file: exit $rc"
grep -q "not a database" "$tmp/err" || fail "text file: $(cat "$tmp/err")"
if [ -f "$abs_top_srcdir/signatures/bugs/tcp-mem-exhausted.sig" ] && [ -f signatures/ksift.db ]; then
	cp signatures/ksift.db "$tmp/sig.db"
	"$KSIFT" scan -q --results "$tmp/sig.db" "$seed" >/dev/null 2>"$tmp/err"; rc=$?
	[ $rc -eq 2 ] || fail "signature db as results: exit $rc"
	grep -q "not a ksift results database" "$tmp/err" || fail "$(cat "$tmp/err")"
	cmp -s signatures/ksift.db "$tmp/sig.db" || fail "signature db modified"
fi
echo ok
