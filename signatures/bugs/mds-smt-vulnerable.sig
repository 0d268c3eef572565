id: mds-smt-vulnerable
title: MDS (Microarchitectural Data Sampling) with SMT enabled
severity: medium
boot-regex: MDS CPU bug present and SMT on, data leak possible
description: The kernel reports at boot that the CPU is affected by MDS and SMT is
  on: clearing CPU buffers does not protect against the sibling hyperthread, so a
  process or guest can sample data of the other thread.
fix: Updated microcode plus mds=full,nosmt where tenants do not trust each other.
workaround: Boot with mds=full,nosmt, or disable SMT
  (echo off > /sys/devices/system/cpu/smt/control).
links: https://www.kernel.org/doc/html/latest/admin-guide/hw-vuln/mds.html
examples: corpus/signatures/mds-smt-vulnerable/dmesg-5.4-host.log
  corpus/signatures/mds-smt-vulnerable/journal-4.19-debian.log
counter-examples: corpus/signatures/l1tf-smt-vulnerable/counter-nosmt.log
