#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The debug kernel of `make check-debug`, built once into the cache.
#
# Debian's stock kernels have no KASAN, lockdep or kmemleak. This builds,
# from Debian's linux-source-6.12 of the same version as the stock kernel
# (scripts/setup.sh picked it), a small kernel: allnoconfig plus
# test/debug/kernel.config (what the test VM needs, and the debug
# options). It is installed into its own root in the cache, like the stock
# one, and $BUILD/config.mk is written for it, so the Makefile, the VM
# harness and kbuild see one more kernel and nothing else changes.
#
#   $CACHE/debug/<pkgver>/linux-source-6.12   the source (~1.7 GB)
#   $CACHE/debug/<pkgver>/obj                 the build (O=; KDIR for modules)
#   $CACHE/debug/<pkgver>/root                boot/vmlinuz-<kver>, lib/modules
#
# Rebuilt only when kernel.config changes (its hash is kept beside the
# build); a failed build leaves no stamp and is resumed by make.
#
# usage: debug-kernel.sh          env: BUILD (the debug build dir, whose
#        config.mk is written), STOCK_BUILD (the stock one, read), XDPMETA_CACHE
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
STOCK_BUILD=${STOCK_BUILD:-$HERE/build}
BUILD=${BUILD:-$STOCK_BUILD/debug}
CACHE=${XDPMETA_CACHE:-${HOME:-/root}/.cache/xdpmeta}
FRAG=$HERE/test/debug/kernel.config
say() { printf 'debug-kernel: %s\n' "$*"; }
die() { printf 'debug-kernel: error: %s\n' "$*" >&2; exit 1; }

[ -f "$STOCK_BUILD/config.mk" ] || die "$STOCK_BUILD/config.mk missing: run scripts/setup.sh first"
eval "$(sed -n 's/^\([A-Z_]*\) := \(.*\)$/S_\1="\2"/p' "$STOCK_BUILD/config.mk")"
PKGVER=$(cat "$CACHE/kernels/$S_KVER/version")
D=$CACHE/debug/$PKGVER
SRC=$D/linux-source-6.12 OBJ=$D/obj ROOT=$D/root
sum=$(sha256sum "$FRAG" | cut -c1-16)
JOBS=${JOBS:-$(nproc)}

# ---- what building a kernel needs beyond setup.sh's packages ---------------
missing=()
for p in flex bison bc libssl-dev; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	[ "$(id -u)" = 0 ] || SUDO=sudo
	say "installing Debian packages: ${missing[*]}"
	${SUDO:-} apt-get update -qq
	DEBIAN_FRONTEND=noninteractive ${SUDO:-} apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# ---- source ------------------------------------------------------------------
if [ ! -e "$SRC/.done" ]; then
	say "fetching linux-source-6.12=$PKGVER into $D (~150 MB, ~1.7 GB unpacked)"
	mkdir -p "$D"; rm -rf "$SRC"
	tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
	(cd "$tmp" && apt-get download -q "linux-source-6.12=$PKGVER" 2>&1 | grep -v '^W: Download' || true)
	deb=$(ls "$tmp"/linux-source-6.12_*.deb 2>/dev/null) || die "could not download linux-source-6.12=$PKGVER"
	dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/src/linux-source-6.12.tar.xz | tar -xJ -C "$D"
	touch "$SRC/.done"
fi

if [ -e "$D/.done" ] && [ "$(cat "$D/.done")" = "$sum" ]; then
	say "cached: $(cat "$D/kver") ($D)"
else
	# ---- config: allnoconfig + the fragment, every line checked --------
	mkdir -p "$OBJ"
	say "configuring (allnoconfig + $(basename "$FRAG"))"
	make -s -C "$SRC" O="$OBJ" allnoconfig >/dev/null
	# -n: allnoconfig with the fragment's values forced (what is not
	# listed stays off, even when a listed option makes it visible)
	(cd "$OBJ" && "$SRC/scripts/kconfig/merge_config.sh" -n .config "$FRAG" >/dev/null)
	bad=0
	while IFS= read -r l; do
		case "$l" in CONFIG_*=n) o=${l%=n}
			grep -qE "^$o=" "$OBJ/.config" && { echo "  $o: set, wanted off"; bad=1; } ;;
		CONFIG_*) grep -qxF "$l" "$OBJ/.config" ||
			{ echo "  $l: got '$(grep -E "^${l%%=*}=|^# ${l%%=*} is not set" "$OBJ/.config" || echo absent)'"; bad=1; } ;;
		esac
	done < <(grep -E '^CONFIG_' "$FRAG")
	[ $bad = 0 ] || die "$(basename "$FRAG"): the lines above did not take (a dependency missing from the list?)"

	# ---- build and install --------------------------------------------
	say "building with $JOBS jobs (log: $D/build.log; the first build takes long, see README)"
	start=$(date +%s)
	make -C "$SRC" O="$OBJ" -j"$JOBS" bzImage modules > "$D/build.log" 2>&1 ||
		{ tail -n 30 "$D/build.log" >&2; die "kernel build failed (log: $D/build.log)"; }
	kver=$(make -s -C "$SRC" O="$OBJ" kernelrelease)
	rm -rf "$ROOT"; mkdir -p "$ROOT/boot"
	cp "$OBJ/arch/x86/boot/bzImage" "$ROOT/boot/vmlinuz-$kver"
	make -s -C "$SRC" O="$OBJ" INSTALL_MOD_PATH="$ROOT" modules_install >/dev/null
	depmod -b "$ROOT" "$kver"
	echo "$kver" > "$D/kver"
	echo "$(( $(date +%s) - start ))" > "$D/build-seconds"
	echo "$sum" > "$D/.done"
	say "built $kver in $(cat "$D/build-seconds") s"
fi
kver=$(cat "$D/kver")
[ -e "$OBJ/vmlinux" ] || die "$OBJ/vmlinux missing: module BTF cannot be generated"

mkdir -p "$BUILD"
cat > "$BUILD/config.mk.tmp" <<CFG
# written by scripts/debug-kernel.sh, do not edit
KVER := $kver
KROOT := $ROOT
KDIR := $OBJ
HARNESS_INC := $S_HARNESS_INC
DEBUG_KERNEL := 1
CFG
if cmp -s "$BUILD/config.mk.tmp" "$BUILD/config.mk"; then rm "$BUILD/config.mk.tmp"; else mv "$BUILD/config.mk.tmp" "$BUILD/config.mk"; fi
say "ready: kernel $kver"
