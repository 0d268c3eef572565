id: rhel7-ibrs-693.17.1
title: RHEL/CentOS 7 kernel 3.10.0-693.17.1.el7 enables IBRS by default
severity: medium
description:
  The 3.10.0-693.17.1.el7 build turns IBRS (Spectre v2 mitigation through
  the SPEC_CTRL MSR) on by default when the CPU or hypervisor exposes
  SPEC_CTRL. Every kernel entry then pays for it: high %user/%sys in the
  guest and, on shared hosts, on its neighbours. Later builds use
  retpolines instead.
kernel: 3.10.0-693.17.1.el7
boot-regex: FEATURE SPEC_CTRL Present
fix: update the kernel on every such VM (RHSA-2018:2216; any build later than 3.10.0-693.17.1.el7)
workaround: boot with noibrs (or echo 0 > /sys/kernel/debug/x86/ibrs_enabled) until the kernel is updated
links:
  https://access.redhat.com/errata/RHSA-2018:2216
examples:
  corpus/signatures/rhel7-ibrs-693.17.1/syslog-centos7-guest.log
  corpus/signatures/rhel7-ibrs-693.17.1/dmesg-rhel7-baremetal.log
  ../shared/corpus/seed/ibrs-rhel7-boot.log
counter-examples:
  corpus/signatures/rhel7-ibrs-693.17.1/counter-693.21.1.log
  corpus/signatures/rhel7-ibrs-693.17.1/counter-no-spec-ctrl.log
