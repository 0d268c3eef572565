id: rtnl-lock-hung
title: Tasks hung waiting for rtnl_lock (a network configuration path holds RTNL)
severity: medium
kind: hung_task
frames: rtnl_lock
description: RTNL serialises all network configuration. One holder that blocks
  (a driver waiting for firmware, a netdev waiting for its refcount, a wireless
  regulatory update) makes every ip/netlink caller and network kworker queue
  behind it. Find the holder: sysrq-w, or the task that is not in rtnl_lock.
examples: corpus/formats/caller-interleaved.log
  corpus/signatures/rtnl-lock-hung/ip-link-5.15.log
  corpus/signatures/netns-copy_net_ns-net_mutex/counter-rtnl_lock.log
  corpus/signatures/netns-copy_net_ns-pernet_ops_rwsem/counter-rtnl_mutex-6.1.log
