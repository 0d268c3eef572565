#!/bin/sh
# bootstrap.sh: install what is missing (Debian 12, as root), then
# autoreconf, configure and make. Safe to run again.
#   ./bootstrap.sh [configure options...]
set -eu
cd "$(dirname "$0")"

# Build and test dependencies, by Debian package name (gdb, lz4 and libc6-dbg:
# tests/cores.sh checks its unwinding against gdb, with glibc's debuginfo, on
# cores it also compresses).
PKGS="build-essential groff-base autoconf automake libtool pkg-config
libdw-dev libelf-dev libdebuginfod-dev elfutils libunwind-dev libpcre2-dev
libsqlite3-dev sqlite3 libcmocka-dev zlib1g-dev liblzma-dev libzstd-dev libbz2-dev libarchive-dev
gzip xz-utils zstd bzip2 zip cpio lz4 gdb libc6-dbg binutils clang libclang-rt-14-dev parallel python3 perl bc
chromium fonts-dejavu-core"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
		echo "bootstrap: installing:$missing"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $missing >/dev/null
	else
		echo "bootstrap: missing Debian packages:$missing" >&2
		echo "bootstrap: run as root, or: sudo apt-get install$missing" >&2
		exit 2
	fi
fi

[ -x configure ] && [ configure -nt configure.ac ] || autoreconf -fi
[ -f Makefile ] && [ config.status -nt configure ] || ./configure "$@"
make -j"$(nproc)"
