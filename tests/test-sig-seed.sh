#!/bin/sh
# The seed corpus (../shared/corpus/seed) must match the signature ids its
# README names, file by file, with the shipped signatures and nothing else.
set -u
: "${KSIFT:?}" "${abs_top_srcdir:?}"
seed="$abs_top_srcdir/../shared/corpus/seed"
if [ ! -f "$seed/README.md" ] && [ ! -f "$seed/../README.md" ]; then
	echo "SKIP: no seed corpus at $seed"; exit 77
fi
readme="$seed/../README.md"
[ -f "$seed/README.md" ] && readme="$seed/README.md"
fail=0
n=0
# Table rows: | file | analysis | id |
grep '^| [a-zA-Z0-9_.-]*\.log |' "$readme" | while IFS='|' read -r _ file _ id _; do
	file=$(echo "$file" | tr -d ' ')
	id=$(echo "$id" | tr -d ' ')
	out=$("$KSIFT" db match --sigs "$abs_top_srcdir/signatures/bugs" "$seed/$file") || {
		echo "FAIL $file: ksift db match failed"; exit 1; }
	if ! echo "$out" | grep -q ": $id ("; then
		echo "FAIL $file: expected $id, got:"; echo "$out"; exit 1
	fi
	other=$(echo "$out" | grep -v ": $id (" || true)
	if [ -n "$other" ]; then
		echo "FAIL $file: unexpected matches:"; echo "$other"; exit 1
	fi
	echo "ok $file -> $id"
done || fail=1
rows=$(grep -c '^| [a-zA-Z0-9_.-]*\.log |' "$readme")
[ "$rows" -ge 6 ] || { echo "FAIL: only $rows seed rows in $readme"; fail=1; }
exit $fail
