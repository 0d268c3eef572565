id: netns-copy_net_ns-net_mutex
title: Tasks hung in copy_net_ns waiting for net_mutex while netns cleanup is slow
severity: high
kind: hung_task proc_stack
frames: copy_net_ns
description: Creating a network namespace (ip netns, unshare -n, container runtimes)
  takes net_mutex in copy_net_ns. The netns cleanup worker (cleanup_net) holds
  it while it tears down old namespaces, and on 4.x kernels that teardown waits
  for rcu_barrier() for every namespace, so with many short-lived namespaces
  new ones queue behind it for minutes and trip the hung-task detector.
fix: Upstream later replaced net_mutex with finer-grained locking
  (pernet_ops_rwsem); newer kernel series no longer serialise namespace
  creation behind cleanup this way.
workaround: Reuse namespaces instead of creating one per task; lower the rate of
  namespace creation; check `cat /proc/net/netns` churn and kworker cleanup_net time.
links: https://lore.kernel.org/netdev/?q=copy_net_ns+net_mutex
examples: corpus/formats/dmesg-T.log
  corpus/formats/journal-short-precise.log
  corpus/formats/journal-short-iso.log
  corpus/formats/multihost.log
  corpus/signatures/netns-copy_net_ns-net_mutex/unshare-5.4.log
  corpus/signatures/netns-copy_net_ns-net_mutex/syslog-4.15-runc.log
  corpus/signatures/netns-copy_net_ns-net_mutex/ubuntu-4.4-unshare.log
  corpus/kinds/hung-task-locks-5.4.log
  corpus/proc/netns-ip-head.txt
  corpus/proc/netns-ip-grep.txt
  corpus/proc/netns-ip-loop.txt
counter-examples: corpus/signatures/netns-copy_net_ns-net_mutex/copy_net_ns-oops.log
  corpus/signatures/netns-copy_net_ns-net_mutex/counter-rtnl_lock.log
