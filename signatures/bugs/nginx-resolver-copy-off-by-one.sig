id: nginx-resolver-copy-off-by-one
title: nginx worker crashes in ngx_resolver_copy on a crafted DNS response (CVE-2021-23017)
severity: critical
kind: coredump
executable: nginx
frames: ngx_resolver_copy [nginx]
  ...
  ngx_resolver_process_response [nginx]
description: When nginx's own resolver is in use (the "resolver" directive,
  e.g. for OCSP stapling or variables in proxy_pass), a DNS response with
  specially crafted labels makes ngx_resolver_copy() write one byte past the
  buffer it allocated. The worker process then dies with SIGSEGV in the
  resolver's response handling (or later, in whatever the overwrite
  corrupted), the master restarts it, and the attacker can repeat it from
  any DNS server or path nginx asks.
fix: Upstream: "Resolver: fixed off-by-one write in ngx_resolver_copy()",
  nginx 1.20.1 (stable) and 1.21.0 (mainline); CVE-2021-23017.
  Debian: nginx 1.18.0-6.1 (bullseye; Debian bug #989095, DSA-4921-1).
workaround: Drop the "resolver" directive where it is not needed, or point
  it only at a resolver you control.
links: https://nginx.org/download/patch.2021.resolver.txt
  https://security-tracker.debian.org/tracker/CVE-2021-23017
  https://bugs.debian.org/989095
examples: corpus/coredump/syslog-escaped.log
  corpus/coredump/syslog-bare.log
  corpus/coredump/journal-short.log
  corpus/coredump/journal.export
counter-examples: corpus/signatures/nginx-resolver-copy-off-by-one/chunked-crash.log
