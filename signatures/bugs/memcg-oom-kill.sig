id: memcg-oom-kill
title: OOM kill inside a memory cgroup (container or service limit reached)
severity: low
kind: oom
description:
  The OOM killer ran because a memory cgroup reached its limit, not because
  the host ran out of memory: the workload in that cgroup needs more memory
  than its limit (or leaks). The host itself is healthy.
text-regex: Memory cgroup out of memory|oom-kill:.*oom_memcg=/|Task in /\S+ killed as a result of limit of
workaround: raise the cgroup's memory limit (memory.max / memory.limit_in_bytes, container --memory) or fix the workload's memory use
examples:
  corpus/signatures/memcg-oom-kill/dmesg-3.10-docker.log
  corpus/signatures/memcg-oom-kill/dmesg-5.15-systemd-slice.log
counter-examples:
  corpus/kinds/oom-5.15.log
