#!/bin/sh
# Bulk scanning: hosts from paths, shards that cover a tree exactly once
# (also when run by GNU parallel), -j N.
set -u
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
ksift=${KSIFT:-$(pwd)/analyzer/ksift}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0; pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# An archive: /archive/HOST/..., rotated and compressed.
a="$tmp/archive"
i=0
for f in "$top"/corpus/kinds/*.log; do
	i=$((i + 1)); h=$(printf 'node%03d' $((i % 5)))
	mkdir -p "$a/$h/old"
	case $((i % 3)) in
	0) cp "$f" "$a/$h/dmesg.$i" ;;
	1) gzip -c "$f" > "$a/$h/old/kern.log.$i.gz" ;;
	2) zstd -q -c "$f" > "$a/$h/old/messages-2024010$i.zst" ;;
	esac
done
full=$("$ksift" scan --json -q "$a")
n_full=$(printf '%s\n' "$full" | grep -c '"kind"')
[ "$n_full" -gt 10 ] && ok || bad "archive scan found only $n_full incidents"

# Raw dmesg lines take the host from the directory under the root; syslog
# lines keep the host they name.
wrong=$(printf '%s\n' "$full" | grep '"path":"[^"]*/node001/' | grep -v '"host":"node001"' |
	sed 's/.*"host":"\([^"]*\)".*/\1/' | sort -u | while read -r h; do
		grep -q " $h kernel:" "$top"/corpus/kinds/*.log || echo "$h"; done)
[ -z "$wrong" ] && printf '%s\n' "$full" | grep '"path":"[^"]*/node001/' | grep -q '"host":"node001"' &&
	ok || bad "raw lines under node001/ did not get host node001 (got: $wrong)"
printf '%s\n' "$full" | grep -q '"host":"web03"' && ok || bad "syslog host replaced by path host"
rx=$("$ksift" scan --json -q --host-from-path '/(node\d+)/old/' "$a" | grep -c '"host":"node')
[ "$rx" -lt "$n_full" ] && [ "$rx" -gt 0 ] && ok || bad "--host-from-path regex: $rx hosts"
"$ksift" scan -q --host-from-path '(' "$a" >/dev/null 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] && grep -q "host-from-path: .*offset" "$tmp/err" && ok || bad "bad regex: exit $rc"

# Shards: disjoint, and together the whole archive.
for s in 1 2 3 4; do
	"$ksift" scan --json -q --shard "$s/4" "$a" > "$tmp/shard.$s"
done
cat "$tmp"/shard.* | sort > "$tmp/union"
printf '%s\n' "$full" | sort > "$tmp/all"
cmp -s "$tmp/union" "$tmp/all" && ok || bad "shards do not add up to the full scan"
paths=$(cat "$tmp"/shard.* | grep -o '"path":"[^"]*"' | sort -u | wc -l)
dup=$(for s in 1 2 3 4; do grep -o '"path":"[^"]*"' "$tmp/shard.$s" | sort -u; done | sort | uniq -d | wc -l)
[ "$dup" -eq 0 ] && [ "$paths" -gt 3 ] && ok || bad "a file is in two shards ($dup)"
"$ksift" scan -q --shard 0/4 "$a" 2>/dev/null; [ $? -eq 2 ] && ok || bad "--shard 0/4 accepted"
"$ksift" scan -q --shard 5/4 "$a" 2>/dev/null; [ $? -eq 2 ] && ok || bad "--shard 5/4 accepted"

# The same with GNU parallel, as a scheduler would run it.
if command -v parallel >/dev/null; then
	parallel --will-cite -j 4 "'$ksift' scan --json -q --shard {}/4 '$a' > '$tmp/par.{}'; [ \$? -le 1 ]" ::: 1 2 3 4 ||
		bad "parallel: a shard failed"
	cat "$tmp"/par.* | sort > "$tmp/punion"
	cmp -s "$tmp/punion" "$tmp/all" && ok || bad "parallel shards differ from the full scan"
else
	bad "GNU parallel is not installed (bootstrap.sh installs it)"
fi

# Results databases: 4 shards scanned by GNU parallel, each into its own
# database, then merged: the same rows as one process scanning everything.
dump() {
	sqlite3 "$1" "SELECT source_path, source_line, source_end_line, host, wall_time,
		kernel_time, kind, title, hash, kernel_release FROM incidents ORDER BY 1, 2, 7, 8;
		SELECT i.source_path, i.source_line, m.signature_id, m.rank FROM incident_matches m
		JOIN incidents i USING (incident_id) ORDER BY 1, 2, 3;"
}
"$ksift" scan -q --results "$tmp/single.db" "$a" > /dev/null
if command -v parallel >/dev/null; then
	parallel --will-cite -j 4 "'$ksift' scan -q --shard {}/4 --results '$tmp/shard{}.db' '$a' > /dev/null; [ \$? -le 1 ]" ::: 1 2 3 4 ||
		bad "parallel: a shard failed"
fi
"$ksift" merge "$tmp/merged.db" "$tmp"/shard1.db "$tmp"/shard2.db "$tmp"/shard3.db "$tmp"/shard4.db && ok || bad "merge failed"
[ -n "$(dump "$tmp/single.db")" ] && dump "$tmp/single.db" > "$tmp/single.txt" && dump "$tmp/merged.db" > "$tmp/merged.txt" &&
	cmp -s "$tmp/single.txt" "$tmp/merged.txt" && ok || bad "merged shards differ from a single scan"
"$ksift" merge "$tmp/merged.db" "$tmp/shard2.db" "$tmp/single.db" && dump "$tmp/merged.db" | cmp -s - "$tmp/single.txt" &&
	ok || bad "merging again added rows"
"$ksift" merge "$tmp/merged.db" "$tmp/nope.db" 2>"$tmp/err"; [ $? -eq 2 ] && grep -q "nope.db: No such file" "$tmp/err" && [ ! -e "$tmp/nope.db" ] &&
	ok || bad "merge of a missing file: $(cat "$tmp/err")"
sqlite3 "$tmp/foreign.db" "CREATE TABLE t(x)"
"$ksift" merge "$tmp/merged.db" "$tmp/foreign.db" 2>"$tmp/err"; [ $? -eq 2 ] && grep -q "foreign.db: not a ksift results database" "$tmp/err" &&
	ok || bad "merge of a foreign file: $(cat "$tmp/err")"
# The fleet summary: known bugs by hosts, unknown clusters, per-host timeline.
"$ksift" report "$tmp/merged.db" > "$tmp/report.txt" && ok || bad "report failed"
grep -q "^Known bugs" "$tmp/report.txt" && grep -q "^Unknown crash clusters" "$tmp/report.txt" &&
	grep -q "^  node001" "$tmp/report.txt" && ok || bad "report sections missing"
"$ksift" report --json --kind hung_task "$tmp/merged.db" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["timeline"] and all(t["kind"] == "hung_task" for t in d["timeline"]), d
assert any(b["id"] == "jbd2-commit-hung" for b in d["known_bugs"]), d["known_bugs"]' && ok || bad "report --json --kind"
n_all=$("$ksift" report --json "$tmp/merged.db" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["timeline"]))')
n_host=$("$ksift" report --json --host node002 "$tmp/merged.db" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["timeline"]))')
[ "$n_host" -gt 0 ] && [ "$n_host" -lt "$n_all" ] && ok || bad "report --host: $n_host of $n_all"
"$ksift" report "$tmp/foreign.db" 2>/dev/null; [ $? -eq 2 ] && ok || bad "report of a foreign file"

# Syslog times without a year: the year comes from the file's mtime, the
# year before for dates after it. A log rotated on Jan 3 2027 holding a
# December Oops and a January hung task: both found by --since/--until.
y="$tmp/year"; mkdir -p "$y"
{ sed 's/^\[[^]]*\] //; s/^/Dec 30 23:50:01 yearhost kernel: /' "$top/corpus/kinds/oops-null-6.1.log"
  sed 's/^\[[^]]*\] //; s/^/Jan  2 08:00:00 yearhost kernel: /' "$top/corpus/kinds/hung-task-6.1.log"
} > "$y/syslog.1"
TZ=UTC touch -d '2027-01-03 06:25:00' "$y/syslog.1"
TZ=UTC "$ksift" scan --json -q --results "$tmp/year.db" "$y" > "$tmp/year.json"
grep -q '"wall":"Dec 30 23:50:01","wall_inferred":"2026-12-30T23:50:01"' "$tmp/year.json" &&
	grep -q '"wall":"Jan  2 08:00:00","wall_inferred":"2027-01-02T08:00:00"' "$tmp/year.json" && ok ||
	bad "year inference: $(grep -o '"time":{[^}]*}' "$tmp/year.json")"
[ "$(sqlite3 "$tmp/year.db" "SELECT kind || ' ' || wall_time FROM incidents ORDER BY source_line" | tr '\n' ,)" = \
  "oops 2026-12-30T23:50:01,hung_task 2027-01-02T08:00:00," ] && ok ||
	bad "year inference: the database's wall times: $(sqlite3 "$tmp/year.db" 'SELECT kind, wall_time FROM incidents')"
since=$("$ksift" report --json --since 2027-01 "$tmp/year.db" | python3 -c 'import json,sys; print(",".join(t["kind"] for t in json.load(sys.stdin)["timeline"]))')
until=$("$ksift" report --json --until 2027 "$tmp/year.db" | python3 -c 'import json,sys; print(",".join(t["kind"] for t in json.load(sys.stdin)["timeline"]))')
[ "$since" = hung_task ] && [ "$until" = oops ] && ok || bad "report --since/--until across the new year: since [$since] until [$until]"

# sysrq dumps are state, not crashes: never an unknown crash cluster, in
# the view or the report; the Oops next to them is one. A database made by
# the schema before this rule is migrated to it.
s=$tmp/state; mkdir -p "$s/h1"
cp "$top/corpus/sysrq/sysrq-w-locks-6.1.log" "$top/corpus/kinds/oops-null-6.1.log" "$s/h1/"
"$ksift" scan -q --results "$tmp/state.db" "$s"
[ "$(sqlite3 "$tmp/state.db" "SELECT count(*) FROM incidents WHERE kind LIKE 'sysrq_%'")" -gt 0 ] &&
	[ "$(sqlite3 "$tmp/state.db" "SELECT group_concat(DISTINCT kind) FROM unknown_clusters")" = oops ] && ok ||
	bad "unknown_clusters view: $(sqlite3 "$tmp/state.db" 'SELECT kind, title FROM unknown_clusters')"
kinds=$("$ksift" report --json "$tmp/state.db" | python3 -c 'import json,sys; print(",".join(sorted(set(c["kind"] for c in json.load(sys.stdin)["unknown_clusters"]))))')
[ "$kinds" = oops ] && ok || bad "report's unknown clusters hold state kinds: $kinds"
# A database as version 5 left it: without what version 6 added.
to_v5() {
	sqlite3 "$1" "ALTER TABLE incidents DROP COLUMN follows_line; ALTER TABLE incidents DROP COLUMN follows_reason;
		ALTER TABLE incidents DROP COLUMN frames; PRAGMA user_version = 5"
}
# A database as version 4 left it: without what versions 5 and 6 added, with its views.
to_v4() {
	to_v5 "$1"
	sqlite3 "$1" "DROP VIEW bugs_seen; DROP VIEW bugs_by_host; DROP TABLE boots; DROP TABLE signatures;
		ALTER TABLE incidents DROP COLUMN kernel_build; ALTER TABLE incidents DROP COLUMN kernel_stream;
		ALTER TABLE incidents DROP COLUMN record; ALTER TABLE incidents DROP COLUMN scan_id;
		ALTER TABLE incident_matches DROP COLUMN fix_status; ALTER TABLE incident_matches DROP COLUMN fix_detail;
		CREATE VIEW bugs_by_host AS SELECT i.host AS host, m.signature_id AS signature_id, COUNT(*) AS incidents,
		  MIN(COALESCE(i.wall_time, i.recorded_at)) AS first_seen, MAX(COALESCE(i.wall_time, i.recorded_at)) AS last_seen
		  FROM incidents i JOIN incident_matches m USING (incident_id) GROUP BY i.host, m.signature_id;
		CREATE VIEW bugs_seen AS SELECT m.signature_id AS signature_id, COUNT(DISTINCT i.host) AS hosts, COUNT(*) AS incidents,
		  MIN(COALESCE(i.wall_time, i.recorded_at)) AS first_seen, MAX(COALESCE(i.wall_time, i.recorded_at)) AS last_seen,
		  MIN(i.recorded_at) AS first_recorded, MAX(i.recorded_at) AS last_recorded
		  FROM incidents i JOIN incident_matches m USING (incident_id) GROUP BY m.signature_id;
		PRAGMA user_version = 4"
}
to_v4 "$tmp/state.db"
sqlite3 "$tmp/state.db" "DROP VIEW unknown_clusters; CREATE VIEW unknown_clusters AS SELECT hash, title, kind FROM incidents; PRAGMA user_version = 3"
"$ksift" report "$tmp/state.db" > /dev/null &&
	[ "$(sqlite3 "$tmp/state.db" "PRAGMA user_version")" = 6 ] &&
	[ "$(sqlite3 "$tmp/state.db" "SELECT group_concat(DISTINCT kind) FROM unknown_clusters")" = oops ] && ok ||
	bad "schema 3 → 6: version $(sqlite3 "$tmp/state.db" 'PRAGMA user_version'), view kinds $(sqlite3 "$tmp/state.db" 'SELECT group_concat(DISTINCT kind) FROM unknown_clusters')"

# Schema 4 → 5: a version-4 database (matches without fix status, no
# records) keeps its rows and counts; bugs_seen and ksift report agree;
# rematch keeps the matches it cannot re-evaluate (no record) unless their
# signature is gone, and a rescan gives the rows records and fix status.
v4="$tmp/v4.db"
"$ksift" scan -q --results "$v4" "$a" > /dev/null
to_v4 "$v4"
before=$(sqlite3 "$v4" "SELECT signature_id, count(*) FROM incident_matches GROUP BY 1 ORDER BY 1")
"$ksift" report --json "$v4" > "$tmp/v4.json" && [ "$(sqlite3 "$v4" "PRAGMA user_version")" = 6 ] &&
	[ "$(sqlite3 "$v4" "SELECT signature_id, count(*) FROM incident_matches GROUP BY 1 ORDER BY 1")" = "$before" ] &&
	[ "$(sqlite3 "$v4" "SELECT count(*) FROM incidents WHERE record IS NOT NULL")" = 0 ] && ok ||
	bad "schema 4 → 5: version $(sqlite3 "$v4" 'PRAGMA user_version'), matches $(sqlite3 "$v4" 'SELECT count(*) FROM incident_matches')"
python3 - "$tmp/v4.json" "$v4" <<'PY' && ok || bad "report and bugs_seen disagree after the migration"
import json, sqlite3, sys
rep = {b["id"]: (b["hosts"], b["incidents"]) for b in json.load(open(sys.argv[1]))["known_bugs"] if b["incidents"]}
view = {r[0]: (r[1], r[2]) for r in sqlite3.connect(sys.argv[2]).execute("SELECT signature_id, hosts, incidents FROM bugs_seen WHERE incidents > 0")}
assert rep == view and rep, (rep, view)
PY
"$ksift" rematch -q "$v4" > "$tmp/rematch.out" &&
	grep -q "incidents have no stored record" "$tmp/rematch.out" &&
	[ "$(sqlite3 "$v4" "SELECT signature_id, count(*) FROM incident_matches GROUP BY 1 ORDER BY 1")" = "$before" ] && ok ||
	bad "rematch of a migrated database: $(cat "$tmp/rematch.out")"
"$ksift" scan -q --rescan --results "$v4" "$a" > /dev/null
[ "$(sqlite3 "$v4" "SELECT count(*) FROM incidents WHERE record IS NULL")" = 0 ] &&
	[ "$(sqlite3 "$v4" "SELECT count(*) FROM incident_matches WHERE fix_status IS NULL")" = 0 ] && ok ||
	bad "rescan after the migration left rows without record or fix status"

# First cause first: a database of schema 5 (before `follows`) keeps its rows
# and gains the columns; what is scanned next records them, and merge
# carries them over.
f=$tmp/follows; mkdir -p "$f/h1" "$f/h2"
cp "$top/corpus/kinds/oops-null-6.1.log" "$f/h1/"
cp "$top/corpus/kinds/oops-then-hung-6.1.log" "$f/h2/"
"$ksift" scan -q --results "$tmp/v5.db" "$f/h1"
to_v5 "$tmp/v5.db"
before=$(sqlite3 "$tmp/v5.db" "SELECT count(*) FROM incidents")
"$ksift" scan -q --results "$tmp/v5.db" "$f" > /dev/null
got=$(sqlite3 "$tmp/v5.db" "SELECT source_line || '>' || COALESCE(follows_line, '-') || ' ' || COALESCE(follows_reason, '') FROM incidents WHERE source_path LIKE '%/h2/%' ORDER BY source_line" | tr '\n' '|')
[ "$(sqlite3 "$tmp/v5.db" "PRAGMA user_version")" = 6 ] && [ "$before" = 1 ] &&
	[ "$(sqlite3 "$tmp/v5.db" "SELECT count(*) FROM incidents WHERE source_path LIKE '%/h1/%' AND follows_line IS NULL")" = 1 ] &&
	[ "$got" = '6>- |35>6 waits for &dev->mutex held by kworker/2:1/150|82>35 the panic says "hung_task: blocked tasks"|' ] && ok ||
	bad "schema 5 → 6 and follows: version $(sqlite3 "$tmp/v5.db" 'PRAGMA user_version'), before $before, rows [$got]"
[ "$(sqlite3 "$tmp/v5.db" "SELECT frames FROM incidents WHERE kind = 'oops' AND source_path LIKE '%/h2/%'")" = "$(printf 'usb_hcd_flush_endpoint\nusb_disable_endpoint\nusb_disconnect')" ] && ok ||
	bad "frames column: $(sqlite3 "$tmp/v5.db" "SELECT frames FROM incidents WHERE source_path LIKE '%/h2/%'")"
"$ksift" merge "$tmp/merged5.db" "$tmp/v5.db" 2>/dev/null
[ "$(sqlite3 "$tmp/merged5.db" "SELECT count(*) FROM incidents WHERE follows_line IS NOT NULL")" = 2 ] && ok ||
	bad "merge drops follows: $(sqlite3 "$tmp/merged5.db" 'SELECT source_line, follows_line FROM incidents')"

# The text report counts identical incidents of a host (×N, first .. last);
# --full lists each one.
c=$tmp/collapse; mkdir -p "$c/h1"
cp "$top/corpus/kinds/hung-task-6.1.log" "$c/h1/a.log"; cp "$top/corpus/kinds/hung-task-6.1.log" "$c/h1/b.log"
"$ksift" scan -q --no-db --results "$tmp/collapse.db" "$c" > /dev/null
"$ksift" report "$tmp/collapse.db" > "$tmp/collapse.txt"
"$ksift" report --full "$tmp/collapse.db" > "$tmp/collapse-full.txt"
[ "$(grep -c '^    .*INFO: task hung in' "$tmp/collapse.txt")" = 1 ] && grep -q '^    ×2 ' "$tmp/collapse.txt" &&
	[ "$(grep -c '^    .*INFO: task hung in' "$tmp/collapse-full.txt")" = 2 ] && ok ||
	bad "report ×N / --full: $(cat "$tmp/collapse.txt" "$tmp/collapse-full.txt")"
"$ksift" report --json "$tmp/collapse.db" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert [r["incidents"] for r in d["per_host"]] == [2], d["per_host"]
c = d["unknown_clusters"][0]
assert c["example"]["path"].endswith("/h1/a.log") and c["signature"].startswith("id: unknown-"), c
assert "\nkind: hung_task\n" in c["signature"] and "\nframes: " in c["signature"], c["signature"]' && ok ||
	bad "report --json per_host / example / signature"
# The skeleton is what `ksift db add` takes.
"$ksift" report --json "$tmp/collapse.db" | python3 -c 'import json,sys; print(json.load(sys.stdin)["unknown_clusters"][0]["signature"], end="")' > "$tmp/skel.sig"
mkdir -p "$tmp/skel" && cp "$tmp/skel.sig" "$tmp/skel/$(sed -n 's/^id: //p' "$tmp/skel.sig").sig"
"$ksift" db build "$tmp/skel" -o "$tmp/skel.db" 2> "$tmp/skel.err" && ok || bad "signature skeleton does not compile: $(cat "$tmp/skel.err")"

# -j: same output as one thread.
"$ksift" scan --json -q -j 3 "$a" > "$tmp/j3"
printf '%s\n' "$full" | cmp -s - "$tmp/j3" && ok || bad "-j 3 output differs"
"$ksift" scan -q -j 0 "$a" 2>/dev/null; [ $? -eq 2 ] && ok || bad "-j 0 accepted"

echo "bulk: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
