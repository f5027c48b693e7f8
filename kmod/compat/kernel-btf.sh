#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kernel-btf.sh VMLINUZ OUT: the kernel's BTF from its image, raw (as
# /sys/kernel/btf/vmlinux serves it), into OUT. pahole --btf_base and
# resolve_btfids -b read it as base BTF. For headers that ship no vmlinux
# (Debian's 6.1): scripts/setup.sh and dkms-make.sh.
#
# A bzImage carries the kernel ELF compressed (Debian: xz for 6.1, zstd
# for 6.12): each candidate magic is tried at each offset it occurs until
# one decompresses to an ELF with a .BTF section.
set -u
img=$1 out=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
try() {	# MAGIC DECOMPRESSOR...
	magic=$1; shift
	for off in $(LC_ALL=C grep -aboP "$magic" "$img" 2>/dev/null | cut -d: -f1); do
		# trailing bytes after the stream make the decompressor complain
		tail -c +$((off + 1)) "$img" | "$@" > "$tmp/vmlinux" 2>/dev/null
		if objcopy -O binary --only-section=.BTF "$tmp/vmlinux" "$tmp/btf" 2>/dev/null &&
		   [ -s "$tmp/btf" ]; then
			mv "$tmp/btf" "$out"
			exit 0
		fi
	done
}
try '\xfd\x37\x7a\x58\x5a\x00' xz -dc
try '\x28\xb5\x2f\xfd' zstd -dc
try '\x1f\x8b\x08' gzip -dc
echo "kernel-btf.sh: no kernel ELF with a .BTF section found in $img" >&2
exit 1
