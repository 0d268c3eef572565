#!/bin/sh
# Golden tests: every sample under corpus/formats, corpus/kinds, corpus/sysrq,
# corpus/arch (its .log files) and corpus/damaged is scanned with --json and compared with tests/expected/DIR/NAME.json
# (reviewed output); the damaged logs' text output too (NAME.txt: what a terminal
# is sent, control characters escaped). Run with
# UPDATE=1 to rewrite the expected files after an intended change, then
# review the diff before committing.
set -u
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
ksift=${KSIFT:-$(pwd)/analyzer/ksift}
# Syslog times without a year get theirs from the file's mtime (walltime.h):
# scan copies with a fixed one, so the years in the goldens do not depend on
# when the tree was checked out.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus"
cp -R "$top/corpus/formats" "$top/corpus/kinds" "$top/corpus/sysrq" "$top/corpus/coredump" \
	"$top/corpus/damaged" "$top/corpus/arch" "$work/corpus/" || exit 99
find "$work/corpus" -type f -exec touch -d '2026-12-31 12:00:00 UTC' {} +
export TZ=UTC
cd "$work" || exit 99
fail=0; n=0
for f in corpus/formats/* corpus/kinds/* corpus/sysrq/* corpus/coredump/* corpus/arch/*.log \
	corpus/damaged/*; do
	exp="$top/tests/expected/${f#corpus/}.json"
	n=$((n + 1))
	# Parser goldens: signature matching is tested by tests/db.sh.
	out=$("$ksift" scan --json -q --no-db "$f")
	rc=$?
	if [ "${UPDATE:-0}" = 1 ]; then
		printf '%s\n' "$out" > "$exp"
		continue
	fi
	if [ ! -f "$exp" ]; then
		echo "FAIL $f: no $exp (run UPDATE=1 $0 and review)"; fail=$((fail + 1)); continue
	fi
	if [ "$rc" -ne 1 ]; then
		echo "FAIL $f: exit status $rc, expected 1 (incidents found)"; fail=$((fail + 1)); continue
	fi
	if ! printf '%s\n' "$out" | diff -u "$exp" - >/dev/null; then
		echo "FAIL $f: output differs from $exp:"
		printf '%s\n' "$out" | diff -u "$exp" - | head -20
		fail=$((fail + 1))
	fi
done
for f in corpus/damaged/*; do
	exp="$top/tests/expected/${f#corpus/}.txt"
	n=$((n + 1))
	"$ksift" scan -q --no-db --color=never "$f" > "$work/text"
	if [ "${UPDATE:-0}" = 1 ]; then
		cp "$work/text" "$exp"
		continue
	fi
	if ! diff -u "$exp" "$work/text" >/dev/null; then
		echo "FAIL $f: text output differs from $exp:"
		diff -u "$exp" "$work/text" | head -20
		fail=$((fail + 1))
	fi
done
echo "golden: $((n - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
