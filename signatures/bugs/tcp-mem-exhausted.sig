id: tcp-mem-exhausted
title: TCP memory exhausted (tcp_mem hard limit reached)
severity: medium
kind: tcp_mem
description:
  The kernel refuses socket buffer memory because the TCP stack reached the
  net.ipv4.tcp_mem pressure/hard limit: connections stall and are reset.
  Repeats are rate limited ("net_ratelimit: N callbacks suppressed"); the
  count includes suppressed ones.
text-regex: TCP: out of memory -- consider tuning tcp_mem
count: 3 in 60s
workaround: size net.ipv4.tcp_mem (in pages) for the number of connections and their buffers; compare /proc/net/sockstat "TCP: mem" with tcp_mem
links:
  https://www.kernel.org/doc/html/latest/networking/ip-sysctl.html
examples:
  corpus/signatures/tcp-mem-exhausted/dmesg-ratelimited.log
  corpus/signatures/tcp-mem-exhausted/syslog-iso-burst.log
  ../shared/corpus/seed/tcp-mem-oom.log
  corpus/formats/journal-short-monotonic.log
counter-examples:
  corpus/signatures/tcp-mem-exhausted/counter-single.log
