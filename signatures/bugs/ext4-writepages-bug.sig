id: ext4-writepages-bug
title: kernel BUG in ext4_writepages during writeback (delalloc accounting)
severity: high
kind: bug
frames: ext4_writepages [ext4]
text-regex: kernel BUG at fs/ext4/inode\.c:\d+!
description: ext4's delayed-allocation writeback found an inconsistent page or
  block state and hit BUG_ON in ext4_writepages; the flush worker dies holding
  the inode and writers to the filesystem hang after it.
workaround: Run fsck on the filesystem after the crash; record the fixing
  commit for your kernel here once identified.
examples: corpus/kinds/kernel-bug-3.10.log
  corpus/arch/arm64-bug-6.1.log
  corpus/signatures/ext4-writepages-bug/syslog-3.10.0-862.log
