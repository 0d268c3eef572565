id: jbd2-commit-hung
title: ext4 journal commit (jbd2) hung: the block device stopped completing I/O
severity: high
kind: hung_task
frames: jbd2_journal_commit_transaction [jbd2]
description: jbd2 waits for journal block writes; when it is stuck for minutes
  the storage underneath stopped completing I/O (failing disk, lost path,
  saturated or throttled volume), and every writer to that filesystem follows.
workaround: Look at the block layer first: I/O errors and timeouts in the same
  boot, iostat await, multipath state. The filesystem is a victim, not a cause.
examples: corpus/kinds/hung-task-6.1.log
  corpus/damaged/control-characters.log
  corpus/arch/x86_64-hung-task-2.6.32.log
  corpus/signatures/jbd2-commit-hung/rhel7-3.10.log
