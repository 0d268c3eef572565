#!/bin/sh
# Reports of other architectures and older kernels (corpus/arch): each file's
# first incident must have the kind, title and ip function its row in
# corpus/arch/README.md gives ('-': no ip function). The README's table is
# the reviewed expectation; tests/golden.sh holds the whole output.
set -u
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
ksift=${KSIFT:-$(pwd)/analyzer/ksift}
readme="$top/corpus/arch/README.md"
[ -f "$readme" ] || { echo "no $readme" >&2; exit 99; }
fail=0; n=0
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
# "| file | printer | kind | title | ip |" rows naming a .log
awk -F' \\| ' '/^\| [^ ]*\.log \|/ { sub(/^\| /, "", $1); sub(/ \|$/, "", $5);
	print $1 "\t" $3 "\t" $4 "\t" $5 }' "$readme" > "$rows"
while IFS='	' read -r file kind title ip; do
	n=$((n + 1))
	got=$("$ksift" scan --json -q --no-db "$top/corpus/arch/$file" | head -n 1 |
		python3 -c 'import json, sys
d = json.loads(sys.stdin.read() or "{}")
ip = (d.get("ip") or {}).get("func") or "-"
print("%s\t%s\t%s" % (d.get("kind"), d.get("title"), ip))')
	want=$(printf '%s\t%s\t%s' "$kind" "$title" "$ip")
	if [ "$got" != "$want" ]; then
		echo "FAIL $file:"
		echo "  expected: $want"
		echo "  got:      $got"
		fail=$((fail + 1))
	fi
done < "$rows"
[ "$n" -gt 0 ] || { echo "no rows read from $readme" >&2; exit 99; }
echo "arch: $((n - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
