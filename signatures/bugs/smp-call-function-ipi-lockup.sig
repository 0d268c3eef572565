id: smp-call-function-ipi-lockup
title: CPU stuck in smp_call_function waiting for another CPU to answer an IPI
severity: high
kind: soft_lockup hard_lockup
description:
  A CPU sends a cross-CPU function call (TLB shootdown, on_each_cpu) and
  spins in csd_lock_wait() inside smp_call_function_many/_single until every
  target runs it. When a target never answers (vCPU descheduled or an IPI
  lost by the hypervisor, a CPU stuck with interrupts off) the sender trips
  the soft-lockup watchdog. Very common in overcommitted VMs.
frames:
  smp_call_function_many*
frames:
  smp_call_function_single
workaround: check the hypervisor for vCPU overcommit and steal time; find the CPU that does not answer (sysrq-l / NMI backtraces) — its stack is the real culprit
examples:
  corpus/signatures/smp-call-function-ipi-lockup/dmesg-4.4-guest-tlb.log
  corpus/signatures/smp-call-function-ipi-lockup/journal-5.15-single.log
  corpus/kinds/soft-lockup-5.10.log
counter-examples:
  corpus/signatures/kvm-mmu_lock-contention/counter-spin-lock-elsewhere.log
