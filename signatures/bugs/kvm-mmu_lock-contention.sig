id: kvm-mmu_lock-contention
title: Soft lockups spinning on KVM's mmu_lock (vCPU page faults vs the slab shrinker)
severity: high
kind: soft_lockup hard_lockup rcu_stall profile
frames: _raw_spin_lock
  ...
  kvm_mmu_page_fault [kvm]
  |
  _raw_spin_lock
  mmu_shrink_scan [kvm]
# In a CPU profile (perf record -g): vCPU page faults spinning on mmu_lock.
profile-share: *spin_lock* ... kvm_mmu_page_fault [kvm] >= 20%
description: Every vCPU page fault (tdp_page_fault -> kvm_mmu_page_fault) and the
  KVM slab shrinker (mmu_shrink_scan, run by kswapd under memory pressure) take
  the VM's single mmu_lock. With large guests and memory pressure on the host
  they spin on it long enough to trip the soft-lockup watchdog on many CPUs.
fix: Much improved by the TDP MMU, on by default in Linux 5.15 (kvm.tdp_mmu=1),
  which takes mmu_lock for read on faults.
workaround: Keep memory-hungry host processes in a memory cgroup so the host
  does not reclaim from KVM's shadow pages; avoid host memory overcommit.
links: https://lore.kernel.org/kvm/?q=mmu_lock+soft+lockup
examples: corpus/formats/rsyslog-iso.log
  corpus/signatures/kvm-mmu_lock-contention/dmesg-4.15.log
  corpus/signatures/kvm-mmu_lock-contention/kswapd-4.4.log
  corpus/signatures/kvm-mmu_lock-contention/dmesg-4.4-direct-reclaim.log
  corpus/signatures/kvm-mmu_lock-contention/syslog-5.4-queued-spinlock.log
  corpus/profiles/kvm-mmu_lock-contention.perf.gz
counter-examples: corpus/signatures/kvm-mmu_lock-contention/counter-spin-lock-elsewhere.log
  corpus/signatures/kvm-mmu_lock-contention/counter-perf-little-contention.perf
