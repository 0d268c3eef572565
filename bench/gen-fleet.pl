#!/usr/bin/perl
# gen-fleet.pl MB OUT: a realistic multi-host syslog (RFC3164, many daemons,
# routine kernel lines) of about MB megabytes with sparse kernel incidents
# taken from corpus/kinds/*.log, each wrapped as "Mon DD HH:MM:SS host kernel:".
# Prints the number of incidents inserted (what ksift must find) on stdout.
use strict; use warnings; no warnings "redundant";
my ($mb, $out, $kinds) = @ARGV;
srand(42);
open(my $fh, '>', $out) or die "$out: $!";
my @samples;
for my $f (glob("$kinds/*.log")) {
	open(my $k, '<', $f) or die; my @l = <$k>; close $k;
	# only single-incident samples, so the count is exact
	next if $f =~ /(segfault|tcp-orphans|gpf-5.4|hard-lockup|hung-task-locks|unexpected-reboot)/;
	push @samples, [ map { s/^\[\s*[\d.]+\]\s?//r } @l ];
}
my @hosts = map { sprintf "node%03d", $_ } 1..200;
my @daemons = (
	[ 'sshd', 'Accepted publickey for deploy from 10.%d.%d.%d port %d ssh2: RSA SHA256:x1%dAbc' ],
	[ 'systemd', 'Started Session %d of user nova.' ],
	[ 'CRON', '(root) CMD (   cd / && run-parts --report /etc/cron.hourly) %d %d %d %d %d' ],
	[ 'nginx', '10.%d.%d.%d - - "GET /api/v1/items/%d HTTP/1.1" 200 %d "-" "curl/7.88.1"' ],
	[ 'postfix/smtpd', 'connect from unknown[10.%d.%d.%d] port %d id %d' ],
	[ 'dockerd', 'time="2026-11-24T10:00:00Z" level=info msg="ignoring event" container=%x%x%x module=libcontainerd %d' ],
	[ 'kernel', '[%d.%06d] IPv6: ADDRCONF(NETDEV_CHANGE): veth%x: link becomes ready' ],
	[ 'kernel', '[%d.%06d] audit: type=1400 audit(%d.123:%d): apparmor="DENIED" operation="open" profile="snap"' ],
	[ 'kernel', '[%d.%06d] EXT4-fs (dm-%d): re-mounted. Opts: errors=remount-ro. Quota mode: %d.' ],
);
my @mon = qw(Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec);
my $bytes = 0; my $limit = $mb * 1024 * 1024; my $inserted = 0; my $t = 1000;
while ($bytes < $limit) {
	$t += 1;
	my $h = $hosts[int(rand(@hosts))];
	my $ts = sprintf "%s %2d %02d:%02d:%02d", $mon[($t / 2678400) % 12], 1 + ($t / 86400) % 28,
		($t / 3600) % 24, ($t / 60) % 60, $t % 60;
	if (rand() < 0.00004 && @samples) {
		my $s = $samples[int(rand(@samples))];
		my $kt = $t + rand();
		for my $l (@$s) {
			my $line = sprintf "%s %s kernel: [%.6f] %s", $ts, $h, $kt, $l;
			print $fh $line; $bytes += length $line;
		}
		$inserted++;
		next;
	}
	my $d = $daemons[int(rand(@daemons))];
	my $pid = $d->[0] eq 'kernel' ? '' : '[' . int(rand(30000)) . ']';
	my $msg = sprintf $d->[1], $t, int(rand(999999)), int(rand(255)), int(rand(65535)), int(rand(99999)), int(rand(9999));
	my $line = "$ts $h $d->[0]$pid: $msg\n";
	print $fh $line; $bytes += length $line;
}
close $fh;
print "$inserted\n";
