id: nfs-server-not-responding-hung
title: Tasks hung on an NFS server that stopped responding
severity: medium
kind: hung_task
description:
  Processes touching a hard-mounted NFS file system wait in the RPC layer
  (rpc_wait_bit_killable, nfs_wait_bit_killable, nfs4 state recovery) for
  a server that does not answer; "nfs: server X not responding, still
  trying" usually precedes them. Not a client kernel bug in most cases.
frames:
  rpc_wait_bit_killable [sunrpc]
frames:
  nfs_wait_bit_killable [nfs]
frames:
  nfs4_wait_clnt_recover [nfsv4]
workaround: restore the server or the network path; consider soft,timeo= mount options or autofs for non-critical mounts
examples:
  corpus/signatures/nfs-server-not-responding-hung/dmesg-3.10-stat.log
  corpus/signatures/nfs-server-not-responding-hung/syslog-4.15-nfs4.log
counter-examples:
  corpus/signatures/jbd2-commit-hung/dmesg-3.10-fsync.log
