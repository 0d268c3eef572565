id: workqueue-lockup
title: Workqueue lockup: a worker pool made no progress for tens of seconds
severity: medium
kind: workqueue_lockup
title-regex: ^BUG: workqueue lockup
description: The workqueue watchdog saw a pool with pending work and no progress:
  a work item runs forever without sleeping, or the CPU is monopolised (often
  together with soft lockups or RCU stalls on the same CPUs).
workaround: Look at the in-flight work items the report lists ("in-flight:") and
  at soft lockups on the same CPUs.
examples: corpus/signatures/workqueue-lockup/dmesg-4.19.log
  corpus/signatures/workqueue-lockup/syslog-5.15.log
  corpus/kinds/workqueue-lockup-6.6.log
