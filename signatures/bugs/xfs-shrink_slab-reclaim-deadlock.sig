id: xfs-shrink_slab-reclaim-deadlock
title: Tasks hung in XFS inode reclaim under shrink_slab (reclaim stalls on xfs)
severity: high
kind: hung_task
frames: xfs_reclaim_inodes_ag [xfs]
  xfs_reclaim_inodes_nr [xfs]
  |
  xfs_reclaim_inodes_* [xfs]
  ...
  super_cache_scan
description: kswapd and direct reclaimers enter the superblock shrinker; XFS's
  xfs_reclaim_inodes_ag takes the per-AG reclaim lock and waits for inode
  writeback, so every reclaimer serialises behind one slow flush and memory
  allocations across the host stall (mysqld writes hang in direct reclaim).
fix: Linux 5.9 made XFS inode reclaim non-blocking (Dave Chinner's series
  "xfs: rework inode flushing to make inode reclaim fully asynchronous"):
  reclaimers no longer wait for inode writeback under the shrinker.
workaround: Raise vm.min_free_kbytes so kswapd starts earlier; keep dirty data
  low (vm.dirty_background_bytes); avoid memory pressure on XFS database hosts.
# 5.9: from upstream history (no git here to check commit ids against). A
# distribution kernel built from 5.9 or later carries it (fixstatus.h);
# older distribution streams are not listed: their backports are unknown.
fixed-in: upstream 5.9 series "xfs: rework inode flushing to make inode reclaim fully asynchronous" (upstream history, not checked offline)
owner: storage
examples: corpus/formats/journal-short.log
  corpus/formats/journal.json
  corpus/signatures/xfs-shrink_slab-reclaim-deadlock/ubuntu-4.4-kswapd.log
  corpus/signatures/xfs-shrink_slab-reclaim-deadlock/rhel7-direct-reclaim.log
fixed-examples: corpus/signatures/xfs-shrink_slab-reclaim-deadlock/fixed-debian-5.10.log
counter-examples: corpus/signatures/xfs-shrink_slab-reclaim-deadlock/counter-xfs-log-force.log
