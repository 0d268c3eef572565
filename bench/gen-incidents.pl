#!/usr/bin/perl
# gen-incidents.pl N OUT KINDS_DIR: a syslog (ISO-8601 stamps, so every
# incident has a wall time with a year) holding exactly N kernel incidents
# taken from KINDS_DIR's single-incident samples, spread over 200 hosts and
# 60 days, each host's incidents far enough apart never to form a flood.
# For the HTML benchmark (bench/html.sh): no routine lines, only incidents.
use strict; use warnings;
use POSIX qw(strftime);
my ($n, $out, $kinds) = @ARGV;
srand(7);
my @samples;
for my $f (glob("$kinds/*.log")) {
	next unless $f =~ m{/(oops-null-6\.1|oops-paging-4\.4|kernel-bug-3\.10|warning-new-5\.15|hung-task-6\.1|soft-lockup-5\.10|rcu-stall-4\.15|oom-5\.15)\.log$};
	open(my $k, '<', $f) or die "$f: $!"; my @l = <$k>; close $k;
	push @samples, [ map { s/^\[\s*[\d.]+\]\s?//r } @l ];
}
die "no samples in $kinds\n" unless @samples;
open(my $fh, '>', $out) or die "$out: $!";
my $start = 1764547200;		# 2025-12-01
my $step = 60 * 86400 / $n;
for my $i (0 .. $n - 1) {
	my $host = sprintf "node%03d", $i % 200;
	my $t = $start + $i * $step;
	my $ts = strftime("%Y-%m-%dT%H:%M:%S+00:00", gmtime($t));
	my $kt = 1000 + $i * $step;
	# a skewed mix: a few samples are most of the fleet's incidents
	my $s = $samples[int(rand() ** 2 * @samples)];
	printf $fh "%s %s kernel: [%.6f] %s", $ts, $host, $kt, $_ for @$s;
}
close $fh;
