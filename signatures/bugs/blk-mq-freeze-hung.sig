id: blk-mq-freeze-hung
title: Task hung freezing a blk-mq queue (requests that never complete)
severity: high
kind: hung_task
frames: blk_mq_freeze_queue_wait
description: Changing a block device's queue (scheduler, nr_requests, removal,
  NVMe reset) freezes it and waits for in-flight requests to drain. A request
  that never completes (device hang, lost completion interrupt) hangs the
  freeze forever, and udev, lvm and writers pile up behind it.
workaround: Check the device (nvme smart-log, controller resets, timeouts in the
  same boot) before suspecting the caller.
examples: corpus/formats/multihost.log
  corpus/signatures/blk-mq-freeze-hung/nvme-6.1.log
