#!/bin/sh
# Archives as a support case brings them: a sosreport of the seed logs as
# tar (plain, gz, xz, zst, bz2), zip and cpio gives the same incidents,
# titles and hashes as the loose files, each member an input of its own
# with its own line numbers and the bundle's host; nested one level; the
# host file late in the archive; a supportconfig; binary members skipped;
# bombs and corrupt archives stopped with a clear error while the other
# inputs are still reported; -j; --results knows an archive; stdin.
set -u
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
ksift=${KSIFT:-$(pwd)/analyzer/ksift}
seed="$top/../shared/corpus/seed"
if [ ! -d "$seed" ]; then
	echo "seed corpus not found at $seed" >&2
	exit 99
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0; pass=0
check() {	# description, command...
	desc=$1; shift
	if "$@"; then pass=$((pass + 1)); else echo "FAIL: $desc"; fail=$((fail + 1)); fi
}
has() { printf '%s' "$1" | grep -qF -- "$2"; }
hasnt() { ! has "$@"; }
lines() { printf '%s\n' "$1" | grep -c .; }
# kind, title and hash of each record, sorted: what must not depend on packaging
sig() { sed 's/.*"kind":"\([^"]*\)","title":"\([^"]*\)".*"hash":"\([0-9a-f]*\)".*/\1|\2|\3/' | sort; }

cd "$work" || exit 99
sos=sosreport-node7-01234-2024-06-01-abcdef
mkdir -p "$sos/var/log" "$sos/sos_commands/kernel" "$sos/sos_commands/general" loose
for f in "$seed"/*.log; do cp "$f" loose/; done
cp "$seed/kvm_zap_rmapp-oops.log" "$sos/var/log/messages"
gzip -c "$seed/tcp-mem-oom.log" > "$sos/var/log/messages-20240601.gz"
cp "$seed/hung-task-copy_net_ns.log" "$sos/sos_commands/kernel/dmesg"
cp "$seed/kvm-mmu_lock-soft-lockup.log" "$sos/sos_commands/kernel/dmesg_-T"
cp "$seed/xfs-shrink_slab-hung.log" "$sos/var/log/kern.log"
cp "$seed/ibrs-rhel7-boot.log" "$sos/var/log/boot.log"
head -c 5000 "$ksift" > "$sos/sos_commands/general/binary-blob"
echo node7 > "$sos/sos_commands/general/hostname"
# The host file last: the records of the members before it wait for it.
find "$sos" -type f ! -name hostname | sort > order
echo "$sos/sos_commands/general/hostname" >> order
tar cf sos.tar -T order
gzip -c sos.tar > sos.tar.gz; xz -c sos.tar > sos.tar.xz
zstd -q -c sos.tar > sos.tar.zst; bzip2 -c sos.tar > sos.tar.bz2
zip -q -r sos.zip "$sos"
cpio -o -H newc < order > sos.cpio 2>/dev/null

want=$("$ksift" scan --json -q --no-group loose/*.log | sig)
for a in sos.tar sos.tar.gz sos.tar.xz sos.tar.zst sos.tar.bz2 sos.zip sos.cpio; do
	out=$("$ksift" scan --json -q --no-group "$a" 2>"$a.err"); rc=$?
	check "$a: exit 1" [ "$rc" -eq 1 ]
	check "$a: same incidents, titles and hashes as the loose files" \
		[ "$(printf '%s\n' "$out" | sig)" = "$want" ]
	check "$a: member path and own line numbers" has "$out" \
		"\"path\":\"$a:$sos/sos_commands/kernel/dmesg\",\"line\":1,"
	check "$a: dmesg member has the sosreport's host" has "$out" \
		'"title":"INFO: task hung in copy_net_ns","host":"node7"'
	check "$a: syslog keeps its own host" has "$out" \
		'"title":"BUG: unable to handle kernel paging request in kvm_zap_rmapp","host":"example"'
	check "$a: compressed member read" has "$out" "\"path\":\"$a:$sos/var/log/messages-20240601.gz\""
	check "$a: binary member skipped with a warning" \
		grep -qF "$a:$sos/sos_commands/general/binary-blob: binary member skipped" "$a.err"
	check "$a: known bugs" has "$out" '"id":"netns-copy_net_ns-net_mutex"'
done
# Grouped as in the loose file: floods never span members.
out=$("$ksift" scan --json -q sos.tar.gz)
check "grouping inside a member" has "$out" '"summary":"2 tasks in D state blocked in copy_net_ns ← mutex_lock"'
# Text output names the member.
out=$("$ksift" scan -q --color=never sos.tar.xz)
check "text: member path" has "$out" "where:  sos.tar.xz:$sos/sos_commands/kernel/dmesg:1-"
# stdin
out=$(cat sos.tar.zst | "$ksift" scan --json -q --no-group -)
check "stdin: same incidents" [ "$(printf '%s\n' "$out" | sig)" = "$want" ]
check "stdin: member path" has "$out" "\"path\":\"-:$sos/sos_commands/kernel/dmesg\""
# --host wins over the bundle's own.
out=$("$ksift" scan --json -q --host forced sos.tar)
check "--host wins" has "$out" '"title":"INFO: task hung in copy_net_ns","host":"forced"'

# A supportconfig names its host in basic-environment.txt (uname -a).
mkdir -p scc_node9_240601_1200
cp "$seed/hung-task-copy_net_ns.log" scc_node9_240601_1200/boot.txt
printf '#==[ Command ]======================================#\n# /bin/uname -a\nLinux node9 5.14.21-150400.24.46-default #1 SMP PREEMPT_DYNAMIC Mon Feb 6 14:45:19 UTC 2023 (12c4ff0) x86_64 x86_64 x86_64 GNU/Linux\n' \
	> scc_node9_240601_1200/basic-environment.txt
tar cJf scc_node9.txz scc_node9_240601_1200
out=$("$ksift" scan --json -q scc_node9.txz)
check "supportconfig: host from uname -a" has "$out" '"host":"node9"'

# Nested one level: a case tarball of two sosreports and a loose dmesg.
mkdir -p case other
cp sos.tar.xz case/node7.tar.xz
sed 's/node7/node8/' order > /dev/null
mkdir -p sos8/sos_commands/kernel
cp "$seed/hung-task-copy_net_ns.log" sos8/sos_commands/kernel/dmesg
echo node8 > sos8/hostname
tar czf case/node8.tar.gz sos8
cp "$seed/hung-task-copy_net_ns.log" case/dmesg
tar czf case.tar.gz case
out=$("$ksift" scan --json -q case.tar.gz 2>nested.err)
check "nested: inner member path" has "$out" "\"path\":\"case.tar.gz:case/node7.tar.xz:$sos/sos_commands/kernel/dmesg\""
check "nested: inner host node7" has "$out" "\"host\":\"node7\",\"source\":{\"path\":\"case.tar.gz:case/node7.tar.xz:"
check "nested: inner host node8" has "$out" '"host":"node8","source":{"path":"case.tar.gz:case/node8.tar.gz:sos8/sos_commands/kernel/dmesg"'
check "nested: loose member" has "$out" '"path":"case.tar.gz:case/dmesg"'
tar cf deep.tar case.tar.gz
out=$("$ksift" scan --json -q deep.tar 2>deep.err)
check "nested twice: skipped with a warning" \
	grep -qF "deep.tar:case.tar.gz:case/node7.tar.xz: archive nested more than one level deep" deep.err

# Bombs: each limit stops the archive with a clear error; the other inputs
# of the run are still reported and the exit status is 2.
"$ksift" scan --json -q --archive-max-members 3 sos.tar loose/tcp-mem-oom.log > bomb.out 2> bomb.err
rc=$?
check "members limit: exit 2" [ "$rc" -eq 2 ]
check "members limit: message" grep -qF "sos.tar: archive has more than 3 members: stopped (an archive bomb? --archive-max-members raises the limit)" bomb.err
check "members limit: other input reported" grep -qF '"path":"loose/tcp-mem-oom.log"' bomb.out
check "members limit: members before it reported" grep -qF '"path":"sos.tar:' bomb.out
"$ksift" scan -q --archive-max-size 10000 sos.tar > /dev/null 2> size.err
check "size limit" grep -qF "archive expands to more than 10000 bytes" size.err
# 80 MiB of one repeated line in a tar.xz: far over 1000:1.
python3 - <<'PY'
import io, lzma, tarfile
class Lines(io.RawIOBase):
    def __init__(self, n): self.left = n
    def readable(self): return True
    def readinto(self, b):
        k = min(len(b), self.left); b[:k] = (b"kernel: all quiet\n" * (k // 18 + 1))[:k]; self.left -= k; return k
n = 80 << 20
with lzma.open("bomb.tar.xz", "wb", preset=6) as gz:
    with tarfile.open(fileobj=gz, mode="w") as t:
        info = tarfile.TarInfo("quiet.log"); info.size = n
        t.addfile(info, io.BufferedReader(Lines(n), 1 << 20))
PY
"$ksift" scan -q bomb.tar.xz loose/tcp-mem-oom.log > ratio.out 2> ratio.err; rc=$?
check "ratio limit: exit 2" [ "$rc" -eq 2 ]
check "ratio limit: message" grep -qF "archive expands more than 1000 times its size" ratio.err
check "ratio limit: other input reported" grep -qF "TCP: out of memory" ratio.out

# Corrupt and truncated archives: what came before is reported.
head -c 20000 sos.tar > cut.tar
"$ksift" scan --json -q cut.tar loose/tcp-mem-oom.log > cut.out 2> cut.err; rc=$?
check "truncated tar: exit 2" [ "$rc" -eq 2 ]
check "truncated tar: error names it" grep -q "^ksift: cut.tar: .*truncated\|^ksift: cut.tar: .*corrupt\|^ksift: cut.tar: .*Truncated" cut.err
check "truncated tar: other input reported" grep -qF '"path":"loose/tcp-mem-oom.log"' cut.out
head -c $(($(wc -c < sos.tar.gz) / 2)) sos.tar.gz > cut.tar.gz
"$ksift" scan -q cut.tar.gz > /dev/null 2> cutgz.err; rc=$?
check "truncated tar.gz: exit 2" [ "$rc" -eq 2 ]
check "truncated tar.gz: gzip error" grep -qF "truncated gzip stream" cutgz.err
python3 -c "
d = bytearray(open('sos.tar', 'rb').read()); d[1024 * 30 : 1024 * 30 + 512] = b'\xff' * 512
open('garbled.tar', 'wb').write(d)"
"$ksift" scan -q garbled.tar > /dev/null 2> garbled.err; rc=$?
check "garbled tar: exit status 1 or 2, no crash" [ "$rc" -le 2 ]

# A folder of bundles, -j: the same output as one thread.
mkdir -p bundles
cp sos.tar.gz bundles/a.tar.gz; cp sos.zip bundles/b.zip; cp scc_node9.txz bundles/c.txz
cp "$seed/tcp-mem-oom.log" bundles/
j1=$("$ksift" scan --json -q bundles/)
j2=$("$ksift" scan --json -q -j2 bundles/)
check "-j2 over a folder of bundles: same output" [ "$j1" = "$j2" ]
check "folder: archive members scanned" has "$j1" '"path":"bundles/b.zip:'

# --results: members recorded under their paths; the archive known by its content.
"$ksift" scan -q --results r.db bundles/ > /dev/null
n1=$(sqlite3 r.db "SELECT count(*) FROM incidents WHERE source_path LIKE 'bundles/a.tar.gz:%'")
check "results: member rows" [ "$n1" -gt 0 ]
check "results: archive remembered as a file" [ "$(sqlite3 r.db "SELECT count(*) FROM files WHERE path = 'bundles/a.tar.gz'")" -eq 1 ]
"$ksift" scan --results r.db bundles/ > again.out 2> again.err
check "results: unchanged archives skipped" grep -qF "4 files unchanged since the last scan" again.err
mv bundles/a.tar.gz bundles/renamed.tar.gz
"$ksift" scan --results r.db bundles/ > /dev/null 2> renamed.err
check "results: a renamed archive is known by its content" grep -qF "4 files unchanged" renamed.err

echo "bundles: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
