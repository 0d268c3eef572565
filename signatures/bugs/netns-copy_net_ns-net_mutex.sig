id: netns-copy_net_ns-net_mutex
title: Tasks hung in copy_net_ns waiting for net_mutex while netns cleanup is slow
severity: high
kind: hung_task proc_stack
# Kernels before 4.17 take net_mutex in copy_net_ns with mutex_lock (or
# mutex_lock_killable in later 4.x); 4.17 and later take pernet_ops_rwsem
# shared (down_read_killable) instead: another story
# (netns-copy_net_ns-pernet_ops_rwsem). So a mutex frame right above
# copy_net_ns says net_mutex on any kernel, and a /proc/PID/stack capture,
# which prints no release, is decided by its frames alone. A report cut
# between schedule and copy_net_ns (corpus/formats/journal-short-iso.log)
# names no lock and is not claimed, even on a 4.4 kernel: the frames are
# the evidence, the release only says whether the fix is in.
frames: mutex_lock*|__mutex_lock*
  copy_net_ns
description: Creating a network namespace (ip netns, unshare -n, container runtimes)
  takes net_mutex in copy_net_ns. The netns cleanup worker (cleanup_net) holds
  it while it tears down old namespaces, and on 4.x kernels that teardown waits
  for rcu_barrier() for every namespace, so with many short-lived namespaces
  new ones queue behind it for minutes and trip the hung-task detector.
fix: Linux 4.17 removed net_mutex: copy_net_ns and cleanup_net take
  pernet_ops_rwsem shared, so namespace creation no longer waits for cleanup
  (commit 19efbd93e6fb "net: Kill net_mutex").
workaround: Reuse namespaces instead of creating one per task; lower the rate of
  namespace creation; check `cat /proc/net/netns` churn and kworker cleanup_net time.
# 4.17: from upstream history (no git here to check the commit id against);
# linux-source-6.1's net/core/net_namespace.c shows the result: copy_net_ns
# takes down_read_killable(&pernet_ops_rwsem). A kernel that carries the fix
# cannot print these frames, so there is no fixed-example: a match on one
# would mean the frames came from elsewhere.
fixed-in: upstream 4.17 commit 19efbd93e6fb "net: Kill net_mutex" (upstream history, not checked offline)
owner: kernel-net
links: https://lore.kernel.org/netdev/?q=copy_net_ns+net_mutex
  19efbd93e6fb
examples: corpus/formats/dmesg-T.log
  corpus/formats/journal-short-precise.log
  corpus/formats/multihost.log
  corpus/signatures/netns-copy_net_ns-net_mutex/syslog-4.15-runc.log
  corpus/signatures/netns-copy_net_ns-net_mutex/ubuntu-4.4-unshare.log
  corpus/proc/netns-ip-head.txt
  corpus/proc/netns-ip-grep.txt
  corpus/proc/netns-ip-loop.txt
counter-examples: corpus/signatures/netns-copy_net_ns-net_mutex/counter-rtnl_lock.log
  corpus/signatures/netns-copy_net_ns-net_mutex/counter-5.4-pernet_ops_rwsem.log
  corpus/kinds/hung-task-locks-5.4.log
