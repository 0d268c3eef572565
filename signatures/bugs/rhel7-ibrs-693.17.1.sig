id: rhel7-ibrs-693.17.1
title: RHEL 7 kernel 3.10.0-693.17.1 turns IBRS on by default (high %user in guests)
severity: high
kernel: = 3.10.0-693.17.1.el7
boot-regex: FEATURE SPEC_CTRL Present
description: The first Spectre v2 kernel for RHEL/CentOS 7 enables IBRS whenever
  the CPU (or the hypervisor) exposes SPEC_CTRL. In VMs every kernel entry then
  pays for it: %user and %sys rise sharply in the guest and on its neighbours.
fix: Update the kernel on every such VM (3.10.0-693.21.1 and later default to
  retpoline). RHSA-2018:2216.
workaround: Boot with noibrs (or echo 0 > /sys/kernel/debug/x86/ibrs_enabled)
  until the kernel is updated.
# A condition is the kernel it names: this one's status is always
# "affected". The fixed-in line says where the fix is for people and tools.
fixed-in: el7 3.10.0-693.21.1.el7 the next RHEL 7.4 kernel update, RHSA-2018:0395 (advisory id from memory, not checked offline); the counter-examples show 693.21.1 boots
links: https://access.redhat.com/errata/RHSA-2018:2216
examples: corpus/signatures/rhel7-ibrs-693.17.1/centos7-kvm-dmesg.log
  corpus/signatures/rhel7-ibrs-693.17.1/rhel7-syslog.log
  corpus/signatures/rhel7-ibrs-693.17.1/dmesg-rhel7-baremetal.log
  corpus/signatures/rhel7-ibrs-693.17.1/syslog-centos7-guest.log
counter-examples: corpus/signatures/rhel7-ibrs-693.17.1/centos7-693.21.1.log
  corpus/signatures/rhel7-ibrs-693.17.1/no-spec-ctrl.log
  corpus/signatures/rhel7-ibrs-693.17.1/counter-693.21.1.log
  corpus/signatures/rhel7-ibrs-693.17.1/counter-no-spec-ctrl.log
