#!/bin/sh
# make bench, floods: peak RSS and time of ksift on lockup floods read from
# stdin, next to ripgrep counting the same stream: an endless flood of
# one-line soft-lockup reports (BENCH_FLOOD_REPORTS, default 10 million,
# generated on the fly and never stored) and a storm of 20,000 soft lockups
# with their stacks. Fails when ksift's peak RSS passes 64 MiB on the flood
# (group.h bounds what a flood keeps) or a report is not counted.
set -eu
ksift=${KSIFT:-$(pwd)/analyzer/ksift}
n=${BENCH_FLOOD_REPORTS:-10000000}
out=${BENCH_DIR:-bench/out}
mkdir -p "$out"

# 64 CPUs, one line each (watchdog_timer_fn(), kernel/watchdog.c:
# "BUG: soft lockup - CPU#%d stuck for %us! [%s:%d]"), the clock moving on by
# a second every 6,400 reports: one flood, one stack, as long as n says.
# (Blocks of lines stamped at once: the generator must outrun ksift.)
flood() {
	perl -e '
		my ($n) = @ARGV;
		my $tpl = join "", map { sprintf "[TTTTTTTTTTTT] watchdog: BUG: soft lockup - CPU#%d stuck for 22s! [kworker/%d:1:%d]\n",
			$_ % 64, $_ % 64, 1000 + $_ % 64 } 0 .. 6399;
		for (my ($i, $s) = (0, 100); $i < $n; $i += 6400, $s++) {
			my $ts = sprintf "%12.6f", $s;
			(my $b = $tpl) =~ s/TTTTTTTTTTTT/$ts/g;
			print $n - $i >= 6400 ? $b : join "", (split /^/, $b)[0 .. $n - $i - 1];
		}' "$1"
}
# A storm: the same with each report's registers and stack (two stacks).
storm() {
	perl -e '
		my ($n) = @ARGV;
		for (my $i = 0; $i < $n; $i++) {
			my ($c, $t) = ($i % 64, 100 + $i / 100);
			my $f = $i % 2 ? "kvm_mmu_page_fault" : "tcp_sendmsg";
			printf "[%12.6f] watchdog: BUG: soft lockup - CPU#%d stuck for 22s! [qemu:%d]\n", $t, $c, 2000 + $c;
			printf "[%12.6f] CPU: %d PID: %d Comm: qemu Not tainted 6.1.0-13-amd64 #1 Debian 6.1.55-1\n", $t, $c, 2000 + $c;
			printf "[%12.6f] RIP: 0010:native_queued_spin_lock_slowpath+0x66/0x1e0\n", $t;
			printf "[%12.6f] RSP: 0018:ffffb0a3c1f0bc38 EFLAGS: 00000202\n", $t;
			printf "[%12.6f] Call Trace:\n[%12.6f]  <TASK>\n", $t, $t;
			printf "[%12.6f]  _raw_spin_lock+0x1a/0x20\n", $t;
			printf "[%12.6f]  $f+0x3a4/0x7b0\n", $t;
			printf "[%12.6f]  do_syscall_64+0x33/0x80\n", $t;
			printf "[%12.6f]  entry_SYSCALL_64_after_hwframe+0x61/0xc6\n", $t;
			printf "[%12.6f]  </TASK>\n", $t;
		}' "$1"
}

row() {		# label, seconds, MiB
	printf '%-52s %8.2f s %7s MiB\n' "$1" "$2" "$3"
}
measure() {	# label, generator, count, command...: time and peak RSS of command on the stream
	label=$1 gen=$2 count=$3
	shift 3
	command -v "$1" > /dev/null || { echo "$1: not installed (apt-get install ripgrep)"; return; }
	$gen "$count" | /usr/bin/time -f '%e %M' -o "$out/t" "$@" > "$out/stdout" 2>/dev/null || true
	set -- $(tail -n 1 "$out/t")
	row "$label" "$1" "$(($2 / 1024))"
	last_rss=$(($2 / 1024))
}
fail=0
measure "rg -c BUG: on the flood ($n one-line lockups)" flood "$n" rg -c 'BUG: '
measure "ksift scan --json, the flood on stdin" flood "$n" "$ksift" scan --json -q -
counted=$(sed -n 's/.*"flood_size":\([0-9]*\).*/\1/p' "$out/stdout" | head -n 1)
echo "  flood_size $counted of $n; records $(wc -l < "$out/stdout")"
[ "${counted:-0}" -eq "$n" ] || fail=1
[ "$last_rss" -le 64 ] || { echo "  peak RSS over 64 MiB"; fail=1; }
measure "ksift scan (text), the flood on stdin" flood "$n" "$ksift" scan -q -
[ "$last_rss" -le 64 ] || { echo "  peak RSS over 64 MiB"; fail=1; }
measure "rg -c BUG: on a storm (20000 lockups with stacks)" storm 20000 rg -c 'BUG: '
measure "ksift scan --json, the storm on stdin" storm 20000 "$ksift" scan --json -q -
echo "  records $(wc -l < "$out/stdout"), counts" \
	"$(sed -n 's/.*"count":\([0-9]*\).*/\1/p' "$out/stdout" | tr '\n' ' ')"
exit $fail
