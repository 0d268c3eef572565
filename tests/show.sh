#!/bin/sh
# ksift show: boots first, each followed by its own incidents; plain text
# when piped (no colour); --id; exit statuses.
set -u
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
ksift=${KSIFT:-$(pwd)/analyzer/ksift}
fail=0; pass=0
expect() {	# description, expected, actual
	if [ "$2" = "$3" ]; then pass=$((pass + 1)); else
		printf 'FAIL: %s\n--- expected\n%s\n--- got\n%s\n' "$1" "$2" "$3"; fail=$((fail + 1)); fi
}
got=$("$ksift" show "$top/corpus/formats/journal-short.log" | grep -E '^(==|#)')
expect "journal: incident under the boot it happened in" \
"== host node017, from line 1
#1 INFO: task hung in xfs_reclaim_inodes_ag  [hung_task]
== host node017, boot at line 11" "$got"
got=$("$ksift" show "$top/corpus/formats/multihost.log" | grep -E '^(==|#)')
expect "multihost: one section per host" \
"== host hostA, from line 1
#1 INFO: task hung in blk_mq_freeze_queue_wait  [hung_task]
== host hostB, from line 1
#2 INFO: task hung in copy_net_ns  [hung_task]
== host hostC, from line 1
#3 TCP: out of memory -- consider tuning tcp_mem  [tcp_mem]" "$got"
out=$("$ksift" show "$top/corpus/formats/console-level.log")
expect "context printed" "  cmdline:    BOOT_IMAGE=/boot/vmlinuz-5.10.0-28-amd64 root=/dev/sda1 ro quiet" \
	"$(printf '%s\n' "$out" | grep cmdline)"
expect "no colour when piped" "0" "$(printf '%s' "$out" | grep -c "$(printf '\033')")"
expect "full trace with modules" "  modules: bonding i40e" "$(printf '%s\n' "$out" | grep modules:)"
out=$("$ksift" show --color=always "$top/corpus/formats/console-level.log")
[ "$(printf '%s' "$out" | grep -c "$(printf '\033')")" -gt 0 ] && pass=$((pass + 1)) ||
	{ echo "FAIL: --color=always gives no colour"; fail=$((fail + 1)); }
got=$("$ksift" show --id 2 "$top/corpus/kinds/gpf-5.4.log" | grep -E '^#')
expect "--id" "#2 kernel panic: Fatal exception  [panic]" "$got"
"$ksift" show --no-db "$top/../shared/corpus/seed/ibrs-rhel7-boot.log" >/dev/null; rc=$?
expect "no incident: exit 0" 0 "$rc"
# With the signatures, as scan: the boot is a known-bad kernel (a condition).
got=$("$ksift" show "$top/../shared/corpus/seed/ibrs-rhel7-boot.log" | grep -E '^  known bug:')
expect "show matches like scan" "  known bug: rhel7-ibrs-693.17.1 — RHEL 7 kernel 3.10.0-693.17.1 turns IBRS on by default (high %user in guests)" "$got"
"$ksift" show "$top/corpus/kinds/gpf-5.4.log" >/dev/null; rc=$?
expect "incidents: exit 1" 1 "$rc"
"$ksift" show /nonexistent 2>/dev/null >/dev/null; rc=$?
expect "missing file: exit 2" 2 "$rc"
# A sysrq-w dump is summarised by stack, the blocked group pointing at the
# holder of the lock it waits for; --no-group shows every task.
out=$("$ksift" show "$top/corpus/sysrq/sysrq-w-locks-6.1.log")
got=$(printf '%s\n' "$out" | grep -E '^#' | head -1)
expect "dump grouped" "#1 sysrq: task blocked in copy_net_ns  [sysrq_tasks]" "$got"
got=$(printf '%s\n' "$out" | grep -c '^#')
expect "dump records" 4 "$got"
got=$(printf '%s\n' "$out" | grep -E '^  summary: 3 tasks' | sed 's/.*held by //')
expect "holder" "kworker/u8:3/88 at cleanup_net+0x4a/0x3b0" "$got"
got=$("$ksift" show --no-group "$top/corpus/sysrq/sysrq-w-locks-6.1.log" | grep -c '^#')
expect "--no-group" 6 "$got"
echo "show: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
