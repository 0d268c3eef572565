id: netns-copy_net_ns-pernet_ops_rwsem
title: Tasks hung in copy_net_ns on pernet_ops_rwsem behind a netns cleanup stuck in teardown
severity: high
kind: hung_task, sysrq_tasks
# From 4.17 copy_net_ns takes pernet_ops_rwsem shared: it blocks only while
# a writer (register/unregister_pernet_*, a module load or unload) holds or
# waits for it, and that writer waits for cleanup_net, which holds the lock
# shared through the whole teardown. The lock a task waits for is known
# when lockdep printed the held locks (debug kernels, sysrq-d).
frames: copy_net_ns
waiting-for: pernet_ops_rwsem
description: New network namespaces queue on pernet_ops_rwsem. The netns
  cleanup worker (cleanup_net) holds it shared while it tears namespaces down;
  a pernet_operations (un)registration (loading or unloading a network module)
  waits to take it exclusively, and rwsem fairness makes every new reader
  (copy_net_ns) wait behind that writer. A cleanup that is itself slow (here
  waiting in rcu_barrier from netdev_run_todo) stalls namespace creation for
  minutes.
workaround: Do not load or unload network modules while containers churn
  namespaces; find what cleanup_net waits for (its stack in the same report).
owner: kernel-net
examples: corpus/kinds/hung-task-locks-5.4.log
  corpus/sysrq/sysrq-w-locks-6.1.log
counter-examples: corpus/signatures/netns-copy_net_ns-pernet_ops_rwsem/counter-rtnl_mutex-6.1.log
