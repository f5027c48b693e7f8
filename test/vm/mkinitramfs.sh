#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the test VM's initramfs: busybox, iproute2 (ip, tc), bpftool and
# ethtool with their shared libraries, the stock kernel's own modules that
# the tests need (decompressed, in dependency order), and the payload under
# /xdpmeta: xdpmeta.ko, the CLI, static test binaries, BPF objects and the
# guest scripts.
#
# usage: mkinitramfs.sh OUT.cpio.gz     env: KVER KROOT BUILD [KOBJ FAULTS]
set -euo pipefail
OUT=$(realpath -m "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
: "${KVER:?}" "${KROOT:?}" "${BUILD:?}"
R=$(mktemp -d "${TMPDIR:-/tmp}/xdpmeta-irfs.XXXXXX")
trap 'rm -rf "$R"' EXIT
mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,proc,sys,dev,tmp,run,root,etc,xdpmeta/bin,xdpmeta/bpf,xdpmeta/mods}

copy_bin() {	# SRC DST: an ELF and the shared libraries it needs
	install -D -m755 "$1" "$R$2"
	ldd "$1" 2>/dev/null | awk '/=> \//{print $3} /^\t\/lib/{print $1}' |
	while read -r l; do
		[ -e "$R$l" ] || install -D -m755 "$(readlink -f "$l")" "$R$l"
	done
}

cp /bin/busybox "$R/bin/busybox"
ln -s busybox "$R/bin/sh"
copy_bin /sbin/ip /usr/local/sbin/ip
copy_bin /sbin/tc /usr/local/sbin/tc
copy_bin /usr/sbin/bpftool /usr/local/sbin/bpftool
copy_bin /sbin/ethtool /usr/local/sbin/ethtool
# libxdp's loader and its dispatcher (t_chain: a libxdp attach onto a chain)
if [ -x /usr/sbin/xdp-loader ]; then
	copy_bin /usr/sbin/xdp-loader /usr/local/sbin/xdp-loader
	mkdir -p "$R/usr/lib/x86_64-linux-gnu/bpf"
	cp /usr/lib/x86_64-linux-gnu/bpf/xdp-dispatcher.o "$R/usr/lib/x86_64-linux-gnu/bpf/"
fi
mkdir -p "$R/usr/lib/tc" "$R/etc/iproute2"

# The stock kernel's modules, in load order (modprobe resolves modules.dep
# of the extracted image; built-ins print "builtin" and are skipped).
MODS="virtio_pci veth virtio_net dummy sch_ingress cls_bpf 8021q"
: > "$R/xdpmeta/mods/order"
for m in $MODS; do
	modprobe -d "$KROOT" -S "$KVER" --show-depends "$m" | awk '$1 == "insmod" {print $2}'
done | awk '!seen[$0]++' | while read -r ko; do
	n=$(basename "$ko"); n=${n%.xz}
	case "$ko" in *.xz) xz -dc "$ko" > "$R/xdpmeta/mods/$n";; *) cp "$ko" "$R/xdpmeta/mods/$n";; esac
	echo "$n" >> "$R/xdpmeta/mods/order"
done

# KOBJ: where the modules were built (the tree for the stock kernel)
KOBJ=${KOBJ:-$TOP}
cp "$KOBJ/kmod/xdpmeta.ko" "$BUILD/xdpmeta-nobtf.ko" "$BUILD/xdpmeta-badbtf.ko" "$R/xdpmeta/"
# test-only modules (test/kmod/)
cp "$KOBJ/test/kmod/xdpmeta_ringsim.ko" "$R/xdpmeta/"
# FAULTS=1: the debug kernel's controls (test/debug/t_faults.sh), in a VM
# of their own: they set off KASAN, lockdep and kmemleak on purpose
if [ "${FAULTS:-0}" = 1 ]; then
	cp "$KOBJ/test/kmod/xdpmeta_faults.ko" "$R/xdpmeta/"
	cp "$TOP/test/debug/t_faults.sh" "$R/xdpmeta/"
fi
# the module as DKMS built it from the xdpmeta-dkms package (test/host/deb.sh keeps a copy), loaded by a hook test
[ -f "$BUILD/dkms/xdpmeta.ko" ] && cp "$BUILD/dkms/xdpmeta.ko" "$R/xdpmeta/xdpmeta-dkms.ko"
# the debug kernel of make check-debug (not the stock one): tests that only
# mean something on the stock kernel say SKIP there
[ "${DEBUG_KERNEL:-0}" = 1 ] && echo "$KVER" > "$R/xdpmeta/debug-kernel"
for f in "$BUILD"/xdpmeta "$BUILD"/test/*; do
	[ -f "$f" ] && [ -x "$f" ] && cp "$f" "$R/xdpmeta/bin/"
done
cp "$BUILD"/bpf/*.bpf.o "$R/xdpmeta/bpf/" 2>/dev/null || true
cp "$HERE"/guest/*.sh "$R/xdpmeta/"
install -m755 "$HERE/guest/init" "$R/init"

( cd "$R" && find . -print0 | cpio --null -o -H newc --quiet ) | gzip -1 > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
