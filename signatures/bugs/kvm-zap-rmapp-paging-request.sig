id: kvm-zap-rmapp-paging-request
title: Paging request Oops in kvm_zap_rmapp reached from the mmu notifier
severity: critical
kind: oops
title-regex: ^BUG: unable to handle kernel paging request in kvm_zap_rmapp$
frames: kvm_zap_rmapp [kvm]
  ...
  kvm_mmu_notifier_invalidate_range_start [kvm]
description: On a KVM host, NUMA balancing (task_numa_work -> change_prot_numa ->
  change_protection) invalidates a range of a guest's memory; the mmu notifier
  walks the rmap of a memslot that is being changed concurrently and dereferences
  a stale rmap entry. The host Oopses in qemu's context and the guest dies.
fix: Not recorded yet: add the fixing commit and first fixed release here once
  identified for the kernels you run.
workaround: Disable automatic NUMA balancing on KVM hosts:
  sysctl kernel.numa_balancing=0 (and pin guests to NUMA nodes).
links: https://bugs.launchpad.net/ubuntu/+source/linux?field.searchtext=kvm_zap_rmapp
examples: corpus/kinds/oops-paging-4.4.log
  corpus/signatures/kvm-zap-rmapp-paging-request/journal-4.4.0-116.log
  corpus/signatures/kvm-zap-rmapp-paging-request/dmesg-4.4-kswapd.log
  corpus/signatures/kvm-zap-rmapp-paging-request/syslog-4.4-numa.log
counter-examples: corpus/signatures/kvm-zap-rmapp-paging-request/ioctl-path.log
  corpus/signatures/kvm-zap-rmapp-paging-request/counter-other-kvm-oops.log
