id: sysrq-triggered-crash
title: Deliberate crash through sysrq-trigger (echo c > /proc/sysrq-trigger)
severity: low
kind: oops panic
frames: sysrq_handle_crash
description: Someone (or kdump testing, or a watchdog script) wrote 'c' to
  /proc/sysrq-trigger. Not a kernel bug: check who ran it and why.
examples: corpus/formats/vmcore-dmesg.txt
  corpus/signatures/sysrq-triggered-crash/panic-6.1.log
