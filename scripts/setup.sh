#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# xdpmeta set-up: everything `make demo` / `make check` need, idempotent.
#
#  1. Debian packages (apt-get install, only what is missing).
#  2. The newest stock Debian 12 6.12 kernel (or KVER=...): image, headers,
#     headers-common and kbuild are *downloaded and extracted* into the cache
#     with dpkg-deb -x. Nothing is installed into /boot and no package
#     install script runs: the host's boot configuration is never touched.
#  3. kselftest_harness.h + kselftest.h from the matching linux-source-6.12.
#
# Writes $BUILD/config.mk (KVER, KROOT, KDIR, HARNESS_INC) for the Makefile.
# Env: KVER (e.g. 6.12.117+deb12-amd64), XDPMETA_CACHE (default
# ~/.cache/xdpmeta), BUILD (default ./build), SETUP_OFFLINE=1 (no apt).
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
	busybox-static iproute2 ethtool
	qemu-system-x86 valgrind strace
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
if [ -z "${KVER:-}" ]; then
	if [ "${SETUP_OFFLINE:-0}" = 1 ]; then
		KVER=$(ls "$CACHE/kernels" 2>/dev/null | sort -V | tail -n1)
		[ -n "$KVER" ] || die "offline and no kernel in $CACHE/kernels"
	else
		apt_lists_fresh
		# newest 6.12.N+deb12-amd64 for which image, headers and kbuild all exist
		for v in $(apt-cache pkgnames linux-headers-6.12. | sed -n 's/^linux-headers-\(6\.12\.[0-9]*+deb12\)-amd64$/\1/p' | sort -rV); do
			if apt-cache show "linux-kbuild-$v" >/dev/null 2>&1 &&
			   apt-cache show "linux-image-$v-amd64-unsigned" >/dev/null 2>&1; then
				KVER=$v-amd64; break
			fi
		done
		[ -n "${KVER:-}" ] || die "no Debian 12 6.12 kernel found in apt (is bookworm-security in /etc/apt/sources.list?)"
	fi
fi
case "$KVER" in *-amd64) ;; *) die "KVER=$KVER: expected e.g. 6.12.117+deb12-amd64";; esac
KBASE=${KVER%-amd64}
KROOT=$CACHE/kernels/$KVER/root
KDIR=$KROOT/usr/src/linux-headers-$KVER
if [ ! -e "$CACHE/kernels/$KVER/.done" ]; then
	say "fetching stock kernel $KVER (image, headers, kbuild) into $CACHE/kernels/$KVER"
	apt_lists_fresh
	dl=$CACHE/kernels/$KVER/debs
	rm -rf "$CACHE/kernels/$KVER"; mkdir -p "$dl" "$KROOT"
	(cd "$dl" && apt-get download -q "linux-image-$KVER-unsigned" "linux-headers-$KVER" \
		"linux-headers-$KBASE-common" "linux-kbuild-$KBASE" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
	for d in "$dl"/*.deb; do dpkg-deb -x "$d" "$KROOT"; done
	[ -e "$KROOT/boot/vmlinuz-$KVER" ] || die "download of $KVER failed (no vmlinuz in $dl)"
	# the extracted headers include an absolute /usr/src path: point it at the cache
	sed -i "s|^include /usr/src/|include $KROOT/usr/src/|" "$KDIR/Makefile"
	depmod -b "$KROOT" "$KVER"
	dpkg-deb -f "$dl"/linux-headers-"$KVER"_*.deb Version > "$CACHE/kernels/$KVER/version"
	rm -f "$dl"/*.deb
	touch "$CACHE/kernels/$KVER/.done"
else
	say "stock kernel $KVER: cached"
fi
[ -e "$KDIR/vmlinux" ] || die "$KDIR/vmlinux missing: the headers ship no BTF, module kfuncs cannot work"
KPKGVER=$(cat "$CACHE/kernels/$KVER/version")

# ---- 3. kselftest harness headers -------------------------------------------
HARNESS_INC=$CACHE/kselftest/$KPKGVER
if [ ! -e "$HARNESS_INC/kselftest_harness.h" ]; then
	say "extracting kselftest_harness.h from linux-source-6.12=$KPKGVER (~10 s)"
	tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
	(cd "$tmp" && apt-get download -q "linux-source-6.12=$KPKGVER" 2>&1 | grep -v '^W: Download' || true)
	deb=$(ls "$tmp"/linux-source-6.12_*.deb 2>/dev/null) || die "could not download linux-source-6.12=$KPKGVER"
	mkdir -p "$HARNESS_INC.tmp"
	dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/src/linux-source-6.12.tar.xz |
		tar -xJ -C "$HARNESS_INC.tmp" --strip-components=4 \
			linux-source-6.12/tools/testing/selftests/kselftest_harness.h \
			linux-source-6.12/tools/testing/selftests/kselftest.h
	rm -rf "$HARNESS_INC"; mv "$HARNESS_INC.tmp" "$HARNESS_INC"
else
	say "kselftest harness headers: cached"
fi

mkdir -p "$BUILD"
cat > "$BUILD/config.mk.tmp" <<CFG
# written by scripts/setup.sh, do not edit
KVER := $KVER
KROOT := $KROOT
KDIR := $KDIR
HARNESS_INC := $HARNESS_INC
CFG
if cmp -s "$BUILD/config.mk.tmp" "$BUILD/config.mk"; then rm "$BUILD/config.mk.tmp"; else mv "$BUILD/config.mk.tmp" "$BUILD/config.mk"; fi
say "ready: kernel $KVER"
