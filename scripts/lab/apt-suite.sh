#!/bin/sh
# scripts/lab/apt-suite.sh - apt-get or apt-cache on another Debian suite than the
# host's, through a project-private apt configuration: the host's sources, lists and
# dpkg status are never read nor changed.
#
# Usage: scripts/lab/apt-suite.sh SUITE apt-get|apt-cache ARGS...
#
# SUITE is bullseye, trixie or unstable (the host's own bookworm goes through the
# host's apt).  Everything lives in build/apt/SUITE/: apt.conf (given to apt by
# APT_CONFIG), sources.list (one line: deb.debian.org SUITE main, signed by the host's
# debian-archive-keyring), an empty sources.list.d/, lists/ (filled by `apt-get
# update` the first time, and again when a day old), cache/.  The dpkg status is
# /dev/null: nothing is installed from here, apt-get is for `download` only.  Both
# architectures (amd64, arm64).  A fresh machine needs nothing more than apt and
# debian-archive-keyring, which every Debian has.
set -eu
die() { echo "apt-suite: $*" >&2; exit 1; }
[ $# -ge 2 ] || die "usage: apt-suite.sh SUITE apt-get|apt-cache ARGS..."
suite=$1 tool=$2
shift 2
case $suite in
bullseye | trixie | unstable) ;;
*) die "unknown suite '$suite' (bullseye, trixie, unstable)" ;;
esac
case $tool in
apt-get | apt-cache) ;;
*) die "'$tool' is not apt-get or apt-cache" ;;
esac
root=$(cd "$(dirname "$0")/../.." && pwd)/build/apt/$suite
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r "$keyring" ] || die "$keyring missing (package debian-archive-keyring)"
mkdir -p "$root/lists/partial" "$root/cache/archives/partial" "$root/sources.list.d"
echo "deb [signed-by=$keyring] http://deb.debian.org/debian $suite main" >"$root/sources.list"
cat >"$root/apt.conf" <<CONF
Dir::Etc::sourcelist "$root/sources.list";
Dir::Etc::sourceparts "$root/sources.list.d";
Dir::State::lists "$root/lists";
Dir::Cache "$root/cache";
Dir::State::status "/dev/null";
// An archive mirror can serve a suite whose InRelease is past its Valid-Until (unstable's
// lasts a week; seen on this project's CI, where the host's own apt.conf.d had hidden it):
// the signature is still checked, only the freshness date is not.
Acquire::Check-Valid-Until "false";
APT::Architecture "amd64";
APT::Architectures { "amd64"; "arm64"; };
CONF
export APT_CONFIG="$root/apt.conf"
# The lists: fetched once, then again when a day old (Debian moves its kernels on).
if [ -z "$(find "$root/lists" -maxdepth 1 -name '*_Packages*' -mtime -1 2>/dev/null | head -n 1)" ]; then
	echo "apt-suite: apt-get update ($suite, into $root/lists)" >&2
	apt-get -q update >"$root/update.log" 2>&1 || { cat "$root/update.log" >&2; die "apt-get update of $suite failed"; }
fi
exec "$tool" "$@"
