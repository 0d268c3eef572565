#!/bin/sh
# bench/symbolize/run.sh KSIFT OUTDIR: ksift symbolize vs llvm-symbolizer,
# addr2line -i and eu-addr2line -i on the same ~20,000 frames of a real Debian
# cloud kernel (vmlinux + kvm.ko). Installs the debug package on demand
# (~280 MB download, ~1 GB unpacked). Not part of CI.
set -eu
KSIFT=$1
OUT=$2
N_VMLINUX=${N_VMLINUX:-17000}
N_KVM=${N_KVM:-3000}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUT"

pkg=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-cloud-amd64-dbg$' |
	awk '{ print $1 }' | sort -V | tail -1)
if [ -z "$pkg" ]; then
	apt-get update >/dev/null
	pkg=$(apt-cache search --names-only '^linux-image-[0-9.+a-z-]*-cloud-amd64-dbg$' |
		awk '{ print $1 }' | grep -v -- '-6\.[0-9]*-cloud' | sort -V | tail -1)
fi
[ -n "$pkg" ] || { echo "no linux-image-*-cloud-amd64-dbg package found" >&2; exit 1; }
rel=${pkg#linux-image-}
rel=${rel%-dbg}
vmlinux=/usr/lib/debug/boot/vmlinux-$rel
if [ ! -f "$vmlinux" ]; then
	echo "installing $pkg (about 280 MB) ..." >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$pkg" >&2
fi
kvm=$(find /usr/lib/debug/lib/modules/"$rel" -name kvm.ko | head -1)
[ -f "$vmlinux" ] && [ -f "$kvm" ] || { echo "missing $vmlinux or kvm.ko" >&2; exit 1; }

python3 "$here/mklog.py" "$vmlinux" "$kvm" "$OUT" "$N_VMLINUX" "$N_KVM"
sed -i "s/BENCH/$rel/g" "$OUT/log"
nframes=$(wc -l < "$OUT/frames.tsv")
sed -n '1,3p;4p' "$OUT/log" > "$OUT/one.log"

# measure NAME CMD...: wall seconds and peak RSS (KiB) into $OUT/NAME.time
measure() {
	name=$1; shift
	/usr/bin/time -f "%e %M" -o "$OUT/$name.time" "$@"
}
sum_times() {	# total seconds, max RSS MiB of the given .time files
	cat "$@" | awk '{ t += $1; if ($2 > m) m = $2 } END { printf "%.2f %.0f", t, m / 1024 }'
}

echo "ksift ..." >&2
measure ksift "$KSIFT" symbolize --no-debuginfod --debug-root /usr/lib/debug \
	"$OUT/log" > "$OUT/ksift.out" 2> "$OUT/ksift.err"
echo "llvm-symbolizer ..." >&2
# llvm-symbolizer has no -j: on a relocatable .ko every section starts at 0
# and it answers for whichever section it picks (wrong lines for .text
# offsets). Linked with .text at 0, kvm's .text offsets are its addresses.
printf 'SECTIONS { .text 0 : { *(.text) } }\n' > "$OUT/kvm.lds"
ld -e 0 --unresolved-symbols=ignore-all --no-warn-rwx-segments -T "$OUT/kvm.lds" \
	-o "$OUT/kvm.linked" "$kvm" 2>/dev/null ||
	ld -e 0 --unresolved-symbols=ignore-all -T "$OUT/kvm.lds" -o "$OUT/kvm.linked" "$kvm"
measure llvm1 llvm-symbolizer --inlining --obj="$vmlinux" < "$OUT/vmlinux.addrs" > "$OUT/llvm-vmlinux.out"
measure llvm2 llvm-symbolizer --inlining --obj="$OUT/kvm.linked" < "$OUT/kvm.addrs" > "$OUT/llvm-kvm.out"
echo "addr2line ..." >&2
measure a2l1 sh -c "addr2line -a -i -f -e '$vmlinux' < '$OUT/vmlinux.addrs' > '$OUT/a2l-vmlinux.out'"
measure a2l2 sh -c "addr2line -a -i -f -j .text -e '$kvm' < '$OUT/kvm.addrs' > '$OUT/a2l-kvm.out'"
if [ "${SKIP_EU:-0}" != 1 ]; then
	echo "eu-addr2line ..." >&2
	measure eu1 sh -c "eu-addr2line -a -i -f -e '$vmlinux' < '$OUT/vmlinux.addrs' > '$OUT/eu-vmlinux.out'"
	measure eu2 sh -c "eu-addr2line -a -i -f -j .text -e '$kvm' < '$OUT/kvm.addrs' > '$OUT/eu-kvm.out'"
fi

# Cold start: one frame, a fresh process (page cache warm), best of 5.
cold() {
	best=999
	for i in 1 2 3 4 5; do
		/usr/bin/time -f "%e" -o "$OUT/cold.time" "$@" > /dev/null 2>&1 || true
		best=$(awk -v a="$best" -v b="$(cat "$OUT/cold.time")" 'BEGIN { print (b < a) ? b : a }')
	done
	echo "$best"
}
first=$(head -1 "$OUT/vmlinux.addrs")
cold_ksift=$(cold "$KSIFT" symbolize --no-debuginfod --debug-root /usr/lib/debug "$OUT/one.log")
cold_eu=$(cold eu-addr2line -i -f -e "$vmlinux" "$first")
cold_llvm=$(cold llvm-symbolizer --inlining --obj="$vmlinux" "$first")
cold_a2l=$(cold addr2line -i -f -e "$vmlinux" "$first")

printf '\n%d frames (%s vmlinux + kvm.ko), %s\n' "$nframes" "$rel" "$(date -u +%F)"
printf '%-18s %10s %14s %14s\n' tool "total s" "peak RSS MiB" "1 frame s"
printf '%-18s %10s %14s %14s\n' "ksift symbolize" $(sum_times "$OUT/ksift.time") "$cold_ksift"
printf '%-18s %10s %14s %14s\n' "llvm-symbolizer" $(sum_times "$OUT/llvm1.time" "$OUT/llvm2.time") "$cold_llvm"
printf '%-18s %10s %14s %14s\n' "addr2line -i" $(sum_times "$OUT/a2l1.time" "$OUT/a2l2.time") "$cold_a2l"
[ "${SKIP_EU:-0}" = 1 ] ||
printf '%-18s %10s %14s %14s\n' "eu-addr2line -i" $(sum_times "$OUT/eu1.time" "$OUT/eu2.time") "$cold_eu"
echo
# Build-directory prefixes addr2line prints and ksift strips.
srcver=$(dpkg-query -W -f='${Version}' "$pkg")
srcver=${srcver%-*}
python3 "$here/compare.py" "$OUT" \
	"/build/reproducible-path/linux-$srcver/debian/build/build_amd64_none_cloud-amd64" \
	"debian/build/build_amd64_none_cloud-amd64" \
	"/build/reproducible-path/linux-$srcver"

# Where addr2line and ksift name other files: the kernel source of the same
# version decides (linux-source-X.Y, installed on demand when its version is
# the debug package's; ~140 MB).
srcpkg=linux-source-$(echo "$rel" | cut -d. -f1,2)
srcpkgver=$(apt-cache policy "$srcpkg" 2>/dev/null | awk '/Candidate:/ { print $2 }')
dbgver=$(dpkg-query -W -f='${Version}' "$pkg")
tarball=/usr/src/$srcpkg.tar.xz
if [ "${SKIP_SRCCHECK:-0}" = 1 ]; then
	:
elif [ "$srcpkgver" = "$dbgver" ]; then
	[ -f "$tarball" ] && dpkg -s "$srcpkg" >/dev/null 2>&1 ||
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$srcpkg" >&2
	echo
	python3 "$here/srccheck.py" "$OUT" "$tarball"
else
	echo "source check skipped: $srcpkg is $srcpkgver, the debug kernel $dbgver"
fi
