id: smp-call-function-soft-lockup
title: Soft lockup waiting for other CPUs in smp_call_function_many (IPI never acknowledged)
severity: high
kind: soft_lockup hard_lockup
frames: smp_call_function_many*
description: A CPU sent an IPI (TLB shootdown, text patching, cache flush) and
  spins until every target acknowledges it. One target has interrupts off for a
  long time or, in a VM, its vCPU is not scheduled by an overcommitted host; the
  sender soft-locks. Look at the other CPUs' stacks in the same second.
workaround: In VMs, check host CPU steal time and vCPU overcommit; on bare metal
  find the CPU with interrupts disabled (sysrq-l backtraces).
examples: corpus/kinds/soft-lockup-5.10.log
  corpus/signatures/smp-call-function-soft-lockup/tlb-4.15.log
