#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages on the host, as an operator installs them: `make
# deb`, then `dpkg -i` of xdpmeta-dkms and xdpmeta-tools. Their maintainer
# scripts (dh_dkms) must have DKMS build and install the module for every
# cached stock kernel (6.12, and 6.1 once set-up fetched it): each module's
# vermagic, BTF and DKMS status are checked. A copy of the 6.12 one goes to
# $BUILD/dkms/xdpmeta.ko for the VM (t_hook.sh dkms_built_module_loads).
# On 6.1, whose headers ship no BTF, DKMS must take it from the kernel's
# image. Then `dpkg -P` of both must leave nothing: no package, no source tree,
# no DKMS tree, no module, no file of either package.
#
# The host's /boot is not touched: for each kernel, /lib/modules/KVER/build
# points at the cached headers while the test runs (as dkms.sh does).
# Output: one line per step, then "N passed, N failed".
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$TOP/build}
CACHE=${XDPMETA_CACHE:-${HOME:-/root}/.cache/xdpmeta}
eval "$(sed -n 's/^\([A-Z_]*\) := \(.*\)$/\1="\2"/p' "$BUILD/config.mk")"
VER=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$TOP/dkms.conf")
DEB=$BUILD/deb
. "$TOP/test/host/steps.sh"

# the stock kernels in the cache, and the headers set-up unpacked for each
KERNELS=()
for d in "$CACHE"/kernels/*/; do
	k=$(basename "$d")
	[ -e "$d/.done" ] && [ -d "$d/root/usr/src/linux-headers-$k" ] && KERNELS+=("$k")
done
# 6.1's headers lack resolve_btfids: on a host, a 6.12 kbuild package has
# one (kmod/compat/dkms-make.sh finds it); here, the cached 6.12 kbuild's,
# as set-up uses it (dkms-make.sh takes RESOLVE_BTFIDS first)
for k in "${KERNELS[@]}"; do
	case $k in 6.12.*) ;; *) continue ;; esac
	rb=$(ls "$CACHE/kernels/$k/root/usr/lib/linux-kbuild-"*/tools/bpf/resolve_btfids/resolve_btfids 2>/dev/null | head -n 1)
	[ -x "$rb" ] && export RESOLVE_BTFIDS=$rb
done

# 6.1: the headers as Debian ships them, without the BTF set-up put there
# (kept aside while the test runs), so that DKMS takes it from the image as
# on a fleet host (kmod/compat/dkms-make.sh); its images are found through
# XDPMETA_BOOT, a directory of links, since the host's /boot is not used.
HIDDEN=()
export XDPMETA_BOOT=$DEB/boot
hide_btf() {
	local k kd
	rm -rf "$XDPMETA_BOOT"; mkdir -p "$XDPMETA_BOOT"
	for k in "${KERNELS[@]}"; do
		case $k in 6.1.*) ;; *) continue ;; esac
		kd=$CACHE/kernels/$k/root/usr/src/linux-headers-$k
		ln -s "$CACHE/kernels/$k/root/boot/vmlinuz-$k" "$XDPMETA_BOOT/vmlinuz-$k"
		[ -e "$kd/vmlinux" ] && mv "$kd/vmlinux" "$kd/vmlinux.deb-test" && HIDDEN+=("$kd")
	done
	return 0
}
unhide_btf() {
	local kd
	for kd in "${HIDDEN[@]}"; do mv "$kd/vmlinux.deb-test" "$kd/vmlinux"; done
	HIDDEN=()
}
trap unhide_btf EXIT

MADE=()
purge() {
	dpkg -P xdpmeta-tools xdpmeta-dkms > /dev/null 2>&1
}
cleanup() {
	purge
	for k in "${MADE[@]}"; do rm -rf "/lib/modules/$k"; done
	rmdir /lib/modules 2>/dev/null
	MADE=()
}
# what either package or DKMS leaves on the host
leftovers() {
	local k
	for k in "${KERNELS[@]}"; do ls -d /lib/modules/"$k"/updates/dkms/xdpmeta.ko* 2>/dev/null; done
	ls -d "/usr/src/xdpmeta-$VER" /var/lib/dkms/xdpmeta /usr/sbin/xdpmeta /usr/include/xdpmeta \
		/usr/share/doc/xdpmeta-tools /usr/share/doc/xdpmeta-dkms /usr/share/man/man8/xdpmeta.8.gz 2>/dev/null
	dpkg-query -W -f '${Package} ${Status}\n' xdpmeta-dkms xdpmeta-tools 2>/dev/null | grep -v 'not-installed$'
}
cleanup
rm -rf "$BUILD/dkms"; mkdir -p "$BUILD/dkms"
for k in "${KERNELS[@]}"; do
	if [ ! -d "/lib/modules/$k" ]; then
		MADE+=("$k")
		mkdir -p "/lib/modules/$k" && ln -s "$CACHE/kernels/$k/root/usr/src/linux-headers-$k" "/lib/modules/$k/build"
	fi
done
step_check "kernels-cached" test "${#KERNELS[@]}" -ge 1
step_check build make -C "$TOP" -s deb
step_check lintian-ran test -s "$DEB/xdpmeta_${VER}_amd64.changes"
hide_btf
step_check install dpkg -i "$DEB/xdpmeta-dkms_${VER}_all.deb" "$DEB/xdpmeta-tools_${VER}_amd64.deb"
unhide_btf
for k in "${KERNELS[@]}"; do
	KO=$(ls /lib/modules/"$k"/updates/dkms/xdpmeta.ko* 2>/dev/null | head -n1)
	step_check "$k.built-and-installed" test -n "$KO"
	step_check "$k.status" sh -c "dkms status xdpmeta/$VER -k $k | grep -q ': installed'"
	step_check "$k.vermagic" sh -c "modinfo -F vermagic '$KO' | grep -q '^$k '"
	case $k in 6.1.*)	# the BTF step dkms-make.sh runs when the headers have none
		step_check "$k.btf-from-image" grep -q "BTF \[M\].*base: .*vmlinux.btf" \
			"/var/lib/dkms/xdpmeta/$VER/$k/x86_64/log/make.log" ;;
	esac
	# the module as loaded (decompressed): its BTF makes the kfuncs exist
	step_check "$k.btf" sh -c "case '$KO' in *.xz) xz -dc '$KO';; *.zst) zstd -qdc '$KO';; *) cat '$KO';; esac > '$BUILD/dkms/$k.ko' && objdump -h '$BUILD/dkms/$k.ko' | grep -q ' .BTF '"
done
[ -f "$BUILD/dkms/$KVER.ko" ] && cp "$BUILD/dkms/$KVER.ko" "$BUILD/dkms/xdpmeta.ko"
step_check vm-copy test -f "$BUILD/dkms/xdpmeta.ko"
step_check cli-runs sh -c "/usr/sbin/xdpmeta --version | grep -q '$VER'"
step_check man-page test -f /usr/share/man/man8/xdpmeta.8.gz
# the examples build against the installed header alone
step_check examples-build sh -c "rm -rf '$BUILD/deb/ex' && cp -r /usr/share/doc/xdpmeta-tools/examples '$BUILD/deb/ex' && make -s -C '$BUILD/deb/ex' BTF='$KDIR/vmlinux' && ls '$BUILD/deb/ex'/xdp_count.bpf.o"
# the control of the check after purge: now there is something to find
step_check found-while-installed sh -c "[ \$(echo \"\$0\" | wc -w) -ge 5 ]" "$(leftovers | tr '\n' ' ')"
step_check purge dpkg -P xdpmeta-tools xdpmeta-dkms
left=$(leftovers | tr '\n' ' ')
step_check purge-leaves-nothing sh -c '[ -z "$0" ] || { echo "left behind: $0"; exit 1; }' "$left"
cleanup
steps_end
