#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# dkms-make.sh KDIR KVER MODDIR: DKMS's build command (dkms.conf MAKE[0])
# for one kernel. kbuild, plus what Debian's 6.1 headers lack for module
# BTF; without it the module has no kfuncs and refuses to load.
#
# - No vmlinux in the headers: the kernel's own BTF is taken from its
#   image $XDPMETA_BOOT/vmlinuz-KVER (default /boot; kernel-btf.sh), the
#   kernel DKMS builds for (a same-ABI upgrade not yet booted has other BTF
#   than the running one), or, with no image there, from
#   /sys/kernel/btf/vmlinux when KVER is the running kernel, into
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
	rb=$(ls -d /usr/lib/linux-kbuild-6.*/tools/bpf/resolve_btfids/resolve_btfids 2>/dev/null | sort -V | tail -n 1)
	[ -n "$rb" ] && [ -x "$rb" ] ||
		die "the $kver kbuild has no resolve_btfids, needed for module BTF: install a 6.12 kbuild (apt install linux-kbuild-6.12.118+deb12, or the one apt search linux-kbuild-6.12 lists), or set RESOLVE_BTFIDS"
fi

if [ -e "$kdir/vmlinux" ]; then
	exec make -C "$kdir" M="$m" ${rb:+RESOLVE_BTFIDS="$rb"} modules
fi

# the kbuild's own BTF step, as 6.1's Makefile.modfinal runs it (6.12's
# has Makefile.btf instead, and 6.12's headers ship vmlinux)
[ -f "$kdir/scripts/pahole-flags.sh" ] ||
	die "$kver's headers ship no BTF (vmlinux) and no scripts/pahole-flags.sh: this kbuild is not one dkms-make.sh knows"
btf=$m/vmlinux.btf
img=${XDPMETA_BOOT:-/boot}/vmlinuz-$kver
if [ -r "$img" ]; then
	sh "$here/kernel-btf.sh" "$img" "$btf" || die "no BTF in $img"
elif [ "$(uname -r)" = "$kver" ] && [ -r /sys/kernel/btf/vmlinux ]; then
	cat /sys/kernel/btf/vmlinux > "$btf"
else
	die "$kver's headers ship no BTF (vmlinux), and neither $img nor (running $kver) /sys/kernel/btf/vmlinux is there to take it from"
fi
make -C "$kdir" M="$m" ${rb:+RESOLVE_BTFIDS="$rb"} modules
[ -n "$rb" ] || rb=$kdir/tools/bpf/resolve_btfids/resolve_btfids
flags=$(PAHOLE=pahole sh "$kdir/scripts/pahole-flags.sh")
for ko in "$m"/kmod/*.ko; do
	echo "  BTF [M] $ko (base: $btf)"
	LLVM_OBJCOPY=objcopy pahole -J $flags --btf_base "$btf" "$ko"
	"$rb" -b "$btf" "$ko"
done
