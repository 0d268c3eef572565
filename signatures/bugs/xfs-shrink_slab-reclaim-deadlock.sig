id: xfs-shrink_slab-reclaim-deadlock
title: Tasks hung in XFS inode reclaim under the slab shrinker
severity: high
kind: hung_task
description:
  kswapd and direct reclaimers enter the XFS inode cache shrinker
  (super_cache_scan -> xfs_fs_free_cached_objects -> xfs_reclaim_inodes_nr ->
  xfs_reclaim_inodes_ag) and block on the per-AG reclaim lock while another
  reclaimer waits for log I/O, so memory reclaim stalls system-wide and the
  hung-task detector fires for kswapd and for allocating applications.
frames:
  xfs_reclaim_inodes_*
  ...
  super_cache_scan
  shrink_slab
fix: upstream commit 7a29ac474a47eb8cf212b45917683ae89d6fa13b; update to a kernel that includes it
workaround: lower the inode cache pressure on XFS hosts (vm.vfs_cache_pressure) and keep free memory headroom (vm.min_free_kbytes) until the kernel is updated
links:
  https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=7a29ac474a47eb8cf212b45917683ae89d6fa13b
examples:
  corpus/signatures/xfs-shrink_slab-reclaim-deadlock/ubuntu-4.4-kswapd.log
  corpus/signatures/xfs-shrink_slab-reclaim-deadlock/rhel7-direct-reclaim.log
  ../shared/corpus/seed/xfs-shrink_slab-hung.log
counter-examples:
  corpus/signatures/xfs-shrink_slab-reclaim-deadlock/counter-xfs-log-force.log
