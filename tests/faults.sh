#!/bin/bash
# Faults during a bulk scan with --results, each checked the way a user
# would: a clear message naming the file, the other files' incidents still
# reported, a non-zero exit status when something was lost, a results
# database that passes PRAGMA integrity_check and holds exactly the rows of
# the files it says it read, and a next run that completes it to what one
# clean scan records.
#   a. a file removed between the directory walk and its opening; one
#      removed while open (Linux keeps reading it: nothing is lost)
#   b. a file truncated while being read: inside what was already read,
#      and before a later read()
#   c. a file and a directory without read permission (as root, with the
#      DAC override capabilities dropped, so the check really runs)
#   d. a full disk under the results database (a small tmpfs in a private
#      mount namespace when allowed, else RLIMIT_FSIZE)
#   e. kill -9 at a known point (tests/incremental.sh kills at a random one)
# Races are made deterministic with the KSIFT_TEST_PAUSE hook
# (analyzer/lib/testpause.h): ksift waits on a FIFO at a named point while the
# test changes the file. No sleeps.
set -u
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
ksift=${KSIFT:-$(pwd)/analyzer/ksift}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TZ=UTC
fail=0; pass=0; skip=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
kinds="$top/corpus/kinds"
fifo="$tmp/pause"
mkfifo "$fifo"

# What a database holds, for comparing two of them (recorded_at aside).
dump() {
	sqlite3 "$1" "SELECT source_path, source_line, source_end_line, host, wall_time, kind,
		title, hash, kernel_release FROM incidents ORDER BY 1, 2, 6, 7;
		SELECT i.source_path, i.source_line, m.signature_id, m.rank FROM incidents i
		JOIN incident_matches m USING (incident_id) ORDER BY 1, 2, 3;
		SELECT path, size, done_offset, done_lines FROM files ORDER BY 1"
}
# The incident rows of the files the database says it read, and all its rows:
# equal when it holds nothing of a file it did not finish.
rows_of_read_files() {
	sqlite3 "$1" "SELECT source_path, source_line, kind, title FROM incidents
		WHERE source_path IN (SELECT path FROM files) ORDER BY 1, 2, 3, 4"
}
consistent() {	# DB WHAT: integrity, and only whole files recorded
	[ "$(sqlite3 "$1" 'PRAGMA integrity_check' 2>&1)" = ok ] && ok ||
		bad "$2: integrity_check: $(sqlite3 "$1" 'PRAGMA integrity_check' 2>&1 | head -3)"
}
# The rows a clean scan of the tree as it is now records.
same_as_clean() {	# DB DIR WHAT
	rm -f "$tmp/clean.db"*
	"$ksift" scan -q -j1 --results "$tmp/clean.db" "$2" > /dev/null 2>&1
	if [ "$(dump "$1")" = "$(dump "$tmp/clean.db")" ]; then ok; else
		bad "$3: the database differs from a clean scan's:"
		diff <(dump "$tmp/clean.db") <(dump "$1") | head -10
	fi
}
files_read() { sqlite3 "$1" "SELECT path FROM files ORDER BY 1" | sed 's|.*/||' | tr '\n' ' '; }

# Run ksift in the background, stopping at every pause point $1.
start_paused() {	# POINT OUT ERR ksift-args...
	local point=$1 out=$2 err=$3
	shift 3
	KSIFT_TEST_PAUSE="$point:$fifo" "$ksift" "$@" > "$out" 2> "$err" &
	pid=$!
}
# At the next pause: run $1 while ksift waits, then let it go on.
at_pause() {
	timeout 30 bash -c 'exec 3> "$0"; eval "$1"' "$fifo" "$1" ||
		bad "ksift never reached the pause for: $1"
}
# Let it run to its end; rc= its exit status.
finish() {
	while kill -0 "$pid" 2> /dev/null; do
		timeout 1 bash -c ': > "$0"' "$fifo" 2> /dev/null
	done
	wait "$pid"; rc=$?
}
# One distinct log per name (identical contents would count as copies).
mklog() {	# PATH SAMPLE...
	local p=$1
	shift
	{ echo "Nov 24 00:00:00 $(basename "$p") syslogd: restart"; for s; do cat "$kinds/$s"; done; } > "$p"
}

# --- a. a file vanishes between the walk and its opening ---------------------
d="$tmp/a"; mkdir -p "$d/logs"
mklog "$d/logs/1.log" oops-null-6.1.log
mklog "$d/logs/2.log" hung-task-6.1.log
mklog "$d/logs/3.log" warning-new-5.15.log
cp "$d/logs/2.log" "$d/keep"
start_paused open "$d/out" "$d/err" scan -j1 --json --results "$d/r.db" "$d/logs"
at_pause "rm '$d/logs/2.log'"		# while 1.log is about to be opened
finish
[ "$rc" -eq 2 ] && ok || bad "vanished: exit $rc, expected 2 (input error)"
grep -q "2.log: No such file or directory" "$d/err" && ok || bad "vanished: no message naming the file: $(cat "$d/err")"
grep -q '"title":"BUG: unable to handle kernel NULL pointer dereference' "$d/out" &&
	grep -q '"title":"WARNING in skb_try_coalesce"' "$d/out" && ok ||
	bad "vanished: the other files' incidents are missing: $(head -c 300 "$d/out")"
consistent "$d/r.db" vanished
[ "$(files_read "$d/r.db")" = "1.log 3.log " ] && ok || bad "vanished: files recorded as read: $(files_read "$d/r.db")"
[ "$(rows_of_read_files "$d/r.db")" = "$(sqlite3 "$d/r.db" 'SELECT source_path, source_line, kind, title FROM incidents ORDER BY 1, 2, 3, 4')" ] &&
	[ -n "$(rows_of_read_files "$d/r.db")" ] && ok || bad "vanished: rows of a file not read"
# It comes back: the next run reads it, and only it.
cp "$d/keep" "$d/logs/2.log"
"$ksift" scan -j1 --json --results "$d/r.db" "$d/logs" > "$d/out" 2> "$d/err"; rc=$?
[ "$rc" -eq 1 ] && grep -q "2 files unchanged" "$d/err" && grep -q '"title":"INFO: task ' "$d/out" &&
	[ "$(grep -c '"kind"' "$d/out")" -eq 1 ] && ok || bad "vanished, back: exit $rc, $(cat "$d/err")"
same_as_clean "$d/r.db" "$d/logs" "vanished, next run"

# Removed while open: Linux keeps the open file readable; nothing is lost.
rm -f "$d/r.db"*
start_paused read "$d/out" "$d/err" scan -j1 --json --results "$d/r.db" "$d/logs"
at_pause "rm '$d/logs/1.log'"		# 1.log's first block is in
finish
[ "$rc" -eq 1 ] && grep -q '"title":"BUG: unable to handle kernel NULL pointer dereference' "$d/out" && ok ||
	bad "removed while open: exit $rc, $(cat "$d/err") $(head -c 200 "$d/out")"
consistent "$d/r.db" "removed while open"
[ "$(files_read "$d/r.db")" = "1.log 2.log 3.log " ] && ok || bad "removed while open: files recorded: $(files_read "$d/r.db")"

# --- b. truncated while being read --------------------------------------------
# big.log: an Oops, 24000 routine lines (about 1.8 MB), a hung task at the end.
d="$tmp/b"; mkdir -p "$d/logs"
{
	cat "$kinds/oops-null-6.1.log"
	yes "Nov 24 10:00:00 node1 kernel: [    1.000000] routine line padding padding padding padding" | head -24000
	cat "$kinds/hung-task-6.1.log"
} > "$d/big"
oops_end=$(wc -c < "$kinds/oops-null-6.1.log")
mklog "$d/logs/other.log" warning-new-5.15.log
truncated_run() {	# WHAT CUT-AT [env...]: truncate big.log at the first pause
	local what=$1 cut=$2
	shift 2
	cp "$d/big" "$d/logs/big.log"
	rm -f "$d/r.db"*
	env "$@" KSIFT_TEST_PAUSE="read:$fifo" "$ksift" scan -j1 --json --results "$d/r.db" \
		"$d/logs" > "$d/out" 2> "$d/err" &
	pid=$!
	at_pause "truncate -s $cut '$d/logs/big.log'"
	finish
	[ "$rc" -eq 2 ] && ok || bad "truncated ($what): exit $rc, expected 2 (not a signal): $(cat "$d/err")"
	grep -q "big.log: file shrank while being read" "$d/err" && ok ||
		bad "truncated ($what): no clear message: $(cat "$d/err")"
	grep -q '"title":"BUG: unable to handle kernel NULL pointer dereference' "$d/out" && ok ||
		bad "truncated ($what): what came before the cut is not reported"
	grep -q '"title":"WARNING in skb_try_coalesce"' "$d/out" && ok ||
		bad "truncated ($what): the other file's incident is missing"
	consistent "$d/r.db" "truncated ($what)"
	[ "$(files_read "$d/r.db")" = "other.log " ] && ok ||
		bad "truncated ($what): recorded as read: $(files_read "$d/r.db")"
	# The next run reads the (now short) file again and records it.
	"$ksift" scan -j1 -q --results "$d/r.db" "$d/logs" > /dev/null 2>&1; rc=$?
	[ "$rc" -eq 1 ] && [ "$(files_read "$d/r.db")" = "big.log other.log " ] && ok ||
		bad "truncated ($what), next run: exit $rc, recorded $(files_read "$d/r.db")"
	same_as_clean "$d/r.db" "$d/logs" "truncated ($what), next run"
}
# Cut inside the first block read: what was read is scanned, the next
# read() finds the end early.
truncated_run "inside what was read" $((oops_end + 2000))
# Cut beyond it, read in 64 KiB pieces: a later read() returns the bytes up
# to the new end, then the end.
truncated_run "a later read" 300000 KSIFT_READ_SIZE=65536

# --- c. permission errors -------------------------------------------------------
d="$tmp/c"; mkdir -p "$d/logs/locked"
mklog "$d/logs/1.log" oops-null-6.1.log
mklog "$d/logs/2.log" hung-task-6.1.log
mklog "$d/logs/locked/3.log" warning-new-5.15.log
mklog "$d/logs/4.log" soft-lockup-5.10.log
chmod 000 "$d/logs/2.log" "$d/logs/locked"
# Root reads everything: drop the capabilities that let it (it stays root,
# so it still writes its database).
as_user=()
if [ "$(id -u)" -eq 0 ]; then
	as_user=(setpriv --inh-caps=-all --bounding-set=-dac_override,-dac_read_search)
fi
if "${as_user[@]}" cat "$d/logs/2.log" > /dev/null 2>&1; then
	echo "SKIP: permission errors: cannot make a file unreadable here (not counted)"
	skip=$((skip + 1))
else
	"${as_user[@]}" "$ksift" scan -j2 --json --results "$d/r.db" "$d/logs" > "$d/out" 2> "$d/err"; rc=$?
	[ "$rc" -eq 2 ] && ok || bad "permission: exit $rc, expected 2"
	grep -q "2.log: Permission denied" "$d/err" && grep -q "locked: Permission denied" "$d/err" && ok ||
		bad "permission: messages do not name the file and the directory: $(cat "$d/err")"
	grep -q '"title":"BUG: unable to handle kernel NULL pointer dereference' "$d/out" &&
		grep -q '"title":"BUG: soft lockup' "$d/out" && ok ||
		bad "permission: the readable files' incidents are missing"
	consistent "$d/r.db" permission
	[ "$(files_read "$d/r.db")" = "1.log 4.log " ] && ok || bad "permission: recorded as read: $(files_read "$d/r.db")"
	chmod 644 "$d/logs/2.log"; chmod 755 "$d/logs/locked"
	"$ksift" scan -j2 --json --results "$d/r.db" "$d/logs" > "$d/out" 2> "$d/err"; rc=$?
	[ "$rc" -eq 1 ] && grep -q "2 files unchanged" "$d/err" && [ "$(grep -c '"kind"' "$d/out")" -eq 2 ] && ok ||
		bad "permission fixed: exit $rc, $(cat "$d/err"), $(grep -c '"kind"' "$d/out") incidents"
	same_as_clean "$d/r.db" "$d/logs" "permission fixed, next run"
fi

# --- d. a full disk under the results database ------------------------------------
d="$tmp/d"; mkdir -p "$d/logs" "$d/space"
for i in 1 2 3 4 5 6; do
	mklog "$d/logs/$i.log" $(cd "$kinds" && ls) $(cd "$kinds" && ls) $(cd "$kinds" && ls) $(cd "$kinds" && ls)
done
"$ksift" scan -q -j1 --results "$d/full.db" "$d/logs" > /dev/null 2>&1
# Room for about half of what the run writes (its WAL holds every page it
# writes until a checkpoint; the finished database is smaller).
kib=$(( $(stat -c %s "$d/full.db") / 1024 * 2 ))
mkdir -p "$d/saved"
rc=99
if unshare --mount true 2> /dev/null; then
	how="a tmpfs of $kib KiB"
	unshare --mount bash -c 'mount -t tmpfs -o size="$1"k tmpfs "$2" || exit 99
		"$3" scan -j1 --json --results "$2/r.db" "$4" > "$5/out" 2> "$5/err"; rc=$?
		cp "$2"/r.db* "$5/saved/"; exit $rc' _ "$kib" "$d/space" "$ksift" "$d/logs" "$d"
	rc=$?
fi
if [ "$rc" -eq 99 ]; then
	how="RLIMIT_FSIZE of $kib KiB"
	(trap '' XFSZ; ulimit -f "$kib"
	 "$ksift" scan -j1 --json --results "$d/space/r.db" "$d/logs" > "$d/out" 2> "$d/err"); rc=$?
	cp "$d/space"/r.db* "$d/saved/"
fi
db="$d/saved/r.db"
[ "$rc" -eq 2 ] && ok || bad "full disk ($how): exit $rc, expected 2: $(cat "$d/err")"
grep -Eq "r\.db: .*(disk is full|disk I/O error)" "$d/err" && grep -q "not recorded as read in" "$d/err" && ok ||
	bad "full disk ($how): no clear message naming the database: $(cat "$d/err")"
[ "$(grep -c '"kind"' "$d/out")" -eq "$(sqlite3 "$d/full.db" 'SELECT count(*) FROM incidents')" ] && ok ||
	bad "full disk ($how): incidents missing from the output"
consistent "$db" "full disk ($how)"
nread=$(sqlite3 "$db" 'SELECT count(*) FROM files')
[ "$nread" -gt 0 ] && [ "$nread" -lt 6 ] && ok || bad "full disk ($how): $nread of 6 files recorded as read, expected some"
# The files it says it read hold exactly their rows of a clean scan.
of_read="SELECT source_path, source_line, kind, title, hash FROM incidents WHERE source_path IN"
[ "$(sqlite3 "$db" "$of_read (SELECT path FROM files) ORDER BY 1, 2, 3, 4")" = \
  "$(sqlite3 "$d/full.db" "ATTACH '$db' AS r; $of_read (SELECT path FROM r.files) ORDER BY 1, 2, 3, 4")" ] && ok ||
	bad "full disk ($how): the files recorded as read lack rows"
# With room again, the next run completes the database.
"$ksift" scan -j1 -q --results "$db" "$d/logs" > /dev/null 2> "$d/err"; rc=$?
[ "$rc" -eq 1 ] && ok || bad "full disk, next run: exit $rc: $(cat "$d/err")"
same_as_clean "$db" "$d/logs" "full disk ($how), next run"

# --- e. kill -9 at a known point ------------------------------------------------------
# Killed while about to open the third file: the first two are recorded, whole;
# the next run reads only the rest.
d="$tmp/e"; mkdir -p "$d/logs"
mklog "$d/logs/1.log" oops-null-6.1.log gpf-5.4.log
mklog "$d/logs/2.log" hung-task-6.1.log oom-5.15.log
mklog "$d/logs/3.log" warning-new-5.15.log
mklog "$d/logs/4.log" soft-lockup-5.10.log
start_paused open "$d/out" "$d/err" scan -j1 -q --results "$d/r.db" "$d/logs"
at_pause ":"; at_pause ":"		# 1.log and 2.log
at_pause "kill -9 $pid"			# at 3.log
{ wait "$pid"; } 2> /dev/null
consistent "$d/r.db" "kill -9"
[ "$(files_read "$d/r.db")" = "1.log 2.log " ] && ok || bad "kill -9: recorded as read: $(files_read "$d/r.db")"
[ "$(rows_of_read_files "$d/r.db")" = "$(sqlite3 "$d/r.db" 'SELECT source_path, source_line, kind, title FROM incidents ORDER BY 1, 2, 3, 4')" ] && ok ||
	bad "kill -9: rows of files not recorded as read"
"$ksift" scan -j1 --json --results "$d/r.db" "$d/logs" > "$d/out" 2> "$d/err"; rc=$?
[ "$rc" -eq 1 ] && grep -q "2 files unchanged" "$d/err" && [ "$(grep -c '"kind"' "$d/out")" -eq 2 ] && ok ||
	bad "kill -9, next run: exit $rc, $(cat "$d/err")"
same_as_clean "$d/r.db" "$d/logs" "kill -9, next run"

echo "faults: $pass passed, $fail failed"
[ "$skip" -eq 0 ] || echo "faults: $skip skipped (not counted as passed)"
[ "$fail" -eq 0 ]
