id: qemu-vnc-clipboard-null-deref
title: QEMU dies in qemu_clipboard_request on a VNC extended clipboard message (CVE-2023-6683)
severity: high
kind: coredump
executable: qemu-system-*
  qemu-kvm
package: qemu-system-x86 < 1:7.2+dfsg-7+deb12u4
frames: qemu_clipboard_request
  ...
  vnc_client_cut_text_ext
description: QEMU's built-in VNC server handles a client's extended
  ClientCutText message before vnc_server_cut_text_caps() has set up the
  clipboard peer: qemu_clipboard_request() dereferences a NULL pointer and
  the whole guest's QEMU process dies with SIGSEGV. Any VNC client that can
  connect (no authentication needed first on an open -vnc) can do it.
fix: Upstream: "ui/clipboard: mark type as not available when there is no
  data" and "ui/clipboard: add asserts for update and request" (QEMU 8.2.1,
  backported to 7.2.9); CVE-2023-6683. Debian: qemu 1:7.2+dfsg-7+deb12u4
  (bookworm; Debian bug #1060749).
workaround: Do not expose VNC to untrusted clients (listen on localhost,
  require a password or TLS), or use SPICE.
links: https://security-tracker.debian.org/tracker/CVE-2023-6683
  https://bugs.debian.org/1060749
examples: corpus/coredump/journal.json
  corpus/signatures/qemu-vnc-clipboard-null-deref/journal.json
counter-examples: corpus/signatures/qemu-vnc-clipboard-null-deref/fixed-version.json
  corpus/signatures/qemu-vnc-clipboard-null-deref/other-crash.json
