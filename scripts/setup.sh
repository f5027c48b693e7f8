#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# xdpmeta set-up: everything `make demo` / `make check` need, idempotent.
#
#  1. Debian packages (apt-get install, only what is missing).
#  2. The newest stock Debian 12 6.12 kernel (or KVER=..., a 6.12 or a 6.1
#     one; a 6.1 kernel also needs the 6.12 one): image, headers,
#     headers-common and kbuild are *downloaded and extracted* into the cache
#     with dpkg-deb -x. Nothing is installed into /boot and no package
#     install script runs: the host's boot configuration is never touched.
#  3. kselftest_harness.h, kselftest.h and scripts/extract-vmlinux from the
#     6.12 kernel's linux-source-6.12.
#  4. For 6.1, whose headers ship no BTF: vmlinux (the image's .BTF) into
#     the cached headers, and the 6.12 kbuild's resolve_btfids.
#
# Writes $BUILD/config.mk (KVER, KROOT, KDIR, HARNESS_INC, RESOLVE_BTFIDS)
# for the Makefile. `setup.sh --newest 6.1` prints the newest 6.1 kernel.
# Env: KVER (e.g. 6.12.117+deb12-amd64, 6.1.0-57-amd64), XDPMETA_CACHE
# (default ~/.cache/xdpmeta), BUILD (default ./build), SETUP_OFFLINE=1 (no
# apt).
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$HERE/build}
CACHE=${XDPMETA_CACHE:-${HOME:-/root}/.cache/xdpmeta}
say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

PKGS=(
	make gcc libc6-dev clang llvm libclang-rt-14-dev
	bpftool libbpf-dev libelf-dev zlib1g-dev libzstd-dev libjson-c-dev
	dwarves kmod dkms python3 xz-utils zstd cpio gzip
	busybox-static iproute2 ethtool xdp-tools
	qemu-system-x86 valgrind strace
	debhelper dh-dkms lintian dpkg-dev
)

[ "$(id -u)" = 0 ] || SUDO=sudo
SUDO=${SUDO:-}

# ---- 1. packages -----------------------------------------------------------
missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	[ "${SETUP_OFFLINE:-0}" = 1 ] && die "missing packages: ${missing[*]}"
	say "installing Debian packages: ${missing[*]}"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
	say "Debian packages: all ${#PKGS[@]} present"
fi

# ---- 2. the stock kernel ---------------------------------------------------
apt_lists_fresh() {
	# apt-cache needs package lists; refresh once a day at most
	local l
	l=$(find /var/lib/apt/lists -maxdepth 1 -name '*security*Packages*' -mmin -1440 2>/dev/null | head -n1)
	[ -n "$l" ] || { say "refreshing apt package lists"; $SUDO apt-get update -qq; }
}
# newest_kernel SERIES: the newest Debian 12 kernel of SERIES (6.12 or 6.1)
# for which image, headers and kbuild all exist in apt (or, offline, in the
# cache), e.g. 6.12.118+deb12-amd64 or 6.1.0-57-amd64
newest_kernel() {
	local re v
	case "$1" in
	6.12) re='6\.12\.[0-9]*+deb12' ;;
	6.1) re='6\.1\.0-[0-9]*' ;;
	*) die "unknown kernel series '$1' (6.12 or 6.1)" ;;
	esac
	if [ "${SETUP_OFFLINE:-0}" = 1 ]; then
		ls "$CACHE/kernels" 2>/dev/null | grep -E "^$re-amd64\$" | sort -V | tail -n1
		return
	fi
	apt_lists_fresh >&2
	for v in $(apt-cache pkgnames "linux-headers-$1" | sed -n "s/^linux-headers-\\($re\\)-amd64\$/\\1/p" | sort -rV); do
		if apt-cache show "linux-image-$v-amd64-unsigned" >/dev/null 2>&1 &&
		   apt-cache show "$(kbuild_pkg "$v-amd64")" >/dev/null 2>&1; then
			echo "$v-amd64"; return
		fi
	done
}

# kbuild_pkg KVER: the kbuild package of that kernel (6.1's has one name
# for every ABI: take the version of the kernel's own headers)
kbuild_pkg() {
	local base=${1%-amd64} ver
	case "$1" in
	6.1.*)
		ver=$(apt-cache show "linux-headers-$1" 2>/dev/null | sed -n 's/^Version: //p' | head -n1)
		echo "linux-kbuild-6.1=$ver" ;;
	*) echo "linux-kbuild-$base" ;;
	esac
}

# fetch_kernel KVER: image, headers (+ -common) and kbuild, extracted into
# $CACHE/kernels/KVER/root, once
fetch_kernel() {
	local kver=$1 base=${1%-amd64} root=$CACHE/kernels/$1/root dl=$CACHE/kernels/$1/debs
	local kdir=$root/usr/src/linux-headers-$1
	if [ -e "$CACHE/kernels/$kver/.done" ]; then
		say "stock kernel $kver: cached"
		return
	fi
	[ "${SETUP_OFFLINE:-0}" = 1 ] && die "offline and kernel $kver is not in $CACHE/kernels"
	say "fetching stock kernel $kver (image, headers, kbuild) into $CACHE/kernels/$kver"
	apt_lists_fresh
	rm -rf "$CACHE/kernels/$kver"; mkdir -p "$dl" "$root"
	(cd "$dl" && apt-get download -q "linux-image-$kver-unsigned" "linux-headers-$kver" \
		"linux-headers-$base-common" "$(kbuild_pkg "$kver")" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
	for d in "$dl"/*.deb; do dpkg-deb -x "$d" "$root"; done
	[ -e "$root/boot/vmlinuz-$kver" ] || die "download of $kver failed (no vmlinuz in $dl)"
	# the extracted headers include an absolute /usr/src path: point it at the cache
	sed -i "s|^include /usr/src/|include $root/usr/src/|" "$kdir/Makefile"
	depmod -b "$root" "$kver"
	dpkg-deb -f "$dl"/linux-headers-"$kver"_*.deb Version > "$CACHE/kernels/$kver/version"
	rm -f "$dl"/*.deb
	touch "$CACHE/kernels/$kver/.done"
}

if [ "${1:-}" = --newest ]; then	# setup.sh --newest 6.1: print it, nothing else
	newest_kernel "$2"
	exit 0
fi

# The 6.12 kernel is always needed: its kbuild's resolve_btfids builds 6.1
# modules' BTF ids, its source the kselftest harness.
if [ -z "${KVER:-}" ]; then
	KVER=$(newest_kernel 6.12)
	[ -n "$KVER" ] || die "no Debian 12 6.12 kernel found (is bookworm-security in /etc/apt/sources.list?)"
fi
case "$KVER" in
6.12.*-amd64) K612=$KVER ;;
6.1.0-*-amd64)
	K612=$(newest_kernel 6.12)
	[ -n "$K612" ] || die "no Debian 12 6.12 kernel found (6.1 modules need its resolve_btfids)" ;;
*) die "KVER=$KVER: expected a Debian 12 kernel, e.g. 6.12.117+deb12-amd64 or 6.1.0-57-amd64" ;;
esac
fetch_kernel "$K612"
[ "$KVER" = "$K612" ] || fetch_kernel "$KVER"
KROOT=$CACHE/kernels/$KVER/root
KDIR=$KROOT/usr/src/linux-headers-$KVER
RESOLVE_BTFIDS=
KPKGVER=$(cat "$CACHE/kernels/$K612/version")
# ---- 3. kselftest harness headers -------------------------------------------
HARNESS_INC=$CACHE/kselftest/$KPKGVER
if [ ! -e "$HARNESS_INC/kselftest_harness.h" ] || [ ! -e "$HARNESS_INC/extract-vmlinux" ]; then
	say "extracting kselftest_harness.h and extract-vmlinux from linux-source-6.12=$KPKGVER (~10 s)"
	tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
	(cd "$tmp" && apt-get download -q "linux-source-6.12=$KPKGVER" 2>&1 | grep -v '^W: Download' || true)
	deb=$(ls "$tmp"/linux-source-6.12_*.deb 2>/dev/null) || die "could not download linux-source-6.12=$KPKGVER"
	mkdir -p "$HARNESS_INC.tmp"
	dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/src/linux-source-6.12.tar.xz |
		tar -xJ -C "$HARNESS_INC.tmp" --transform='s|.*/||' \
			linux-source-6.12/tools/testing/selftests/kselftest_harness.h \
			linux-source-6.12/tools/testing/selftests/kselftest.h \
			linux-source-6.12/scripts/extract-vmlinux
	rm -rf "$HARNESS_INC"; mv "$HARNESS_INC.tmp" "$HARNESS_INC"
else
	say "kselftest harness headers: cached"
fi

# ---- 4. BTF for kernels whose headers ship none (6.1) -----------------------
# Debian's 6.1 headers have no vmlinux and no resolve_btfids: without them
# kbuild skips module BTF ("Skipping BTF generation") and the module has no
# kfuncs (it then refuses to load). The kernel's own BTF is in its image:
# kmod/compat/kernel-btf.sh (which DKMS builds use too, dkms-make.sh)
# unpacks it, raw, which pahole and resolve_btfids read as base BTF.
# resolve_btfids is a host tool: the 6.12 kbuild's serves.
if [ ! -e "$KDIR/vmlinux" ]; then
	case "$KVER" in
	6.1.*)
		say "extracting $KVER's BTF from its vmlinuz into $KDIR/vmlinux"
		sh "$HERE/kmod/compat/kernel-btf.sh" "$KROOT/boot/vmlinuz-$KVER" "$KDIR/vmlinux.tmp" ||
			die "no BTF found in $KROOT/boot/vmlinuz-$KVER"
		mv "$KDIR/vmlinux.tmp" "$KDIR/vmlinux" ;;
	*) die "$KDIR/vmlinux missing: the headers ship no BTF, module kfuncs cannot work" ;;
	esac
fi
if [ ! -x "$KDIR/tools/bpf/resolve_btfids/resolve_btfids" ]; then
	RESOLVE_BTFIDS=$(ls "$CACHE/kernels/$K612/root/usr/lib/linux-kbuild-"*/tools/bpf/resolve_btfids/resolve_btfids 2>/dev/null | head -n1)
	[ -x "$RESOLVE_BTFIDS" ] || die "no resolve_btfids for $KVER (the 6.12 kbuild in $CACHE/kernels/$K612 has none)"
fi

mkdir -p "$BUILD"
cat > "$BUILD/config.mk.tmp" <<CFG
# written by scripts/setup.sh, do not edit
KVER := $KVER
KROOT := $KROOT
KDIR := $KDIR
HARNESS_INC := $HARNESS_INC
RESOLVE_BTFIDS := $RESOLVE_BTFIDS
CFG
if cmp -s "$BUILD/config.mk.tmp" "$BUILD/config.mk"; then rm "$BUILD/config.mk.tmp"; else mv "$BUILD/config.mk.tmp" "$BUILD/config.mk"; fi
say "ready: kernel $KVER"
