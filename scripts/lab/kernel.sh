#!/bin/sh
# scripts/lab/kernel.sh - fetch Debian 12's current 6.1 kernel for the qemu lab,
# without installing it, and extract the uncompressed vmlinux qemu boots fast.
#
# Usage: scripts/lab/kernel.sh [OUTDIR [ARCH [SERIES]]]  (default build/lab amd64 6.1)
#
# SERIES 6.12 (OUTDIR build/lab-6.12, build/lab-arm64-6.12): Debian 13's kernel, from trixie through
# a project-private apt configuration (scripts/lab/apt-suite.sh), with its headers and the
# kbuild tools the module needs: scripts/lab/kernel-suite.sh.  SERIES 5.10 (build/lab-5.10,
# build/lab-arm64-5.10): Debian 11's, from bullseye, the same way.
# SERIES 7.2 (OUTDIR build/lab-7.2, build/lab-arm64-7.2): Debian unstable's kernel, the same way.
#
# ARCH arm64 (OUTDIR build/lab-arm64, the MT8173's lab): the ABI is found the
# same way (linux-image-arm64:arm64, hence dpkg's arm64 foreign architecture,
# which make deps adds), then scripts/lab/kernel-arm64.sh fetches the rest.
#
# The ABI (6.1.0-NN-amd64) is whatever linux-image-amd64 depends on today:
# Debian bumps NN with every kernel update, so it is asked, never written down.
# `apt-get download` + `dpkg-deb -x` rather than `apt-get install`: installing
# runs update-initramfs (46 s) and touches the host's /boot, for nothing.
#
# Out: OUTDIR/kver (the ABI), OUTDIR/kroot/{boot,lib/modules/KVER} (the
# package's files), OUTDIR/vmlinux (the ELF inside vmlinuz: qemu boots it
# through its PVH entry point, 2.2 s instead of 5.2 s for the bzImage under TCG,
# see docs/qemu-lab.md).  Idempotent: a second run with the same ABI does nothing.
set -eu
out=${1:-build/lab}
arch=${2:-amd64}
series=${3:-6.1}
die() { echo "lab-kernel: $*" >&2; exit 1; }
case $arch-$series in
amd64-6.1 | arm64-6.1) ;;
amd64-5.10 | arm64-5.10) exec sh "$(dirname "$0")/kernel-suite.sh" "$out" 5.10 bullseye "$arch" ;;
amd64-6.12 | arm64-6.12) exec sh "$(dirname "$0")/kernel-suite.sh" "$out" 6.12 trixie "$arch" ;;
amd64-7.2 | arm64-7.2) exec sh "$(dirname "$0")/kernel-suite.sh" "$out" 7.2 unstable "$arch" ;;
*) die "no $series kernel for $arch in the lab (5.10, 6.1, 6.12 and 7.2, amd64 and arm64)" ;;
esac
case $arch in
amd64) ;;
arm64)
	dpkg --print-foreign-architectures | grep -qx arm64 ||
		die "dpkg knows no arm64 architecture: run 'make deps' (dpkg --add-architecture arm64)" ;;
*) die "unknown ARCH '$arch' (amd64, arm64)" ;;
esac

command -v apt-cache >/dev/null || die "apt-cache not found (Debian 12 host expected)"
command -v xz >/dev/null || die "xz not found: run 'make deps'"
current_abi() {
	apt-cache depends "linux-image-$arch:$arch" 2>/dev/null |
		awk '/Depends: linux-image-[0-9]/ { sub("linux-image-", "", $2); sub(":.*", "", $2); print $2; exit }'
}
kver=$(current_abi)
if [ -z "$kver" ]; then
	# A fresh machine has no package lists yet (make deps skips apt-get
	# update when every package is already installed).
	echo "lab-kernel: no package lists name linux-image-$arch: apt-get update"
	apt-get update -q >/dev/null || die "apt-get update failed"
	kver=$(current_abi)
fi
[ -n "$kver" ] || die "apt-cache depends linux-image-$arch names no linux-image-6.1.0-*"
[ "$arch" = amd64 ] || exec sh "$(dirname "$0")/kernel-arm64.sh" "$out" "$kver"

mkdir -p "$out"
if [ -f "$out/vmlinux" ] && [ -f "$out/kver" ] && [ "$(cat "$out/kver")" = "$kver" ] &&
	[ -d "$out/kroot/lib/modules/$kver" ]; then
	echo "lab-kernel: $kver already in $out"
	exit 0
fi

# A previous ABI's tree is removed whole: modules of two ABIs must not mix.
rm -rf "$out/kroot" "$out/vmlinux" "$out/kver" "$out/deb"
mkdir -p "$out/deb"
echo "lab-kernel: downloading linux-image-$kver"
# apt-get download writes into the current directory; as root it warns that
# the _apt user cannot write there, which is harmless.
(cd "$out/deb" && apt-get download -q "linux-image-$kver" 2>&1 | grep -v '^W: Download is performed unsandboxed') || true
deb=$(ls "$out/deb"/linux-image-"$kver"_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || die "apt-get download linux-image-$kver failed"
dpkg-deb -x "$deb" "$out/kroot"
[ -f "$out/kroot/boot/vmlinuz-$kver" ] || die "$deb holds no boot/vmlinuz-$kver"

sh "$(dirname "$0")/vmlinux.sh" "$out/kroot/boot/vmlinuz-$kver" "$out/vmlinux"
echo "$kver" >"$out/kver"
rm -rf "$out/deb"
echo "lab-kernel: $kver -> $out/vmlinux ($(wc -c <"$out/vmlinux") bytes), modules in $out/kroot/lib/modules/$kver"
