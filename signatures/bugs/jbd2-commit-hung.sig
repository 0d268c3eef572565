id: jbd2-commit-hung
title: Tasks hung waiting for an ext4 journal (jbd2) commit
severity: medium
kind: hung_task
description:
  Writers block in jbd2_log_wait_commit or wait_transaction_locked while
  the jbd2 thread cannot finish a commit: almost always slow or failing
  storage underneath (multipath failover, a saturated SAN, a dying disk) or
  a writeback storm, rarely a jbd2 bug. The jbd2/<dev> task itself usually
  appears hung in jbd2_journal_commit_transaction.
frames:
  jbd2_log_wait_commit
frames:
  jbd2_journal_commit_transaction
frames:
  wait_transaction_locked
workaround: check the device under the journal (iostat await, multipath -ll, dmesg I/O errors); lower vm.dirty_ratio/dirty_bytes to bound writeback bursts
examples:
  corpus/signatures/jbd2-commit-hung/dmesg-3.10-fsync.log
  corpus/signatures/jbd2-commit-hung/syslog-5.4-jbd2-thread.log
  corpus/kinds/hung-task-6.1.log
counter-examples:
  corpus/signatures/xfs-shrink_slab-reclaim-deadlock/counter-xfs-log-force.log
