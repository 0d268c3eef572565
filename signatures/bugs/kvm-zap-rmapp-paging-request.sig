id: kvm-zap-rmapp-paging-request
title: Paging-request Oops in kvm_zap_rmapp reached from the KVM mmu notifier
severity: critical
kind: oops
description:
  The host kernel faults in kvm_zap_rmapp [kvm] while an mmu notifier
  invalidates a range of a guest's memory (for example NUMA balancing:
  task_numa_work -> change_prot_numa -> change_protection ->
  __mmu_notifier_invalidate_range_start -> kvm_unmap_hva_range). The rmap
  walked is stale, so the guest (qemu-system-x86) dies and the host may hang.
title-regex: ^BUG: unable to handle (kernel )?paging request
frames:
  kvm_zap_rmapp [kvm]
  ...
  kvm_mmu_notifier_invalidate_range_start [kvm]
fix: update the host kernel to a build with the KVM rmap/mmu-notifier fixes (Ubuntu 4.4 later than 4.4.0-119 / HWE 4.15)
workaround: disable automatic NUMA balancing on KVM hosts (sysctl kernel.numa_balancing=0) to remove the common trigger
examples:
  corpus/signatures/kvm-zap-rmapp-paging-request/syslog-4.4-numa.log
  corpus/signatures/kvm-zap-rmapp-paging-request/dmesg-4.4-kswapd.log
  ../shared/corpus/seed/kvm_zap_rmapp-oops.log
  corpus/kinds/oops-paging-4.4.log
counter-examples:
  corpus/signatures/kvm-zap-rmapp-paging-request/counter-other-kvm-oops.log
