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
printf '%s\n' "$full" | grep '"path":"[^"]*/node001/' | grep -vq '"host":"node001"' &&
	bad "raw lines under node001/ did not get host node001" || ok
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

# -j: same output as one thread.
"$ksift" scan --json -q -j 3 "$a" > "$tmp/j3"
printf '%s\n' "$full" | cmp -s - "$tmp/j3" && ok || bad "-j 3 output differs"
"$ksift" scan -q -j 0 "$a" 2>/dev/null; [ $? -eq 2 ] && ok || bad "-j 0 accepted"

echo "bulk: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
