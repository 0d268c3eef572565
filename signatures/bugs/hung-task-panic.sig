id: hung-task-panic
title: Host rebooted by hung_task_panic after a task was blocked too long
severity: high
kind: panic
title-regex: ^kernel panic: hung_task: blocked tasks$
description: kernel.hung_task_panic=1 turns the first hung-task report into a
  panic (and, with kdump or panic=N, a reboot). The cause is the blocked task
  reported just before: look at its stack, not at the panic.
workaround: Leave kernel.hung_task_panic=0 on hosts where a slow device should
  not take everything down, or raise hung_task_timeout_secs.
examples: corpus/signatures/hung-task-panic/nfs-4.18.log
  corpus/signatures/hung-task-panic/console-5.15.log
  corpus/kinds/oops-then-hung-6.1.log
