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
fix: upstream commit 7a29ac474a47eb8cf212b45917683ae89d6fa13b; check that the
  kernels you run carry it (git tag --contains, or the distribution changelog).
workaround: Raise vm.min_free_kbytes so kswapd starts earlier; keep dirty data
  low (vm.dirty_background_bytes); avoid memory pressure on XFS database hosts.
links: https://git.kernel.org/linus/7a29ac474a47eb8cf212b45917683ae89d6fa13b
examples: corpus/formats/journal-short.log
  corpus/formats/journal.json
  corpus/signatures/xfs-shrink_slab-reclaim-deadlock/ubuntu-4.4-kswapd.log
  corpus/signatures/xfs-shrink_slab-reclaim-deadlock/rhel7-direct-reclaim.log
counter-examples: corpus/signatures/xfs-shrink_slab-reclaim-deadlock/counter-xfs-log-force.log
