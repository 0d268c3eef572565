id: tsc-unstable-clocksource
title: TSC marked unstable: the kernel fell back to a slow clocksource
severity: low
boot-regex: Marking TSC unstable due to|Marking clocksource 'tsc' as unstable
description: The clocksource watchdog found the TSC drifting against HPET, ACPI PM
  or kvm-clock and switched clocksource. Every clock_gettime() then reads a slow
  device: a measurable slowdown for timestamp-heavy workloads, and often a sign of
  a BIOS/firmware or hypervisor timing problem.
workaround: Check BIOS power/C-state settings and the hypervisor's TSC handling;
  use tsc=reliable only when the TSC is known to be good.
examples: corpus/signatures/tsc-unstable-clocksource/dmesg-3.10-hpet.log
  corpus/signatures/tsc-unstable-clocksource/syslog-5.10-skew.log
counter-examples: corpus/signatures/l1tf-smt-vulnerable/counter-nosmt.log
