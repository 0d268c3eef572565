id: nfs-server-not-responding-hung
title: Tasks hung on an NFS server that stopped responding
severity: medium
kind: hung_task
frames: rpc_wait_bit_killable [sunrpc]
  |
  nfs_wait_bit_killable [nfs]
  |
  nfs4_wait_clnt_recover [nfsv4]
description: Processes touching a hard-mounted NFS file system wait in the RPC
  layer for a server that does not answer; "nfs: server X not responding, still
  trying" usually comes first. In most cases not a client kernel bug.
workaround: Restore the server or the network path; consider soft,timeo= mount
  options or autofs for non-critical mounts.
examples: corpus/signatures/nfs-server-not-responding-hung/dmesg-3.10-stat.log
  corpus/signatures/nfs-server-not-responding-hung/syslog-4.15-nfs4.log
  corpus/signatures/hung-task-panic/nfs-4.18.log
