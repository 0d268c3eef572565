id: kvm-mmu_lock-contention
title: vCPU page faults and the KVM slab shrinker contending for kvm->mmu_lock
severity: high
kind: soft_lockup hard_lockup rcu_stall
description:
  All shadow/TDP page faults of a VM and the KVM mmu shrinker
  (mmu_shrink_scan, called from kswapd or direct reclaim) serialise on the
  VM's mmu_lock spinlock. On large hosts under memory pressure vCPUs spin in
  _raw_spin_lock under tdp_page_fault/kvm_mmu_page_fault and the shrinker
  spins under mmu_shrink_scan, and the watchdog reports soft lockups on both
  sides.
frames:
  *spin_lock*
  ...
  *tdp_page_fault [kvm]
frames:
  *spin_lock*
  ...
  kvm_mmu_page_fault [kvm]
frames:
  *spin_lock*
  ...
  mmu_shrink_scan [kvm]
fix: improved by the TDP MMU (mmu_lock taken for read on faults), enabled by default in Linux 5.15
workaround: keep memory-hungry host processes in a memory cgroup (memory.max/limit) so host reclaim does not run the KVM shrinker against busy VMs
examples:
  corpus/signatures/kvm-mmu_lock-contention/dmesg-4.4-direct-reclaim.log
  corpus/signatures/kvm-mmu_lock-contention/syslog-5.4-queued-spinlock.log
  ../shared/corpus/seed/kvm-mmu_lock-soft-lockup.log
  corpus/formats/rsyslog-iso.log
counter-examples:
  corpus/signatures/kvm-mmu_lock-contention/counter-spin-lock-elsewhere.log
