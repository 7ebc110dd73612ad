#!/bin/sh
# scripts/lab/initramfs.sh - build the lab's busybox initramfs (newc cpio, gzip).
#
# Usage: scripts/lab/initramfs.sh -o OUT.cpio.gz -w WORKLOAD [-k LABDIR]
#          [-m MODULE]... [-M MODULE]... [-b BINARY]... [-f SRC[:DST]]...
#
#   -o FILE     the initramfs to write
#   -w SCRIPT   the workload, run by /init as `sh /workload` (its exit status
#               is the run's status)
#   -k LABDIR   where scripts/lab/kernel.sh put the kernel (default build/lab;
#               a LABDIR/busybox, as build/lab-arm64 has, is the guest's busybox)
#   -m MODULE   a module /init loads before the workload, with its
#               dependencies (virtio_pci and virtio_blk always: the results disk)
#   -M MODULE   a module packed but left to the workload: `lab_modprobe MODULE`
#   -b BINARY   a dynamically linked host program, copied to /lab/bin/NAME
#               with the shared libraries ldd names (at their host paths);
#               call it as /lab/bin/NAME: busybox sh runs its own applet of
#               the same name (mke2fs: ext2 only) whatever PATH says
#   -f SRC[:DST]  any other file (a static binary, a .ko, data); DST defaults
#               to /SRC's basename
#
# The guest gets busybox-static (every applet linked in /bin), /init
# (scripts/lab/init.sh), /lab/lib.sh (scripts/lab/guest-lib.sh), the modules
# under /lib/modules/ at their package paths, and /lab/mod/NAME: the .ko
# paths NAME needs, dependencies first (scripts/lab/modules.py).
set -eu
here=$(dirname "$0")
die() { echo "lab-initramfs: $*" >&2; exit 1; }

out= workload= labdir=build/lab
boot_mods="virtio_pci virtio_blk" packed_mods= bins= files=
while getopts o:w:k:m:M:b:f: opt; do
	case $opt in
	o) out=$OPTARG ;;
	w) workload=$OPTARG ;;
	k) labdir=$OPTARG ;;
	m) boot_mods="$boot_mods $OPTARG" ;;
	M) packed_mods="$packed_mods $OPTARG" ;;
	b) bins="$bins $OPTARG" ;;
	f) files="$files $OPTARG" ;;
	*) die "usage: initramfs.sh -o OUT.cpio.gz -w WORKLOAD [-k LABDIR] [-m MOD]... [-M MOD]... [-b BIN]... [-f SRC[:DST]]..." ;;
	esac
done
[ -n "$out" ] || die "-o OUT.cpio.gz is required"
[ -n "$workload" ] || die "-w WORKLOAD is required"
[ -f "$workload" ] || die "$workload: no such workload script"
[ -f "$labdir/kver" ] || die "$labdir/kver missing: run 'make lab-kernel'"
kver=$(cat "$labdir/kver")
moddir=$labdir/kroot/lib/modules/$kver
[ -d "$moddir" ] || die "$moddir missing: run 'make lab-kernel'"
busybox=$(command -v busybox) || die "busybox not found: run 'make deps' (busybox-static)"
ldd "$busybox" 2>&1 | grep -q 'not a dynamic executable' ||
	die "$busybox is not static: install busybox-static ('make deps')"
# The arm64 lab brings its own busybox-static:arm64 (kernel-arm64.sh); it cannot
# run here, so the applet links come from the host's busybox-static, the same
# Debian version built with the same configuration.
guest_busybox=$busybox
if [ -f "$labdir/busybox" ]; then
	guest_busybox=$labdir/busybox
	[ -z "$bins" ] || die "-b: host programs cannot run in $labdir's guest (another architecture)"
fi
command -v cpio >/dev/null || die "cpio not found: run 'make deps'"

root=$(mktemp -d "${TMPDIR:-/tmp}/lab-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" "$root/proc" "$root/sys" \
	"$root/dev" "$root/tmp" "$root/lab/mod" "$root/lib/modules" "$root/etc"
cp "$guest_busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
	[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
cp "$here/init.sh" "$root/init"
cp "$here/guest-lib.sh" "$root/lab/lib.sh"
cp "$workload" "$root/workload"
chmod 755 "$root/init" "$root/workload"

for m in $boot_mods $packed_mods; do
	m=$(echo "$m" | tr - _)
	python3 "$here/modules.py" "$moddir" "$m" >"$root/lab/mod/$m" || die "module $m"
	for ko in $(cat "$root/lab/mod/$m"); do
		mkdir -p "$root/lib/modules/$(dirname "$ko")"
		cp "$moddir/$ko" "$root/lib/modules/$ko"
	done
done
echo "$boot_mods" | tr ' -' '\n_' | sed '/^$/d' >"$root/lab/boot-modules"

# copy_path SRC: SRC at the same path in the guest (symlinks resolved).
copy_path() {
	mkdir -p "$root$(dirname "$1")"
	cp -L "$1" "$root$1"
}
for b in $bins; do
	p=$(command -v "$b") || die "$b: no such program"
	mkdir -p "$root/lab/bin"
	cp -L "$p" "$root/lab/bin/$(basename "$p")"
	# "lib => /path (addr)" and the loader's "/path (addr)"
	for lib in $(ldd "$p" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
		copy_path "$lib"
	done
done
for f in $files; do
	src=${f%%:*}
	case $f in *:*) dst=${f#*:} ;; *) dst=/$(basename "$src") ;; esac
	[ -f "$src" ] || die "$src: no such file"
	mkdir -p "$root$(dirname "$dst")"
	cp "$src" "$root$dst"
done

mkdir -p "$(dirname "$out")"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
echo "lab-initramfs: $out ($(wc -c <"$out") bytes; modules:$(cat "$root"/lab/mod/* | sort -u | wc -l); boot modules: $(tr '\n' ' ' <"$root/lab/boot-modules"))"
