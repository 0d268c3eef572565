#!/bin/sh
# The field cases of ../shared/corpus/seed must come out as its README says:
# kinds, titles, hosts, counts and shared hashes.
set -u
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
ksift=${KSIFT:-$(pwd)/analyzer/ksift}
seed="$top/../shared/corpus/seed"
if [ ! -d "$seed" ]; then
	echo "seed corpus not found at $seed: CI checks shared/ out beside the repo" >&2
	exit 99	# a hard error, never a silent skip
fi
fail=0; pass=0
check() {	# description, command...
	desc=$1; shift
	if "$@"; then pass=$((pass + 1)); else echo "FAIL: $desc"; fail=$((fail + 1)); fi
}
json() { "$ksift" scan --json -q "$seed/$1"; }
field() {	# file, N (1-based incident), key path as grep pattern
	json "$1" | sed -n "${2}p"
}
has() { printf '%s' "$1" | grep -qF -- "$2"; }

out=$("$ksift" scan --json -q --no-group "$seed/hung-task-copy_net_ns.log")
check "hung-task: 3 incidents" [ "$(printf '%s\n' "$out" | wc -l)" -eq 3 ]
l1=$(printf '%s\n' "$out" | sed -n 1p); l2=$(printf '%s\n' "$out" | sed -n 2p); l3=$(printf '%s\n' "$out" | sed -n 3p)
check "hung-task: ip #1 title" has "$l1" '"title":"INFO: task hung in copy_net_ns"'
check "hung-task: ip #2 title" has "$l2" '"title":"INFO: task hung in copy_net_ns"'
check "hung-task: ip tasks" has "$l1$l2" '"comm":"ip","pid":1812'
check "hung-task: release" has "$l1" '"release":"4.4.0-137-generic"'
h1=$(printf '%s' "$l1" | sed 's/.*"hash":"\([0-9a-f]*\)".*/\1/')
h2=$(printf '%s' "$l2" | sed 's/.*"hash":"\([0-9a-f]*\)".*/\1/')
h3=$(printf '%s' "$l3" | sed 's/.*"hash":"\([0-9a-f]*\)".*/\1/')
check "hung-task: same hash for both ip tasks" [ "$h1" = "$h2" ]
check "hung-task: kworker hash differs" [ "$h1" != "$h3" ]
check "hung-task: kworker in cleanup_net" has "$l3" '"func":"cleanup_net"'
check "hung-task: kworker waits in rcu_barrier" has "$l3" '"func":"rcu_barrier"'
# Grouped (the default): one flood of 3, the two ip tasks as one record.
out=$(json hung-task-copy_net_ns.log)
check "hung-task flood: 2 groups" [ "$(printf '%s\n' "$out" | wc -l)" -eq 2 ]
g1=$(printf '%s\n' "$out" | sed -n 1p); g2=$(printf '%s\n' "$out" | sed -n 2p)
check "hung-task flood: ip group" has "$g1" '"count":2,"flood":"1","flood_size":3,"summary":"2 tasks in D state blocked in copy_net_ns ← mutex_lock"'
check "hung-task flood: members" has "$g1" '"members":[{"comm":"ip","pid":1747,"state":"D","line":1},{"comm":"ip","pid":1812,"state":"D","line":18}]'
check "hung-task flood: kworker in the same flood" has "$g2" '"flood":"1","flood_size":3'
check "hung-task flood: kworker summary" has "$g2" '"summary":"1 task in D state blocked in netdev_run_todo ← rcu_barrier"'

out=$(json kvm_zap_rmapp-oops.log)
check "kvm_zap_rmapp: 1 incident" [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ]
check "kvm_zap_rmapp: title" has "$out" '"title":"BUG: unable to handle kernel paging request in kvm_zap_rmapp"'
check "kvm_zap_rmapp: host" has "$out" '"host":"example"'
check "kvm_zap_rmapp: kind" has "$out" '"kind":"oops"'
check "kvm_zap_rmapp: module kvm" has "$out" '"func":"kvm_zap_rmapp","off":"0x47","size":"0x60","module":"kvm"'
check "kvm_zap_rmapp: task" has "$out" '"comm":"qemu-system-x86","pid":40312'
check "kvm_zap_rmapp: release" has "$out" '"release":"4.4.0-119-generic"'
check "kvm_zap_rmapp: numa path" has "$out" '"func":"task_numa_work"'
check "kvm_zap_rmapp: mmu notifier path" has "$out" '"func":"kvm_mmu_notifier_invalidate_range_start"'

out=$(json tcp-mem-oom.log)
check "tcp-mem: 1 incident" [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ]
check "tcp-mem: host" has "$out" '"host":"proxy000"'
check "tcp-mem: kind" has "$out" '"kind":"tcp_mem"'
check "tcp-mem: title" has "$out" '"title":"TCP: out of memory -- consider tuning tcp_mem"'
check "tcp-mem: 6 printed + 118 suppressed" has "$out" '"printed":6,"suppressed":118'
check "tcp-mem: haproxy lines not in it" sh -c "! printf '%s' '$out' | grep -q haproxy"

out=$("$ksift" scan --json -q --no-db "$seed/ibrs-rhel7-boot.log")
check "ibrs: no crash incident" [ -z "$out" ]

out=$(json xfs-shrink_slab-hung.log)
check "xfs: 2 incidents" [ "$(printf '%s\n' "$out" | wc -l)" -eq 2 ]
check "xfs: kswapd0 title" has "$(printf '%s\n' "$out" | sed -n 1p)" '"title":"INFO: task hung in xfs_reclaim_inodes_ag"'
check "xfs: mysqld title" has "$(printf '%s\n' "$out" | sed -n 2p)" '"title":"INFO: task hung in xfs_reclaim_inodes_ag"'
check "xfs: under shrink_slab" has "$out" '"func":"shrink_slab.part.40"'

out=$(json kvm-mmu_lock-soft-lockup.log)
check "kvm-mmu_lock: 2 incidents" [ "$(printf '%s\n' "$out" | wc -l)" -eq 2 ]
check "kvm-mmu_lock: tdp_page_fault" has "$(printf '%s\n' "$out" | sed -n 1p)" '"title":"BUG: soft lockup in tdp_page_fault"'
check "kvm-mmu_lock: mmu_shrink_scan" has "$(printf '%s\n' "$out" | sed -n 2p)" '"title":"BUG: soft lockup in mmu_shrink_scan"'
check "kvm-mmu_lock: spinning in _raw_spin_lock" has "$out" '"ip":{"func":"_raw_spin_lock"'

# Known bugs, with the ids the seed README names.
for pair in hung-task-copy_net_ns.log:netns-copy_net_ns-net_mutex \
	    kvm_zap_rmapp-oops.log:kvm-zap-rmapp-paging-request \
	    tcp-mem-oom.log:tcp-mem-exhausted \
	    ibrs-rhel7-boot.log:rhel7-ibrs-693.17.1 \
	    xfs-shrink_slab-hung.log:xfs-shrink_slab-reclaim-deadlock \
	    kvm-mmu_lock-soft-lockup.log:kvm-mmu_lock-contention; do
	f=${pair%%:*}; id=${pair#*:}
	check "$f matches $id" has "$(json "$f")" "\"matches\":[{\"id\":\"$id\""
done
out=$(json kvm-mmu_lock-soft-lockup.log)
check "kvm-mmu_lock: both sides match" [ "$(printf '%s\n' "$out" | grep -c '"id":"kvm-mmu_lock-contention"')" -eq 2 ]
out=$(json ibrs-rhel7-boot.log)
check "ibrs: a condition record" has "$out" '"kind":"condition"'
check "ibrs: evidence names the boot line" has "$out" '"predicate":"boot-regex","detail":"line 9: FEATURE SPEC_CTRL Present"'
check "ibrs: evidence names the release" has "$out" '"predicate":"kernel","detail":"3.10.0-693.17.1.el7.x86_64"'
out=$(json hung-task-copy_net_ns.log)
check "netns: the kworker group is not the netns bug" [ "$(printf '%s\n' "$out" | grep -c 'netns-copy_net_ns-net_mutex')" -eq 1 ]

# The same reports from kernels that print every frame with "? " (no frame
# pointers: Debian 4.9, RHEL 6): those frames are the stack, for the title,
# the hash, grouping and signature frames alike.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ksift-seed.XXXXXX") || exit 99
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
summary() {	# title, hash and match ids of each record
	"$ksift" scan --json -q "$@" |
		sed 's/.*"title":"\([^"]*\)".*"hash":"\([0-9a-f]*\)".*"matches":\[\(.*\)\]}$/\1 \2 \3/' |
		sed 's/"evidence":\[[^]]*\]//g; s/"title":"[^"]*"//g'
}
framed="hung-task-copy_net_ns.log:netns-copy_net_ns-net_mutex
kvm_zap_rmapp-oops.log:kvm-zap-rmapp-paging-request
xfs-shrink_slab-hung.log:xfs-shrink_slab-reclaim-deadlock
kvm-mmu_lock-soft-lockup.log:kvm-mmu_lock-contention"
for pair in $framed; do
	f=${pair%%:*}; id=${pair#*:}
	# "[12.3]  [<ffffffff81821b15>] schedule+0x35/0x80" → "… [<…>] ? schedule+…"
	sed 's/^\(.*\[ *[0-9.]*\] *\[<[0-9a-f]*>\]\) \([A-Za-z_]\)/\1 ? \2/' "$seed/$f" > "$tmp/q-$f"
	check "$f with every frame '?': some frames are '?'" grep -q '>\] ? ' "$tmp/q-$f"
	check "$f with every frame '?': matches $id" has "$(json "$f" | head -0; "$ksift" scan --json -q "$tmp/q-$f")" "\"matches\":[{\"id\":\"$id\""
	check "$f with every frame '?': same titles, hashes and matches" \
		[ "$(summary "$tmp/q-$f")" = "$(summary "$seed/$f")" ]
done

# The same reports from a kernel that printed only addresses ("[<addr>]",
# no kallsyms), read with a vmlinux: a fixture ELF whose symbol table holds
# the seed's vmlinux functions (sized past the offsets the log printed) and
# whose linux_banner names the log's release. The boot said "nokaslr", so
# the link addresses are the run addresses. Module frames keep their names:
# a module's load address is not in the log.
if command -v "${CC:-cc}" >/dev/null && command -v nm >/dev/null; then
	for pair in $framed; do
		f=${pair%%:*}; id=${pair#*:}
		log="$seed/$f"
		rel=$(sed -n 's/.*\(Not tainted\|Tainted: [A-Z ]*\) *\([0-9][^ ]*\) .*/\2/p' "$log" | head -1)
		# vmlinux frames: "[<addr>] func+0xoff/0xsize" with no "[module]" after
		sed -n 's/^.*\[<[0-9a-f]*>\] \(? \)\{0,1\}\([A-Za-z_][A-Za-z0-9_.]*\)+0x\([0-9a-f]*\)\/0x[0-9a-f]* *$/\2 \3/p' "$log" |
			sort -u > "$tmp/funcs-$f"
		{
			echo "volatile int sink;"
			printf 'const char linux_banner[] = "Linux version %s (fixture@ksift) (cc) #1 SMP\\n";\n' "$rel"
			n=0
			cut -d' ' -f1 "$tmp/funcs-$f" | sort -u | while read -r fn; do
				n=$((n + 1))
				echo "__attribute__((noinline, used)) void fixture_$n(void) __asm__(\"$fn\");"
				echo "void fixture_$n(void) { sink += $n; __asm__ volatile(\".skip 0x2000, 0x90\"); }"
			done
			echo "int main(void) { return sink; }"
		} > "$tmp/vmlinux-$f.c"
		${CC:-cc} -O1 -g0 -no-pie -o "$tmp/vmlinux-$f" "$tmp/vmlinux-$f.c" || {
			echo "FAIL: cannot build the fixture vmlinux for $f"; fail=$((fail + 1)); continue; }
		nm "$tmp/vmlinux-$f" | awk '$2 ~ /^[tT]$/ { print $3, $1 }' > "$tmp/syms-$f"
		# rewrite each vmlinux frame to the raw address of func+off in the fixture
		{
			# (in the log's own wrapper, so it is the same host's boot)
			printf '%s[    0.000000] Command line: BOOT_IMAGE=/boot/vmlinuz-%s ro nokaslr\n' \
				"$(head -1 "$log" | sed 's/\[ *[0-9.]*\].*//')" "$rel"
			awk -v symfile="$tmp/syms-$f" '
				function hex(h,   i, n) {
					n = 0; h = tolower(h); sub(/^0x/, "", h)
					for (i = 1; i <= length(h); i++)
						n = n * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
					return n
				}
				BEGIN { while ((getline l < symfile) > 0) { split(l, w, " "); addr[w[1]] = w[2] } }
				{
					if (match($0, /\[<[0-9a-f]+>\] (\? )?[A-Za-z_][A-Za-z0-9_.]*\+0x[0-9a-f]+\/0x[0-9a-f]+ *$/)) {
						frame = substr($0, RSTART, RLENGTH)
						sub(/^\[<[0-9a-f]+>\] (\? )?/, "", frame)
						split(frame, p, "+")
						off = p[2]; sub(/\/.*/, "", off)
						if (p[1] in addr) {
							printf "%s[<%016x>]\n", substr($0, 1, RSTART - 1),
							       hex(addr[p[1]]) + hex(off)
							next
						}
					}
					print
				}' "$log"
		} > "$tmp/a-$f"
		check "$f with address-only frames: some frames are raw" grep -q '\[<[0-9a-f]*>\] *$' "$tmp/a-$f"
		out=$("$ksift" scan --json -q --vmlinux "$tmp/vmlinux-$f" --no-debuginfod "$tmp/a-$f" 2>"$tmp/err")
		bare=$("$ksift" scan --json -q --no-debuginfod "$tmp/a-$f" 2>/dev/null)
		check "$f with address-only frames: the vmlinux names frames the log did not" \
			[ "$(printf '%s' "$out" | grep -o '"func":"' | wc -l)" -gt \
			  "$(printf '%s' "$bare" | grep -o '"func":"' | wc -l)" ]
		check "$f with address-only frames and --vmlinux: matches $id" has "$out" "\"matches\":[{\"id\":\"$id\""
		check "$f with address-only frames and --vmlinux: same titles and matches" \
			[ "$(summary --vmlinux "$tmp/vmlinux-$f" --no-debuginfod "$tmp/a-$f" 2>/dev/null | sed 's/ [0-9a-f]\{16\} / /')" = "$(summary "$seed/$f" | sed 's/ [0-9a-f]\{16\} / /')" ]
	done
else
	echo "FAIL: no C compiler or nm for the address-only seed variants"; fail=$((fail + 1))
fi

echo "seed: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
