#!/bin/sh
# scripts/lab/kernel-arm64.sh - the arm64 lab's packages from Debian's archive,
# downloaded and unpacked, never installed: called by `kernel.sh OUTDIR arm64`
# with the current ABI (6.1.0-NN-arm64).
#
# Usage: scripts/lab/kernel-arm64.sh OUTDIR KVER
#
# Into OUTDIR/kroot (dpkg-deb -x of each):
#   linux-image-KVER:arm64       boot/vmlinuz-KVER: on arm64 an uncompressed
#                                Image (magic "ARMd" at byte 56), booted as is
#   linux-headers-KVER:arm64     usr/src/linux-headers-KVER: .config,
#   linux-headers-6.1.0-NN-common  Module.symvers, arch/arm64; the headers
#   linux-kbuild-6.1 (host arch)   link scripts/ and tools/ to
#                                ../../lib/linux-kbuild-6.1, and the amd64
#                                linux-kbuild-6.1 of the SAME version puts
#                                amd64 fixdep, modpost, ... there: the module
#                                cross-builds with the host's aarch64-linux-gnu-gcc-12
#                                (make kmod-arm64), no emulated host tool
#   busybox-static:arm64         bin/busybox -> OUTDIR/busybox
# The arm64 headers' Makefile includes /usr/src/linux-headers-...-common/Makefile
# (the installed path); it is pointed at the unpacked copy instead.
# Out: OUTDIR/kver, OUTDIR/Image, OUTDIR/busybox, OUTDIR/kroot/lib/modules/KVER,
# OUTDIR/kroot/usr/src/linux-headers-KVER.  Idempotent per ABI.
set -eu
out=$1 kver=$2
die() { echo "lab-kernel: $*" >&2; exit 1; }
hdr=$out/kroot/usr/src/linux-headers-$kver
common=linux-headers-${kver%-arm64}-common

mkdir -p "$out"
if [ -f "$out/Image" ] && [ -f "$out/busybox" ] && [ -f "$out/kver" ] &&
	[ "$(cat "$out/kver")" = "$kver" ] && [ -d "$out/kroot/lib/modules/$kver" ] &&
	[ -x "$out/kroot/usr/lib/linux-kbuild-6.1/scripts/mod/modpost" ]; then
	echo "lab-kernel: $kver already in $out"
	exit 0
fi

rm -rf "$out/kroot" "$out/Image" "$out/busybox" "$out/kver" "$out/deb"
mkdir -p "$out/deb"
# download PKG...: apt-get download into OUTDIR/deb (as root it warns that the
# _apt user cannot write there, which is harmless)
download() {
	echo "lab-kernel: downloading $*"
	(cd "$out/deb" && apt-get download -q "$@" 2>&1 | grep -v '^W: Download is performed unsandboxed') || true
}
download "linux-image-$kver:arm64" "linux-headers-$kver:arm64" "$common" busybox-static:arm64
deb=$(ls "$out/deb"/linux-headers-"$kver"_*_arm64.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || die "apt-get download linux-headers-$kver:arm64 failed"
# the host tools must come from the same source version as the headers
download "linux-kbuild-6.1=$(dpkg-deb -f "$deb" Version)"
for p in "linux-image-${kver}_*_arm64" "linux-headers-${kver}_*_arm64" "${common}_*_all" \
	"busybox-static_*_arm64" "linux-kbuild-6.1_*"; do
	deb=$(ls "$out/deb"/$p.deb 2>/dev/null | head -n 1)
	[ -n "$deb" ] || die "no $p.deb: apt-get download failed"
	dpkg-deb -x "$deb" "$out/kroot"
done
img=$out/kroot/boot/vmlinuz-$kver
[ -f "$img" ] || die "linux-image-$kver holds no boot/vmlinuz-$kver"
[ "$(tail -c +57 "$img" | head -c 4)" = "ARMd" ] || die "vmlinuz-$kver is not an arm64 Image"
[ -x "$out/kroot/usr/lib/linux-kbuild-6.1/scripts/mod/modpost" ] ||
	die "linux-kbuild-6.1 holds no scripts/mod/modpost"
grep -q "^include /usr/src/$common/Makefile\$" "$hdr/Makefile" ||
	die "$hdr/Makefile does not include /usr/src/$common/Makefile"
# make -C runs in $hdr: a relative include finds the unpacked common tree
sed -i "s|^include /usr/src/$common/Makefile\$|include ../$common/Makefile|" "$hdr/Makefile"
cp "$out/kroot/bin/busybox" "$out/busybox"
cp "$img" "$out/Image"
echo "$kver" >"$out/kver"
rm -rf "$out/deb"
echo "lab-kernel: $kver -> $out/Image ($(wc -c <"$out/Image") bytes), modules in $out/kroot/lib/modules/$kver, headers in $hdr"
