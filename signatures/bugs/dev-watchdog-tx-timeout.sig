id: dev-watchdog-tx-timeout
title: NETDEV WATCHDOG: a NIC transmit queue timed out
severity: medium
kind: warning
frames: dev_watchdog
text-regex: NETDEV WATCHDOG: \S+ \(\S+\): transmit queue \d+ timed out
description: The network stack saw no transmit completion on a queue for the
  watchdog timeout (5 s) and asked the driver to reset the NIC. Usually a driver
  or firmware hang (bnx2, i40e, ixgbe, e1000e), a PCIe error, or link flapping;
  traffic on that interface stops until the reset finishes.
workaround: Update the NIC firmware and driver; check `ethtool -S` and PCIe AER
  errors; disabling TSO/GSO on the interface avoids several known driver hangs.
examples: corpus/kinds/warning-old-2.6.log
  corpus/arch/x86_64-warning-3.2.log
  corpus/arch/powerpc-warning-6.1.log
  corpus/signatures/dev-watchdog-tx-timeout/i40e-5.10.log
