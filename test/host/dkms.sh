#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DKMS round trip on the host: add, build and install xdpmeta for the
# project's stock 6.12 kernel (built, never loaded: the host cannot load
# modules), check the installed module's vermagic and BTF, then remove it
# again. Uses the extracted headers (--kernelsourcedir): the host's /boot is
# not touched. Output: one line per step, then "N passed, N failed".
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$TOP/build}
eval "$(sed -n 's/^\([A-Z_]*\) := \(.*\)$/\1="\2"/p' "$BUILD/config.mk")"
VER=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$TOP/dkms.conf")
pass=0; fail=0
step() {	# NAME CMD...
	local n=$1; shift
	if "$@" > "$BUILD/dkms-step.log" 2>&1; then
		echo "ok - dkms.$n"; pass=$((pass + 1))
	else
		echo "FAIL - dkms.$n: $(tail -n 3 "$BUILD/dkms-step.log" | tr '\n' ' ')"; fail=$((fail + 1))
	fi
}
SRC=/usr/src/xdpmeta-$VER
MADE_MODDIR=
cleanup() {
	dkms remove "xdpmeta/$VER" --all > /dev/null 2>&1
	rm -rf "$SRC"
	[ -n "$MADE_MODDIR" ] && { rm -rf "/lib/modules/$KVER"; rmdir /lib/modules 2>/dev/null; }
}
cleanup
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
step add dkms add -m xdpmeta -v "$VER"
step build dkms build -m xdpmeta -v "$VER" -k "$KVER" --kernelsourcedir "$KDIR"
step install dkms install -m xdpmeta -v "$VER" -k "$KVER" --kernelsourcedir "$KDIR" --force
KO=$(ls /lib/modules/"$KVER"/updates/dkms/xdpmeta.ko* 2>/dev/null | head -n1)
step installed-file test -n "$KO"
step vermagic sh -c "modinfo -F vermagic '$KO' | grep -q '^$KVER '"
step module-btf sh -c "f='$KO'; case \$f in *.xz) xz -dc \$f > '$BUILD/dkms.ko'; f='$BUILD/dkms.ko';; *.zst) zstd -qdc \$f > '$BUILD/dkms.ko'; f='$BUILD/dkms.ko';; esac; objdump -h \$f | grep -q ' .BTF '"
step status sh -c "dkms status xdpmeta/$VER -k $KVER | grep -q installed"
step remove dkms remove "xdpmeta/$VER" --all
cleanup
echo "$pass passed, $fail failed"
[ $fail = 0 ]
