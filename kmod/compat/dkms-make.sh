#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# dkms-make.sh KDIR KVER MODDIR: DKMS's build command (dkms.conf MAKE[0])
# for one kernel. kbuild, plus what Debian's 6.1 headers lack for module
# BTF; without it the module has no kfuncs and refuses to load.
#
# - No vmlinux in the headers: the kernel's own BTF is taken from
#   /sys/kernel/btf/vmlinux when KVER is the running kernel, else from its
#   image $XDPMETA_BOOT/vmlinuz-KVER (default /boot; kernel-btf.sh), into
#   MODDIR. kbuild then skips its BTF step ("Skipping BTF generation") and
#   this script runs that step itself, as Makefile.modfinal would: pahole
#   -J with the kernel's own flags (scripts/pahole-flags.sh), then
#   resolve_btfids. Nothing is written outside MODDIR.
# - No resolve_btfids in the kbuild (6.1's has none): $RESOLVE_BTFIDS, or
#   the one of an installed linux-kbuild-6.x (e.g. linux-kbuild-6.12).
set -eu
kdir=$1 kver=$2 m=$3
here=$(cd "$(dirname "$0")" && pwd)
die() { echo "xdpmeta dkms-make.sh: $*" >&2; exit 1; }

rb=${RESOLVE_BTFIDS:-}
if [ -z "$rb" ] && [ ! -x "$kdir/tools/bpf/resolve_btfids/resolve_btfids" ]; then
	for c in /usr/lib/linux-kbuild-6.*/tools/bpf/resolve_btfids/resolve_btfids; do
		[ -x "$c" ] && rb=$c
	done
	[ -n "$rb" ] || die "the $kver kbuild has no resolve_btfids, needed for module BTF: install linux-kbuild-6.12 (or set RESOLVE_BTFIDS)"
fi

if [ -e "$kdir/vmlinux" ]; then
	exec make -C "$kdir" M="$m" ${rb:+RESOLVE_BTFIDS="$rb"} modules
fi

btf=$m/vmlinux.btf
if [ "$(uname -r)" = "$kver" ] && [ -r /sys/kernel/btf/vmlinux ]; then
	cat /sys/kernel/btf/vmlinux > "$btf"
else
	img=${XDPMETA_BOOT:-/boot}/vmlinuz-$kver
	[ -r "$img" ] || die "$kver's headers ship no BTF (vmlinux) and $img is not there to take it from"
	sh "$here/kernel-btf.sh" "$img" "$btf" || die "no BTF in $img"
fi
make -C "$kdir" M="$m" ${rb:+RESOLVE_BTFIDS="$rb"} modules
[ -n "$rb" ] || rb=$kdir/tools/bpf/resolve_btfids/resolve_btfids
flags=$(PAHOLE=pahole sh "$kdir/scripts/pahole-flags.sh")
for ko in "$m"/kmod/*.ko; do
	echo "  BTF [M] $ko (base: $btf)"
	LLVM_OBJCOPY=objcopy pahole -J $flags --btf_base "$btf" "$ko"
	"$rb" -b "$btf" "$ko"
done
