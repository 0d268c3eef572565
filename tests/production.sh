#!/bin/sh
# Real production logs (../shared/corpus/production/abrt: Fedora/RHEL 2.6.27
# to 4.x, x86, i686, ppc64, s390x, arm) must read exactly as its expected.tsv
# says: incident counts, titles in order, and no incident flagged corrupted
# that the table does not mark so. Any deviation fails. Labels this tree
# corrects are in tests/production-corrections.tsv (printed when used).
set -u
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
ksift=${KSIFT:-$(pwd)/analyzer/ksift}
report=$(dirname "$ksift")/../tests/title-report
tsv="$top/../shared/corpus/production/abrt/expected.tsv"
if [ ! -f "$tsv" ]; then
	echo "production corpus not found at $tsv: CI checks shared/ out beside the repo" >&2
	exit 99	# a hard error, never a silent skip
fi
out=$("$report" --expected="$tsv" --corrections="$top/tests/production-corrections.tsv")
status=$?
printf '%s\n' "$out" | grep -v '^  \|^by era'
ok=$(printf '%s\n' "$out" | sed -n 's/^expected .*: \([0-9]*\)\/\([0-9]*\) files as expected$/\1 \2/p')
set -- $ok
echo "production: $1 passed, $(($2 - $1)) failed"
[ "$status" -eq 0 ] && [ "$1" -eq "$2" ]
