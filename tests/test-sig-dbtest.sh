#!/bin/sh
# `ksift db test`: the shipped signatures against their examples, their
# counter-examples and the whole corpus (plus the shared seed corpus when
# present) — and proof that it does fail on a miss and on a false match.
set -u
: "${KSIFT:?}" "${abs_top_srcdir:?}"
seed="$abs_top_srcdir/../shared/corpus/seed"
extra=""
[ -d "$seed" ] && extra="--corpus $seed"
# shellcheck disable=SC2086
"$KSIFT" db test "$abs_top_srcdir/signatures/bugs" --root "$abs_top_srcdir" $extra || exit 1

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/sigs" "$tmp/corpus"
cp "$abs_top_srcdir/corpus/signatures/tcp-mem-exhausted/dmesg-ratelimited.log" "$tmp/corpus/tcp.log"
cp "$abs_top_srcdir/corpus/signatures/tcp-mem-exhausted/counter-single.log" "$tmp/corpus/one.log"
# A miss: the example does not match.
cat > "$tmp/sigs/miss.sig" <<SIG
id: miss
title: never matches its example
severity: low
kind: oops
examples:
  corpus/tcp.log
SIG
out=$("$KSIFT" db test "$tmp/sigs" --root "$tmp"); rc=$?
[ $rc -eq 1 ] || { echo "FAIL: miss gave exit $rc"; exit 1; }
echo "$out" | grep -q "^MISS miss: .*tcp.log" || { echo "FAIL: no MISS line: $out"; exit 1; }
# A false match: a counter-example matches, and an unlisted corpus file matches.
rm "$tmp/sigs/miss.sig"
cat > "$tmp/sigs/loose.sig" <<SIG
id: loose
title: any tcp_mem message
severity: low
kind: tcp_mem
counter-examples:
  corpus/one.log
SIG
out=$("$KSIFT" db test "$tmp/sigs" --root "$tmp"); rc=$?
[ $rc -eq 1 ] || { echo "FAIL: false match gave exit $rc"; exit 1; }
echo "$out" | grep -q "^UNEXPECTED loose: .*one.log:1: matched a counter-example" ||
	{ echo "FAIL: no counter-example line: $out"; exit 1; }
echo "$out" | grep -q "^UNEXPECTED loose: .*tcp.log:1: .*not listed in examples" ||
	{ echo "FAIL: no unlisted-match line: $out"; exit 1; }
# An invalid signature: exit 2 with file:line.
printf 'id: x\ntitle: t\nseverity: low\nkind: nope\n' > "$tmp/sigs/loose.sig"
out=$("$KSIFT" db test "$tmp/sigs" --root "$tmp" 2>&1); rc=$?
[ $rc -eq 2 ] || { echo "FAIL: invalid signature gave exit $rc"; exit 1; }
echo "$out" | grep -q "loose.sig:4: kind: unknown incident kind 'nope'" || { echo "FAIL: $out"; exit 1; }
echo "ok"
