#!/bin/sh
# scripts/lab/kernel-suite.sh - a lab kernel from another Debian suite than the
# host's, downloaded and unpacked, never installed: called by `kernel.sh OUTDIR ARCH
# SERIES` for SERIES 6.12 (Debian 13, trixie), 5.10 (Debian 11, bullseye) and 7.2
# (Debian unstable), through scripts/lab/apt-suite.sh.
#
# Usage: scripts/lab/kernel-suite.sh OUTDIR SERIES SUITE [ARCH]   (ARCH amd64 or arm64)
#
# The ABI (6.12.NN+deb13-ARCH, 5.10.0-NN-ARCH, 7.2.NN+deb14-ARCH) is whatever the suite's
# linux-image-ARCH depends on today.  Into OUTDIR/kroot (dpkg-deb -x of each):
#   linux-image-KVER:ARCH        boot/vmlinuz-KVER (amd64: a zstd (6.12, 7.2) or xz (5.10)
#                                bzImage, booted as the
#                                vmlinux inside; arm64: an uncompressed Image, booted as
#                                is, OUTDIR/Image), lib/modules/KVER; 7.2's holds
#                                neither: linux-binary-KVER (vmlinuz), linux-modules-KVER
#                                and linux-base-KVER (modules.builtin), which it depends
#                                on, are unpacked too
#   linux-headers-KVER           usr/src/linux-headers-KVER (.config, Module.symvers),
#   linux-headers-...-common     its Makefile pointed at the unpacked common tree
#   linux-kbuild-... (amd64)     fixdep, modpost, objtool, ...; Debian 13 builds modpost
#                                and objtool against glibc 2.38 (__isoc23_strtoul), the
#                                host has 2.36: both are rebuilt from the same version's
#                                source (linux-source-SERIES, below) with the host's gcc;
#                                bullseye's (glibc 2.31) run as packaged and are kept
# and from linux-source-SERIES (Debian's source with its patches): scripts/mod/,
# scripts/include/, tools/ (objtool), and drivers/iommu/io-pgtable-arm-v7s.c, kept as
# OUTDIR/io-pgtable-arm-v7s.c for ptb_v7s_ref.ko (make kmod-ref-SERIES).  arm64 also
# gets the host suite's busybox-static:arm64 (OUTDIR/busybox, the host busybox-static's
# version, whose applet list initramfs.sh reads), and the module is cross-built
# (aarch64-linux-gnu-gcc-12) with the same amd64 tools.
# modpost is built as scripts/mod/Makefile does: mk_elfconfig on an empty object
# (elfconfig.h), devicetable-offsets.c compiled against the headers to assembly and
# turned into devicetable-offsets.h by scripts/Makefile.lib's sed-offsets.
# Out: OUTDIR/kver, OUTDIR/vmlinux, OUTDIR/kroot/... (lib -> usr/lib, the modules
# decompressed).  Idempotent per ABI.
set -eu
out=$1 series=$2 suite=$3 arch=${4:-amd64}
die() { echo "lab-kernel: $*" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
apt_suite() { sh "$here/apt-suite.sh" "$suite" "$@"; }
# apt-suite's own errors (a failed apt-get update) reach stderr: never hidden behind "names no"
kver=$(apt_suite apt-cache depends "linux-image-$arch:$arch" |
	awk '/Depends: linux-image-[0-9]/ { sub("linux-image-", "", $2); sub(":.*", "", $2); print $2; exit }')
[ -n "$kver" ] || die "$suite's linux-image-$arch names no linux-image-$series.*"
case $kver in "$series".*) ;; *) die "$suite serves $kver, not a $series kernel" ;; esac
hdr=$out/kroot/usr/src/linux-headers-$kver
mkdir -p "$out"
# what boots: the vmlinux inside the bzImage (amd64), the Image as shipped (arm64)
boot=$out/vmlinux
[ "$arch" = amd64 ] || boot=$out/Image
if [ -f "$boot" ] && [ -f "$out/kver" ] && [ "$(cat "$out/kver")" = "$kver" ] &&
	[ -f "$out/kroot/lib/modules/$kver/modules.builtin" ] && [ -f "$out/io-pgtable-arm-v7s.c" ] && [ -f "$out/tools.ok" ] &&
	{ [ "$arch" = amd64 ] || [ -f "$out/busybox" ]; }; then
	echo "lab-kernel: $kver already in $out"
	exit 0
fi

rm -rf "$out/kroot" "$out/vmlinux" "$out/Image" "$out/busybox" "$out/kver" "$out/deb" "$out/src" "$out/tools.ok" \
	"$out/io-pgtable-arm-v7s.c"
mkdir -p "$out/deb"
# the headers' own dependencies name the common headers and kbuild packages
# (arm64's name the common package <...:arm64> and linux-kbuild-...:arm64: the names are
# taken, the host's amd64 kbuild downloaded)
deps=$(apt_suite apt-cache depends "linux-headers-$kver:$arch" 2>/dev/null |
	awk '/Depends: <?linux-(headers-.*-common|kbuild-)/ { gsub("[<>]", "", $2); sub(":.*", "", $2); print $2 }' | sort -u)
[ "$(echo "$deps" | wc -w)" -eq 2 ] || die "linux-headers-$kver: its -common and linux-kbuild dependencies not found ($deps)"
# From 7.x (unstable's 7.2) linux-image-KVER is only a package of dependencies: the
# vmlinuz is in linux-binary-KVER, the modules in linux-modules-KVER, modules.builtin
# (which scripts/lab/modules.py reads) and the config in linux-base-KVER (6.12's image
# holds all of them itself and depends on none)
parts=$(apt_suite apt-cache depends "linux-image-$kver:$arch" 2>/dev/null |
	awk -v k="$kver" '/Depends: linux-(base|binary|modules)-/ { sub(":.*", "", $2); if (substr($2, length($2) - length(k) + 1) == k) print $2 }' | sort -u)
echo "lab-kernel: downloading linux-image-$kver $parts linux-headers-$kver $deps linux-source-$series ($suite)"
(cd "$out/deb" && apt_suite apt-get download -q "linux-image-$kver:$arch" \
	$(for p in $parts; do echo "$p:$arch"; done) "linux-headers-$kver:$arch" \
	$(for d in $deps; do case $d in *-common) echo "$d" ;; *) echo "$d:amd64" ;; esac; done) \
	"linux-source-$series" 2>&1 | grep -v '^W: Download is performed unsandboxed') || true
if [ "$arch" = arm64 ]; then
	# the guest's busybox: the host suite's arm64 build of the host's busybox-static
	(cd "$out/deb" && apt-get download -q "busybox-static:arm64=$(dpkg-query -W -f='${Version}' busybox-static)" 2>&1 |
		grep -v '^W: Download is performed unsandboxed') || true
fi
for p in "linux-image-${kver}_*" $(for d in $parts; do echo "${d}_*"; done) "linux-headers-${kver}_*" \
	$(for d in $deps; do echo "${d}_*"; done) \
	$([ "$arch" = amd64 ] || echo "busybox-static_*_arm64"); do
	deb=$(ls "$out/deb"/$p.deb 2>/dev/null | head -n 1)
	[ -n "$deb" ] || die "no $p.deb: apt-get download failed"
	dpkg-deb -x "$deb" "$out/kroot"
done
# 6.12: boot/vmlinuz-KVER; 7.2's linux-binary-KVER: usr/lib/modules/KVER/vmlinuz
vmlinuz=$out/kroot/boot/vmlinuz-$kver
[ -f "$vmlinuz" ] || vmlinuz=$out/kroot/usr/lib/modules/$kver/vmlinuz
[ -f "$vmlinuz" ] || die "linux-image-$kver (or linux-binary-$kver) holds no boot/vmlinuz-$kver nor usr/lib/modules/$kver/vmlinuz"
# Debian 13 is merged-/usr (modules in usr/lib/modules): kroot/lib is usr/lib, as on a
# merged system; its modules are .ko.xz, which busybox's insmod does not take and
# modules.py does not look for: they are decompressed once here.
[ -d "$out/kroot/lib" ] || ln -s usr/lib "$out/kroot/lib"
[ -d "$out/kroot/lib/modules/$kver" ] || die "linux-image-$kver holds no lib/modules/$kver"
find "$out/kroot/lib/modules/$kver" -name '*.ko.xz' -print0 | xargs -0 -r -n 256 xz -d
common=$(echo "$deps" | grep -- '-common$')
kbuild=$out/kroot/usr/lib/$(echo "$deps" | grep '^linux-kbuild-')
grep -q "^include /usr/src/$common/Makefile\$" "$hdr/Makefile" ||
	die "$hdr/Makefile does not include /usr/src/$common/Makefile"
# make -C runs in $hdr: a relative include finds the unpacked common tree
sed -i "s|^include /usr/src/$common/Makefile\$|include ../$common/Makefile|" "$hdr/Makefile"
# 7.2's also sets KBUILD_OUTPUT=/usr/src/linux-headers-KVER (the installed path), which
# the common Makefile requires to exist for an external module: the unpacked tree instead
hdr_abs=$(cd "$hdr" && pwd)
sed -i "s|^KBUILD_OUTPUT=/usr/src/linux-headers-$kver\$|KBUILD_OUTPUT=$hdr_abs|" "$hdr/Makefile"
if grep -q "^KBUILD_OUTPUT=/usr/src/" "$hdr/Makefile"; then die "$hdr/Makefile: KBUILD_OUTPUT not rewritten"; fi

src=$(ls "$out/deb"/linux-source-"$series"_*.deb 2>/dev/null | head -n 1)
[ -n "$src" ] || die "no linux-source-$series.deb: apt-get download failed"
mkdir -p "$out/src"
dpkg-deb --fsys-tarfile "$src" | tar -xO --wildcards "./usr/src/linux-source-$series.tar.*" | xz -dc |
	tar -x -C "$out/src" --wildcards "linux-source-$series/scripts/*" "linux-source-$series/tools/*" \
		"linux-source-$series/include/linux/*" "linux-source-$series/arch/x86/*" \
		"linux-source-$series/drivers/iommu/io-pgtable-arm-v7s.c" "linux-source-$series/Makefile"
s=$out/src/linux-source-$series
cp "$s/drivers/iommu/io-pgtable-arm-v7s.c" "$out/io-pgtable-arm-v7s.c"

. "$here/tool-runs.sh"	# runs TOOL, objtool_runs: do the packaged tools start here?
rebuild_tools() {
	# modpost (scripts/mod/Makefile's recipe, x86-64 only)
	m=$out/src/modpost
	c=$out/kroot/usr/src/$common
	karch=x86 cc=gcc
	[ "$arch" = amd64 ] || karch=arm64 cc=aarch64-linux-gnu-gcc-12
	mkdir -p "$m"
	cp "$s"/scripts/mod/*.c "$s"/scripts/mod/*.h "$m/"
	gcc -O2 -o "$m/mk_elfconfig" "$m/mk_elfconfig.c"
	gcc -c -o "$m/empty.o" "$m/empty.c"
	"$m/mk_elfconfig" <"$m/empty.o" >"$m/elfconfig.h"
	# the device tables' offsets, by the target's compiler against the target's headers
	$cc -nostdinc -I"$c/arch/$karch/include" -I"$hdr/arch/$karch/include/generated" -I"$c/include" \
		-I"$hdr/include" -I"$c/arch/$karch/include/uapi" -I"$hdr/arch/$karch/include/generated/uapi" \
		-I"$c/include/uapi" -I"$hdr/include/generated/uapi" -include "$c/include/linux/compiler-version.h" \
		-include "$c/include/linux/kconfig.h" -D__KERNEL__ -DKBUILD_MODNAME='"devicetable_offsets"' \
		-S -o "$m/devicetable-offsets.s" "$m/devicetable-offsets.c"
	{
		echo "#ifndef __DEVICETABLE_OFFSETS_H__"
		echo "#define __DEVICETABLE_OFFSETS_H__"
		sed -ne 's:^[[:space:]]*\.ascii[[:space:]]*"\(.*\)".*:\1:; /^->/{s:->#\(.*\):/* \1 */:; s:^->\([^ ]*\) [\$#]*\([^ ]*\) \(.*\):#define \1 \2 /* \3 */:; s:->::; p;}' \
			<"$m/devicetable-offsets.s"
		echo "#endif"
	} >"$m/devicetable-offsets.h"
	grep -q '^#define SIZE_' "$m/devicetable-offsets.h" || die "devicetable-offsets.h came out empty"
	gcc -O2 -I"$m" -I"$s/scripts/include" -o "$m/modpost" "$m/modpost.c" "$m/file2alias.c" \
		"$m/sumversion.c" "$m/symsearch.c" || die "modpost does not build"
	cp "$m/modpost" "$kbuild/scripts/mod/modpost"
	# objtool (tools/objtool/Makefile, libsubcmd included; needs libelf-dev)
	make -s -C "$s/tools/objtool" >"$out/src/objtool.log" 2>&1 || { cat "$out/src/objtool.log" >&2; die "objtool does not build"; }
	cp "$s/tools/objtool/objtool" "$kbuild/tools/objtool/objtool"
}
if runs "$kbuild/scripts/mod/modpost" && objtool_runs; then
	echo "lab-kernel: the packaged modpost and objtool run on this host: kept"
else
	rebuild_tools
	runs "$kbuild/scripts/mod/modpost" || die "the rebuilt modpost does not run"
	runs "$kbuild/tools/objtool/objtool" || die "the rebuilt objtool does not run"
fi
touch "$out/tools.ok"

if [ "$arch" = amd64 ]; then
	sh "$here/vmlinux.sh" "$vmlinuz" "$out/vmlinux"
else
	img=$vmlinuz
	[ "$(tail -c +57 "$img" | head -c 4)" = "ARMd" ] || die "vmlinuz-$kver is not an arm64 Image"
	cp "$img" "$out/Image"
	cp "$out/kroot/bin/busybox" "$out/busybox" || die "busybox-static:arm64 holds no bin/busybox"
fi
echo "$kver" >"$out/kver"
rm -rf "$out/deb" "$out/src"
echo "lab-kernel: $kver -> $out ($(wc -c <"$vmlinuz") bytes of vmlinuz), modules in $out/kroot/lib/modules/$kver, headers in $hdr"
