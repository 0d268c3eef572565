#!/bin/sh
# -j splits a plain file of 128 MiB or more into 64 MiB chunks: every line
# number must still be the file's — incidents, group members and the
# evidence of known-bug conditions (a boot-regex quotes "line N: …"). A
# 150 MiB log with boots and reports in each chunk, scanned with -j 1 and
# -j 2: the outputs are equal byte for byte, and each quoted line is the
# line it names. The log is made here, under $TMPDIR, and removed.
set -u
: "${KSIFT:?}" "${abs_top_srcdir:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ksift-chunks.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
log="$tmp/big.log"
boot="$abs_top_srcdir/corpus/signatures/l1tf-smt-vulnerable/syslog-5.4-host.log"
oops="$abs_top_srcdir/corpus/kinds/oops-null-6.1.log"

# 5 sections of ~30 MiB routine syslog, each followed by one host's boot
# (with the L1TF line a signature quotes) and an Oops on that host.
perl -e '
	my ($boot, $oops) = @ARGV;
	local $/; open my $b, "<", $boot or die; my $btxt = <$b>;
	open my $o, "<", $oops or die; my $otxt = <$o>;
	my $fill = join "", map { sprintf "Nov  4 09:%02d:%02d filler%d CRON[%d]: (root) CMD (run-parts /etc/cron.hourly) %06d\n",
		$_ % 60, $_ % 60, $_ % 7, 1000 + $_, $_ } 0 .. 9999;
	for my $s (0 .. 4) {
		print $fill for 1 .. 36;
		(my $bt = $btxt) =~ s/hv-b07/hv-s$s/g;
		print $bt;
		for my $l (split /^/, $otxt) { print "Nov  4 09:10:00 hv-s$s kernel: $l" }
	}' "$boot" "$oops" > "$log" || fail "making the log"
size=$(stat -c %s "$log")
[ "$size" -ge $((128 * 1048576)) ] || fail "the log is $size bytes: not chunked"

"$KSIFT" scan --json -q -j 1 "$log" > "$tmp/j1"; rc1=$?
"$KSIFT" scan --json -q -j 2 "$log" > "$tmp/j2"; rc2=$?
[ $rc1 -eq 1 ] && [ $rc2 -eq 1 ] || fail "exit statuses $rc1 / $rc2 (1 expected)"
[ "$(grep -c '"kind":"oops"' "$tmp/j1")" -eq 5 ] || fail "$(grep -c '"kind":"oops"' "$tmp/j1") Oopses of 5"
cmp -s "$tmp/j1" "$tmp/j2" || { diff "$tmp/j1" "$tmp/j2" | head -c 3000; fail "-j 1 and -j 2 differ"; }
"$KSIFT" scan -q -j 1 "$log" > "$tmp/t1"
"$KSIFT" scan -q -j 2 "$log" > "$tmp/t2"
cmp -s "$tmp/t1" "$tmp/t2" || fail "-j 1 and -j 2 text output differ"

# Each evidence line number names the line it quotes.
grep -o '"detail":"line [0-9]*: [^"]*' "$tmp/j2" | sed 's/"detail":"line //' > "$tmp/ev"
[ "$(wc -l < "$tmp/ev")" -ge 5 ] || fail "$(wc -l < "$tmp/ev") boot-regex evidence records, 5 expected"
while IFS= read -r e; do
	n=${e%%:*} text=${e#*: }
	line=$(sed -n "${n}p" "$log")
	case $line in
	*"$text"*) ;;
	*) fail "evidence cites line $n ('$text'), which is: $line" ;;
	esac
done < "$tmp/ev"
# ... and the Oopses' own lines.
for n in $(sed -n 's/.*"kind":"oops".*"source":{[^}]*"line":\([0-9]*\).*/\1/p' "$tmp/j2"); do
	sed -n "${n}p" "$log" | grep -q 'BUG: kernel NULL pointer dereference' ||
		fail "the Oops at line $n is: $(sed -n "${n}p" "$log")"
done
# A crash's kernel line and its systemd-coredump message make one record:
# with chunks of a few KiB the two halves fall on both sides of an edge
# somewhere (every wrapper of corpus/coredump); the record is still one,
# and still the whole file's.
small="$tmp/crashes.log"
cat "$abs_top_srcdir"/corpus/coredump/* > "$small"
"$KSIFT" scan --json -q --no-db "$small" > "$tmp/c1"
for cs in 1 2 3 4 5 6 7 8; do
	"$KSIFT" scan --json -q --no-db -j 2 --chunk-size $cs "$small" > "$tmp/c2"
	cmp -s "$tmp/c1" "$tmp/c2" || { diff "$tmp/c1" "$tmp/c2" | head -c 2000; fail "crashes in $cs KiB chunks differ from the whole file"; }
done

echo "chunk-lines: -j 1 and -j 2 agree on a $((size / 1048576)) MiB log; evidence lines are the file's"
