id: list-corruption
title: Linked-list corruption detected by CONFIG_DEBUG_LIST
severity: critical
kind: warning, bug
frames: __list_add*
  |
  __list_del_entry*
description: __list_add(_valid) or __list_del_entry(_valid) found inconsistent
  next/prev pointers: memory corruption (use-after-free, double list_del, list
  users racing without the lock). The function in the title is only the victim:
  look at the owner of the list in the frames below.
workaround: None generic; enable KASAN or slub_debug on a test host to find the
  corrupting writer.
examples: corpus/signatures/list-corruption/warning-4.9-list_add.log
  corpus/signatures/list-corruption/bug-5.10-list_del.log
