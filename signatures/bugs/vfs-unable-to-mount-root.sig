id: vfs-unable-to-mount-root
title: Boot panic: VFS unable to mount the root filesystem
severity: critical
kind: panic
title-regex: ^kernel panic: VFS: Unable to mount root fs
description: The kernel found no usable root device: the initramfs lacks the
  storage or filesystem driver (new kernel installed without regenerating it,
  virtio/NVMe/RAID driver missing), or root= names a device that no longer exists.
workaround: Boot the previous kernel, then rebuild the initramfs for the new one
  (dracut -f / update-initramfs -u) and check root= against blkid.
examples: corpus/kinds/panic-vfs.log
  corpus/signatures/vfs-unable-to-mount-root/centos6-2.6.log
