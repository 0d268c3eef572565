id: list-corruption
title: Linked-list corruption detected by CONFIG_DEBUG_LIST
severity: critical
kind: warning bug
description:
  __list_add(_valid)/__list_del_entry(_valid) found inconsistent next/prev
  pointers: memory corruption (use-after-free, double list_del, racing
  unlocked list users). The function in the title is only the victim; look
  at the list's owner in the frames below it.
frames:
  __list_add*
frames:
  __list_del_entry*
workaround: none generic; enable KASAN or slub_debug on a test host to find the corrupting writer
examples:
  corpus/signatures/list-corruption/warning-4.9-list_add.log
  corpus/signatures/list-corruption/bug-5.10-list_del.log
counter-examples:
  corpus/signatures/netdev-watchdog-tx-timeout/counter-other-warning.log
