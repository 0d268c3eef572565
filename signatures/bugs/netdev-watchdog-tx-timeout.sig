id: netdev-watchdog-tx-timeout
title: NETDEV WATCHDOG transmit queue timed out (NIC TX hang)
severity: high
kind: warning
description:
  The qdisc watchdog saw a transmit queue stopped for longer than the
  driver's watchdog_timeo and warned from dev_watchdog(); the driver then
  resets the adapter. Causes: NIC firmware/driver bugs, PCIe errors, flow
  control storms. The preceding "NETDEV WATCHDOG: IF (DRIVER): transmit
  queue N timed out" line names the interface, driver and queue.
frames:
  dev_watchdog
workaround: update the NIC firmware and driver; check PCIe AER errors and pause frames for the interface named in the evidence
examples:
  corpus/signatures/netdev-watchdog-tx-timeout/rhel6-igb.log
  corpus/signatures/netdev-watchdog-tx-timeout/syslog-5.4-ixgbe.log
  corpus/kinds/warning-old-2.6.log
  corpus/formats/console-level.log
counter-examples:
  corpus/signatures/netdev-watchdog-tx-timeout/counter-other-warning.log
