id: memcg-oom-kill
title: A memory cgroup hit its limit and the OOM killer killed a process in it
severity: medium
kind: oom
text-regex: ^Memory cgroup out of memory: Kill(ed)? process
description: Not a kernel bug: a container or systemd slice reached memory.max
  (memory.limit_in_bytes) and the kernel killed a task inside it. The oom-kill
  line names the cgroup (oom_memcg) and the victim.
workaround: Raise the cgroup's limit or fix the workload's memory use; the
  "Tasks state" table in the same report shows who held the memory.
examples: corpus/signatures/memcg-oom-kill/docker-5.15.log
  corpus/signatures/memcg-oom-kill/systemd-slice-4.18.log
counter-examples: corpus/kinds/oom-5.15.log
