id: netns-copy_net_ns-net_mutex
title: Tasks hung in copy_net_ns waiting on net_mutex while netns cleanup is slow
severity: high
kind: hung_task
description:
  Creating a network namespace (ip netns add, unshare -n, container start)
  takes net_mutex in copy_net_ns(). The netns cleanup worker (cleanup_net)
  holds the same mutex while it tears down dead namespaces, and with many
  devices or a slow rcu_barrier() that takes minutes: every new namespace
  waits behind it and the hung-task detector reports ip/unshare/runc in D
  state. Typical on Ubuntu 4.4 hosts with heavy container churn.
frames:
  *mutex_lock*
  copy_net_ns
fix: Linux 4.15-4.16 split net_mutex (pernet_ops_rwsem series by Kirill Tkhai) so namespace creation no longer waits for cleanup; upgrade to an HWE/4.15+ kernel
workaround: reduce namespace churn (reuse namespaces, slow container restarts); a kworker in cleanup_net waiting on rcu_barrier confirms the diagnosis
links:
  https://lore.kernel.org/netdev/?q=pernet_ops_rwsem
examples:
  corpus/signatures/netns-copy_net_ns-net_mutex/ubuntu-4.4-unshare.log
  corpus/signatures/netns-copy_net_ns-net_mutex/syslog-4.15-runc.log
  ../shared/corpus/seed/hung-task-copy_net_ns.log
  corpus/formats/dmesg-T.log
  corpus/formats/multihost.log
  corpus/formats/journal-short-precise.log
counter-examples:
  corpus/signatures/netns-copy_net_ns-net_mutex/counter-rtnl_lock.log
