#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DKMS round trip on the host: add, build and install xdpmeta for the
# project's stock 6.12 kernel (built, never loaded here: the host cannot
# load modules), check the installed module's vermagic and BTF, keep a copy
# of it (decompressed) as $BUILD/dkms/xdpmeta.ko for the VM (which loads
# it as /xdpmeta/xdpmeta-dkms.ko: t_hook.sh dkms_built_module_loads), then
# remove it again and check that nothing is left behind. Uses the
# extracted headers (--kernelsourcedir): the host's /boot is not touched.
# Output: one line per step, then "N passed, N failed".
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$TOP/build}
eval "$(sed -n 's/^\([A-Z_]*\) := \(.*\)$/\1="\2"/p' "$BUILD/config.mk")"
# 6.1: the resolve_btfids set-up chose (dkms.conf passes it to kbuild)
[ -n "${RESOLVE_BTFIDS:-}" ] && export RESOLVE_BTFIDS
VER=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$TOP/dkms.conf")
. "$TOP/test/host/steps.sh"
SRC=/usr/src/xdpmeta-$VER
MADE_MODDIR=
cleanup() {
	dkms remove "xdpmeta/$VER" --all > /dev/null 2>&1
	rm -rf "$SRC"
	[ -n "$MADE_MODDIR" ] && { rm -rf "/lib/modules/$KVER"; rmdir /lib/modules 2>/dev/null; }
}
cleanup
# the copy for the VM is only ever this run's module
rm -rf "$BUILD/dkms"; mkdir -p "$BUILD/dkms"
# what DKMS leaves of xdpmeta for KVER: installed modules and its tree
leftovers() {
	ls -d /lib/modules/"$KVER"/updates/dkms/xdpmeta.ko* /var/lib/dkms/xdpmeta 2>/dev/null
}
# a clean copy of the tracked sources, as a release tarball would have
mkdir -p "$SRC"
git -C "$TOP" ls-files -z -co --exclude-standard | (cd "$TOP" && xargs -0 cp --parents -t "$SRC")
# `dkms install` wants /lib/modules/KVER to exist. The project never
# installs the kernel on the host, so create it for the test (with "build"
# pointing at the extracted headers) and remove it again afterwards.
if [ ! -d "/lib/modules/$KVER" ]; then
	MADE_MODDIR=1
	mkdir -p "/lib/modules/$KVER" && ln -s "$KDIR" "/lib/modules/$KVER/build"
fi
step_check add dkms add -m xdpmeta -v "$VER"
step_check build dkms build -m xdpmeta -v "$VER" -k "$KVER" --kernelsourcedir "$KDIR"
step_check install dkms install -m xdpmeta -v "$VER" -k "$KVER" --kernelsourcedir "$KDIR" --force
KO=$(ls /lib/modules/"$KVER"/updates/dkms/xdpmeta.ko* 2>/dev/null | head -n1)
step_check installed-file test -n "$KO"
step_check vermagic sh -c "modinfo -F vermagic '$KO' | grep -q '^$KVER '"
# the installed module, decompressed, for the VM
copy_module() {
	case $KO in
	*.xz) xz -dc "$KO" ;;
	*.zst) zstd -qdc "$KO" ;;
	*) cat "$KO" ;;
	esac > "$BUILD/dkms/xdpmeta.ko.tmp" && mv "$BUILD/dkms/xdpmeta.ko.tmp" "$BUILD/dkms/xdpmeta.ko"
}
step_check copy-module copy_module
step_check module-btf sh -c "objdump -h '$BUILD/dkms/xdpmeta.ko' | grep -q ' .BTF '"
step_check copy-vermagic sh -c "modinfo -F vermagic '$BUILD/dkms/xdpmeta.ko' | grep -q '^$KVER '"
step_check status sh -c "dkms status xdpmeta/$VER -k $KVER | grep -q installed"
# the control of the check after remove: now both are there
both_installed() { [ "$(leftovers | wc -l)" = 2 ] || { echo "installed: $(leftovers)"; return 1; }; }
nothing_left() { [ -z "$(leftovers)" ] || { echo "left behind: $(leftovers | tr '\n' ' ')"; return 1; }; }
step_check installed-tree both_installed
step_check remove dkms remove "xdpmeta/$VER" --all
step_check remove-leaves-nothing nothing_left
step_check status-after-remove sh -c "! dkms status xdpmeta 2>/dev/null | grep -q xdpmeta"
cleanup
steps_end
