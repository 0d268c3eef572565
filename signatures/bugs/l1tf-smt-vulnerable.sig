id: l1tf-smt-vulnerable
title: L1TF (Foreshadow) with SMT enabled on a host running untrusted guests
severity: medium
boot-regex: L1TF CPU bug present and SMT on, data leak possible
description: The kernel reports at boot that the CPU is affected by L1 Terminal
  Fault and SMT is on: a guest can read data of the sibling hyperthread's other
  guest or of the host. Matters on KVM hosts with guests of different owners.
fix: Kernel 4.19 or later with l1tf=full (or flush,nosmt) and updated microcode.
workaround: Boot with l1tf=flush,nosmt, or disable SMT
  (echo off > /sys/devices/system/cpu/smt/control).
links: https://www.kernel.org/doc/html/latest/admin-guide/hw-vuln/l1tf.html
examples: corpus/signatures/l1tf-smt-vulnerable/dmesg-4.15-kvm-host.log
  corpus/signatures/l1tf-smt-vulnerable/syslog-5.4-host.log
counter-examples: corpus/signatures/l1tf-smt-vulnerable/counter-nosmt.log
