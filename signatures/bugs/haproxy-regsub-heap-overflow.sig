id: haproxy-regsub-heap-overflow
title: HAProxy crashes in sample_conv_regsub(): heap buffer overflow (CVE-2025-32464)
severity: high
kind: coredump
executable: haproxy
package: haproxy < 2.6.12-1+deb12u2
frames: sample_conv_regsub [haproxy]
description: The regsub() converter writes past the end of its output buffer
  when a regex with several back-references produces more than the buffer
  holds. A configuration that rewrites headers or paths with regsub() lets a
  client crash the process (the copy faults, or glibc's allocator aborts
  later on the corrupted heap) and take every proxied connection with it.
fix: Debian: haproxy 2.6.12-1+deb12u2 (bookworm; Debian bug #1102673);
  CVE-2025-32464, fixed upstream in the maintained branches.
workaround: Avoid regsub() with more than one back-reference on untrusted
  input, or bound the input length first (e.g. with "bytes(0,N)").
links: https://security-tracker.debian.org/tracker/CVE-2025-32464
  https://bugs.debian.org/1102673
examples: corpus/signatures/haproxy-regsub-heap-overflow/journal-short.log
counter-examples: corpus/signatures/haproxy-regsub-heap-overflow/fixed-version.log
  corpus/signatures/haproxy-regsub-heap-overflow/h2-crash.log
