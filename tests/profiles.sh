#!/bin/sh
# CPU profiles and /proc stack captures as inputs: the seed's KVM mmu_lock
# perf capture (corpus/profiles/make-kvm-mmu_lock.py writes it from the
# field case's figures), a real `perf record -g -a` capture from the
# development machine (golden), the same profile as perf report --stdio
# (both call-graph orders) and folded stacks, and the /proc captures of the
# seed's hung `ip` tasks in the three shapes people collect them.
set -u
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
ksift=${KSIFT:-$(pwd)/analyzer/ksift}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0; pass=0
check() {	# description, command...
	desc=$1; shift
	if "$@"; then pass=$((pass + 1)); else echo "FAIL: $desc"; fail=$((fail + 1)); fi
}
has() { printf '%s' "$1" | grep -qF -- "$2"; }
hasnt() { ! has "$@"; }
hasnt_re() { ! printf '%s' "$1" | grep -qE -- "$2"; }
lines() { printf '%s\n' "$1" | grep -c .; }

seed="$top/corpus/profiles/kvm-mmu_lock-contention.perf.gz"
out=$("$ksift" scan --json -q "$seed"); rc=$?
check "seed perf: exit 1" [ "$rc" -eq 1 ]
check "seed perf: two findings" [ "$(lines "$out")" -eq 2 ]
l1=$(printf '%s\n' "$out" | sed -n 1p); l2=$(printf '%s\n' "$out" | sed -n 2p)
check "seed perf: tdp_page_fault first" has "$l1" '"kind":"profile","title":"lock contention in tdp_page_fault"'
check "seed perf: its share" has "$l1" '"share":"78.0%","samples":3120,"total_samples":4000'
check "seed perf: mmu_shrink_scan second" has "$l2" '"title":"lock contention in mmu_shrink_scan"'
check "seed perf: its share" has "$l2" '"share":"11.0%","samples":440'
check "seed perf: samples and duration" has "$l1" '"profile":{"format":"perf script","event":"cpu-clock:pppH","samples":4000,"duration":9.8'
check "seed perf: 91% in the spin lock" has "$l1" '"self":[{"name":"_raw_spin_lock","samples":3420,"share":85.50},{"name":"native_queued_spin_lock_slowpath","samples":220,"share":5.50}'
check "seed perf: the vCPU call path" has "$l1" '"contention":[{"name":"tdp_page_fault","module":"kvm","samples":3120,"share":78.00,"path":["[unknown]","[unknown]","ioctl","entry_SYSCALL_64_fastpath","sys_ioctl","do_vfs_ioctl","kvm_vcpu_ioctl","kvm_arch_vcpu_ioctl_run","vcpu_enter_guest","vmx_handle_exit","handle_ept_violation","kvm_mmu_page_fault","tdp_page_fault","_raw_spin_lock"]}'
check "seed perf: the shrinker path" has "$l1" '{"name":"mmu_shrink_scan","module":"kvm","samples":440,"share":11.00,"path":["ret_from_fork","kthread","kswapd","shrink_zone","shrink_slab.part.40","mmu_shrink_scan","_raw_spin_lock"]}'
check "seed perf: comm shares" has "$l1" '"comms":[{"name":"qemu-system-x86","samples":3400,"share":85.00}'
check "seed perf: known bug on both" [ "$(printf '%s\n' "$out" | grep -c '"id":"kvm-mmu_lock-contention"')" -eq 2 ]
check "seed perf: profile-share evidence" has "$l1" '"predicate":"profile-share","detail":"80.0% of 4000 samples (>= 20%)'
h1=$(printf '%s' "$l1" | sed 's/.*"hash":"\([0-9a-f]*\)".*/\1/')
# The threshold is the user's.
out=$("$ksift" scan --json -q --profile-threshold 50 "$seed")
check "threshold 50: only tdp_page_fault" [ "$(lines "$out")" -eq 1 ]
out=$("$ksift" scan --json -q --profile-threshold 1 "$seed")
check "threshold 1: free_pcppages_bulk and vmx_vcpu_run too" \
	has "$out" '"title":"lock contention in free_pcppages_bulk"'
check "threshold 1: high CPU" has "$out" '"title":"high CPU in vmx_vcpu_run"'
check "threshold 1: idle is no finding" hasnt "$out" 'high CPU in default_idle'
"$ksift" scan -q --profile-threshold 0 "$seed" >/dev/null 2>&1
check "threshold 0: usage error" [ $? -eq 2 ]

# The same samples folded, and as perf report would draw them: same findings,
# same hash (clustered by the function, whatever the format).
zcat "$seed" | awk '
	/^[^\t]/ { n = 0; next }
	/^\t/ { f = $2; sub(/\+0x[0-9a-f]+$/, "", f); fr[n++] = f; next }
	/^$/ { if (n) { s = fr[n - 1]; for (i = n - 2; i >= 0; i--) s = s ";" fr[i]; c[s]++ } n = 0 }
	END { for (s in c) print s, c[s] }' | sort > "$work/seed.folded"
out=$("$ksift" scan --json -q --no-db "$work/seed.folded")
check "folded: tdp_page_fault" has "$out" '"title":"lock contention in tdp_page_fault"'
check "folded: 78%" has "$out" '"share":"78.0%"'
check "folded: same hash" has "$out" "\"hash\":\"$h1\""
check "folded: mmu_shrink_scan" has "$out" '"title":"lock contention in mmu_shrink_scan"'

# perf report --stdio --no-children, callee order (the entry innermost).
cat > "$work/report-callee.txt" <<'REPORT'
# To display the perf.data header info, please use --header/--header-only options.
#
# Samples: 4K of event 'cpu-clock:pppH'
# Event count (approx.): 1000000000
#
# Overhead  Command          Shared Object      Symbol
# ........  ...............  .................  ..................................
#
    85.50%  qemu-system-x86  [kernel.kallsyms]  [k] _raw_spin_lock
            |
            ---_raw_spin_lock
               |
               |--72.50%--tdp_page_fault
               |          kvm_mmu_page_fault
               |          handle_ept_violation
               |          vmx_handle_exit
               |          vcpu_enter_guest
               |          kvm_arch_vcpu_ioctl_run
               |          kvm_vcpu_ioctl
               |          do_vfs_ioctl
               |          sys_ioctl
               |          entry_SYSCALL_64_fastpath
               |          ioctl
               |
               |--11.00%--mmu_shrink_scan
               |          shrink_slab.part.40
               |          shrink_zone
               |          |
               |          |--7.00%--kswapd
               |          |          kthread
               |          |          ret_from_fork
               |          |
               |           --4.00%--do_try_to_free_pages
               |                     try_to_free_pages
               |
                --2.00%--free_pcppages_bulk
                          free_hot_cold_page

     5.50%  qemu-system-x86  [kernel.kallsyms]  [k] native_queued_spin_lock_slowpath
            |
            ---native_queued_spin_lock_slowpath
               _raw_spin_lock
               tdp_page_fault
               kvm_mmu_page_fault

     5.00%  qemu-system-x86  [kvm_intel]        [k] vmx_vcpu_run
            |
            ---vmx_vcpu_run
               vcpu_enter_guest

REPORT
out=$("$ksift" scan --json -q --no-db "$work/report-callee.txt")
check "perf report callee: tdp_page_fault 78%" has "$out" '"title":"lock contention in tdp_page_fault"'
check "perf report callee: share" has "$out" '"share":"78.0%"'
check "perf report callee: mmu_shrink_scan 11%" has "$out" '"title":"lock contention in mmu_shrink_scan","host":null'
check "perf report callee: total from the header" has "$out" '"samples":4000'
check "perf report callee: kswapd path" has "$out" '"path":["ret_from_fork","kthread","kswapd","shrink_zone","shrink_slab.part.40","mmu_shrink_scan","_raw_spin_lock"]'
check "perf report callee: same hash as perf script" has "$out" "\"hash\":\"$h1\""
# The same in caller order (-g caller): chains start at the outermost caller.
cat > "$work/report-caller.txt" <<'REPORT'
# Samples: 4K of event 'cpu-clock:pppH'
#
# Overhead  Command          Shared Object      Symbol
# ........  ...............  .................  ..................................
#
    85.50%  qemu-system-x86  [kernel.kallsyms]  [k] _raw_spin_lock
            |
            |--72.50%--ioctl
            |          entry_SYSCALL_64_fastpath
            |          sys_ioctl
            |          do_vfs_ioctl
            |          kvm_vcpu_ioctl
            |          kvm_arch_vcpu_ioctl_run
            |          vcpu_enter_guest
            |          vmx_handle_exit
            |          handle_ept_violation
            |          kvm_mmu_page_fault
            |          tdp_page_fault
            |          _raw_spin_lock
            |
            |--11.00%--ret_from_fork
            |          kthread
            |          kswapd
            |          shrink_zone
            |          shrink_slab.part.40
            |          mmu_shrink_scan
            |          _raw_spin_lock
            |
             --2.00%--free_hot_cold_page
                       free_pcppages_bulk
                       _raw_spin_lock

REPORT
out=$("$ksift" scan --json -q --no-db "$work/report-caller.txt")
check "perf report caller: tdp_page_fault" has "$out" '"title":"lock contention in tdp_page_fault"'
check "perf report caller: share of all" has "$out" '"share":"72.5%"'
check "perf report caller: mmu_shrink_scan" has "$out" '"title":"lock contention in mmu_shrink_scan"'

# A real `perf record -g -a` capture of this machine (dd reading /dev/zero
# while other jobs ran), printed by `perf script`: golden.
exp="$top/tests/expected/profiles/perf-record-g-a-dd.json"
out=$("$ksift" scan --json -q --no-db --profile-threshold 5 "$top/corpus/profiles/perf-record-g-a-dd.perf.gz" |
	sed 's|"path":"[^"]*corpus/profiles/|"path":"corpus/profiles/|')
if [ "${UPDATE:-0}" = 1 ]; then
	mkdir -p "$(dirname "$exp")"; printf '%s\n' "$out" > "$exp"
fi
printf '%s\n' "$out" > "$work/real.json"
check "real capture: golden" diff -u "$exp" "$work/real.json"
check "real capture: read_zero" has "$out" '"title":"high CPU in read_zero"'

# /proc captures of the seed's hung ip tasks: one group of 2 in copy_net_ns,
# the known bug; in every shape.
for f in netns-ip-head netns-ip-grep netns-ip-loop; do
	out=$("$ksift" scan --json -q "$top/corpus/proc/$f.txt"); rc=$?
	g1=$(printf '%s\n' "$out" | sed -n 1p)
	check "$f: exit 1" [ "$rc" -eq 1 ]
	check "$f: two groups" [ "$(lines "$out")" -eq 2 ]
	check "$f: title" has "$g1" '"kind":"proc_stack","title":"task hung in copy_net_ns"'
	check "$f: 2 ip tasks" has "$g1" '"count":2,'
	check "$f: members" has "$g1" '"members":[{"comm":"ip","pid":1747,"state":"D"'
	check "$f: summary" has "$g1" '2 tasks in D state blocked in copy_net_ns'
	check "$f: known bug" has "$g1" '"id":"netns-copy_net_ns-net_mutex"'
done
# Unknown state: no "hung" in the title; a lone stack is its own task.
printf '[<0>] mutex_lock+0x1f/0x30\n[<0>] copy_net_ns+0x6e/0x120\n[<0>] create_new_namespaces+0x11b/0x1d0\n' > "$work/bare"
out=$("$ksift" scan --json -q --no-db "$work/bare")
check "bare stack: task in copy_net_ns" has "$out" '"title":"task in copy_net_ns"'
# ps alone: a D task with its wchan is a one-frame record; S tasks are not.
printf '  PID S WCHAN  COMMAND\n  900 S ep_poll sshd\n 1747 D copy_net_ns ip\n' > "$work/ps"
out=$("$ksift" scan --json -q --no-db "$work/ps")
check "ps: D task from wchan" has "$out" '"title":"task hung in copy_net_ns"'
check "ps: one record" [ "$(lines "$out")" -eq 1 ]

# ksift show --flame: a self-contained SVG, every name escaped.
printf 'a<script>;b&c;"q" 5\nx;y 3\n' > "$work/evil.folded"
svg=$("$ksift" show --flame "$work/evil.folded"); rc=$?
check "flame: exit 0" [ "$rc" -eq 0 ]
check "flame: svg" has "$svg" '<svg xmlns="http://www.w3.org/2000/svg"'
check "flame: escaped" has "$svg" 'a&lt;script&gt;'
check "flame: no raw tag" hasnt "$svg" '<script'
check "flame: no external reference" hasnt_re "$(printf '%s' "$svg" | sed 's| xmlns="http://www.w3.org/2000/svg"||')" 'href|url\(|@import|https?:|src='
svg=$("$ksift" show --flame "$seed")
check "flame: seed has tdp_page_fault" has "$svg" '>tdp_page_fault<'
out=$("$ksift" show "$seed")
check "show: contention table" has "$out" 'lock contention (samples spinning, by the function taking the lock):'
check "show: tdp row" has "$out" ' 78.0%  tdp_page_fault'

echo "profiles: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
