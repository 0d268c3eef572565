#!/bin/bash
# ksift db: build (and its errors), export round trip, list/show, concurrent
# add, corrupt and foreign files, scan --db/--no-db/KSIFT_DB, and `db test`
# over the shipped signatures and the whole corpus.
set -u
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
ksift=${KSIFT:-$(pwd)/analyzer/ksift}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0; pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# Every shipped signature against its examples and counter-examples, and all
# of them against corpus/.
nsigs=$(ls "$top/signatures/bugs"/*.sig | wc -l)
"$ksift" db test "$top/signatures/bugs" --corpus "$top/corpus" > "$tmp/test.out"; rc=$?
[ "$rc" -eq 0 ] && ok || { bad "db test: exit $rc"; cat "$tmp/test.out"; }
grep -q "$nsigs signatures, .* 0 misses, 0 unexpected matches, 0 empty counter-examples, 0 overlaps" "$tmp/test.out" && ok || bad "db test: $(tail -1 "$tmp/test.out")"
# The archive review of the shipped corpus: every signature matches
# something, no incident is claimed by two unrelated signatures.
"$ksift" db review "$top/corpus" --db "$top/signatures/bugs" > "$tmp/review.out"; rc=$?
[ "$rc" -eq 0 ] && grep -q "^review: $nsigs signatures over .*: $nsigs matched, 0 never matched, 0 overlapping incidents" "$tmp/review.out" &&
	ok || { bad "db review of the shipped corpus: exit $rc"; sed -n '/^Never matched/,/^Unknown/p' "$tmp/review.out"; }

# build, list, show, export round trip (byte for byte).
"$ksift" db build "$top/signatures/bugs" -o "$tmp/k.db" 2>/dev/null && ok || bad "build"
n=$("$ksift" db list --db "$tmp/k.db" | wc -l)
[ "$n" -eq "$nsigs" ] && ok || bad "list: $n rows, expected $nsigs"
"$ksift" db show --db "$tmp/k.db" tcp-mem-exhausted | cmp -s - "$top/signatures/bugs/tcp-mem-exhausted.sig" && ok || bad "show differs from the file"
"$ksift" db show --db "$tmp/k.db" no-such-id 2>/dev/null; [ $? -eq 2 ] && ok || bad "show of a missing id"
"$ksift" db export "$tmp/k.db" -o "$tmp/out" && diff -r -x aliases "$top/signatures/bugs" "$tmp/out" >/dev/null &&
	cmp -s "$top/signatures/aliases" "$tmp/out/aliases" && ok || bad "export is not identical"

# build errors name FILE:LINE, and nothing is written.
mkdir -p "$tmp/badsigs"
cp "$top/signatures/bugs/tcp-mem-exhausted.sig" "$tmp/badsigs/"
printf 'id: broken\ntitle: t\nkind: oops\ntext-regex: (unclosed\n' > "$tmp/badsigs/broken.sig"
printf 'id: tcp-mem-exhausted\ntitle: dup\nkind: oops\n' > "$tmp/badsigs/dup.sig"
"$ksift" db build "$tmp/badsigs" -o "$tmp/bad.db" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] && ok || bad "bad build: exit $rc"
grep -q "broken.sig:4: regex does not compile at offset 9" "$tmp/err" && ok || bad "regex error: $(cat "$tmp/err")"
grep -q "tcp-mem-exhausted.sig:1: id 'tcp-mem-exhausted' is already used by .*dup.sig" "$tmp/err" && ok || bad "duplicate id: $(cat "$tmp/err")"
[ ! -e "$tmp/bad.db" ] && ok || bad "a database was written despite errors"

# add: one signature, in a transaction; two writers at once are both kept.
cp "$tmp/k.db" "$tmp/add.db"
for i in 1 2 3 4 5 6; do
	printf 'id: extra-%s\ntitle: extra %s\nkind: oops\ntitle-regex: ^never %s$\n' "$i" "$i" "$i" > "$tmp/extra$i.sig"
done
for i in 1 2 3 4 5 6; do "$ksift" db add --db "$tmp/add.db" "$tmp/extra$i.sig" & done
wait
n=$("$ksift" db list --db "$tmp/add.db" | wc -l)
[ "$n" -eq $((nsigs + 6)) ] && ok || bad "concurrent add: $n signatures, expected $((nsigs + 6))"
"$ksift" db add --db "$tmp/add.db" "$tmp/badsigs/broken.sig" 2>/dev/null; [ $? -eq 2 ] && ok || bad "add of a broken file"

# Corrupt, foreign and missing databases: a clear error, exit 2.
head -c 5000 /dev/urandom > "$tmp/garbage.db"
"$ksift" db list --db "$tmp/garbage.db" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] && grep -q "garbage.db: " "$tmp/err" && ok || bad "garbage db: exit $rc $(cat "$tmp/err")"
sqlite3 "$tmp/foreign.db" "CREATE TABLE t(x); INSERT INTO t VALUES(1);"
"$ksift" scan -q --db "$tmp/foreign.db" "$top/corpus/kinds/gpf-5.4.log" 2>"$tmp/err" >/dev/null; rc=$?
[ "$rc" -eq 2 ] && grep -q "foreign.db: not a ksift signature database" "$tmp/err" && ok || bad "foreign db: exit $rc $(cat "$tmp/err")"
cp "$tmp/k.db" "$tmp/trunc.db"; truncate -s 3000 "$tmp/trunc.db"
"$ksift" db list --db "$tmp/trunc.db" >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "truncated db accepted"
"$ksift" db list --db "$tmp/none.db" 2>"$tmp/err"; [ $? -eq 2 ] && grep -q "none.db: No such file" "$tmp/err" && ok || bad "missing db"

# scan picks the database: --db, KSIFT_DB, --no-db.
log="$top/corpus/formats/rsyslog-iso.log"
"$ksift" scan --json -q --db "$tmp/k.db" "$log" | grep -q '"id":"kvm-mmu_lock-contention"' && ok || bad "--db"
KSIFT_DB="$tmp/k.db" "$ksift" scan --json -q "$log" | grep -q '"id":"kvm-mmu_lock-contention"' && ok || bad "KSIFT_DB"
"$ksift" scan --json -q --no-db "$log" | grep -q '"matches":\[\]' && ok || bad "--no-db"
# A hostile signature: the match limit makes it "no match" with one warning.
printf 'id: slow\ntitle: t\ntext-regex: ^(a|a|aa)*c\n' > "$tmp/slowsigs.sig"
mkdir -p "$tmp/slow" && mv "$tmp/slowsigs.sig" "$tmp/slow/"
"$ksift" db build "$tmp/slow" -o "$tmp/slow.db" 2>/dev/null
# "a…abc": a 'c' is present, so PCRE2 must backtrack through every way
# (a|a|aa)* can split 40 a's before failing on the 'b'.
perl -e 'print "[ 1.0] BUG: unable to handle kernel paging request at 0\n"; print "[ 1.1] ", "a" x 40, "bc\n" for 1..3' > "$tmp/slow.log"
timeout 20 "$ksift" scan --json -q --db "$tmp/slow.db" "$tmp/slow.log" > "$tmp/out.json" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 1 ] && ok || bad "hostile regex: exit $rc (124 = hung)"
[ "$(grep -c 'signature slow: regex hit its match limit' "$tmp/err")" -eq 1 ] && ok || bad "limit warning: $(cat "$tmp/err")"

# count + kernel is about incidents, not a boot condition: it matches a flood.
mkdir -p "$tmp/cnt"
printf 'id: many-on-4x\ntitle: t\ncount: 2\nkernel: >= 4.0\n' > "$tmp/cnt/a.sig"
printf '[ 1.0] Linux version 4.9.0 (gcc) #1\n[ 10.000001] TCP: out of memory -- consider tuning tcp_mem\n[ 10.100001] TCP: out of memory -- consider tuning tcp_mem\n[ 10.200001] TCP: out of memory -- consider tuning tcp_mem\n' > "$tmp/cnt/t.log"
"$ksift" scan --json -q --db "$tmp/cnt" "$tmp/cnt/t.log" | grep -q '"id":"many-on-4x"' && ok ||
	bad "a count + kernel signature was taken for a boot condition"

# Every JSON record with its matches (lifecycle, links, evidence): no object
# holds a key twice (a duplicate "links" slipped in once when two changes met).
top_db=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
"$ksift" scan --json -q "$top_db/corpus" 2>/dev/null | python3 -c '
import json, sys
def hook(pairs):
    keys = [k for k, _ in pairs]
    dup = sorted(set(k for k in keys if keys.count(k) > 1))
    if dup:
        sys.exit("duplicate keys %s" % dup)
    return dict(pairs)
n = sum(1 for l in sys.stdin if json.loads(l, object_pairs_hook=hook) is not None)
sys.exit(0 if n > 100 else "only %d records" % n)' && ok || bad "JSON records hold a key twice (or too few records)"

echo "db: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
