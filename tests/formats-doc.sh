#!/bin/sh
# The README's list of supported report formats is generated from the
# report-format table: it must be what tests/formats-doc prints now
# (`make formats-doc` rewrites it).
set -u
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
ksift=${KSIFT:-$(pwd)/analyzer/ksift}
gen=$(dirname "$ksift")/../tests/formats-doc
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$gen" > "$tmp/want" || { echo "FAIL: formats-doc"; exit 1; }
sed -n '/<!-- formats:begin -->/,/<!-- formats:end -->/p' "$top/README.md" |
	sed '1d;$d' > "$tmp/have"
if [ ! -s "$tmp/have" ]; then
	echo "FAIL: README.md has no formats:begin/formats:end section"
	echo "formats-doc: 0 passed, 1 failed"
	exit 1
fi
if ! cmp -s "$tmp/want" "$tmp/have"; then
	echo "FAIL: README.md's supported formats differ from the table (run make formats-doc):"
	diff "$tmp/have" "$tmp/want" | head -20
	echo "formats-doc: 0 passed, 1 failed"
	exit 1
fi
echo "formats-doc: 1 passed, 0 failed"
