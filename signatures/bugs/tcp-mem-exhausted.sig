id: tcp-mem-exhausted
title: TCP memory exhausted (net.ipv4.tcp_mem hard limit reached)
severity: medium
kind: tcp_mem
title-regex: ^TCP: out of memory -- consider tuning tcp_mem$
count: 3 in 60 s
description: The kernel refused socket buffer memory because the sum of all TCP
  buffers reached the third value of net.ipv4.tcp_mem (pages). Connections stall
  and are reset; a load balancer marks backends down. Messages are rate limited,
  so "net_ratelimit: N callbacks suppressed" hides most of them: the counted
  events include the suppressed ones.
workaround: Size net.ipv4.tcp_mem for the connection count and buffer sizes
  (and tcp_rmem/tcp_wmem); look for sockets that never read (Recv-Q in ss -tm).
links: https://www.kernel.org/doc/html/latest/networking/ip-sysctl.html
examples: corpus/formats/journal-short-monotonic.log
  corpus/signatures/tcp-mem-exhausted/lb-syslog.log
  corpus/signatures/tcp-mem-exhausted/dmesg-ratelimited.log
  corpus/signatures/tcp-mem-exhausted/syslog-iso-burst.log
counter-examples: corpus/kinds/tcp-orphans.log
  corpus/signatures/tcp-mem-exhausted/counter-single.log
