#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot Debian's stock kernel under QEMU/TCG with the xdpmeta initramfs.
#
# usage: run.sh test [FILTER] | demo | bench | shell
#
# The VM has two virtio_net NICs (eth0, eth1) joined by a QEMU hub, and
# runs with slub_debug=FZPU, KFENCE and panic_on_warn=1. In test mode the
# guest writes one line per test to a second serial port; pass/fail is
# decided from those lines only, plus: the run fails on any WARNING, BUG,
# Oops, KFENCE or slub report in the guest's kernel log and when the guest
# does not write its final token before the timeout.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-$TOP/build}
# shellcheck disable=SC1090
eval "$(sed -n 's/^\([A-Z_]*\) := \(.*\)$/\1="\2"/p' "$BUILD/config.mk")"
export KVER KROOT BUILD
MODE=${1:-test}; FILTER=${2:-}
OUT=$BUILD/vm; mkdir -p "$OUT"
TIMEOUT=${VM_TIMEOUT:-900}

"$HERE/mkinitramfs.sh" "$OUT/initramfs.cpio.gz"

APPEND="console=ttyS0 panic=-1 panic_on_warn=1 slub_debug=FZPU kfence.sample_interval=10 xm=$MODE"
[ -n "$FILTER" ] && APPEND="$APPEND xt=$FILTER"
[ "$MODE" = shell ] || APPEND="$APPEND quiet"
[ "${QUICK:-}" = 1 ] && APPEND="$APPEND xq=1"
QEMU=(qemu-system-x86_64 -accel tcg,thread=multi -cpu max -m 1G -smp 2
	-kernel "$KROOT/boot/vmlinuz-$KVER" -initrd "$OUT/initramfs.cpio.gz"
	-append "$APPEND" -display none -no-reboot -nic none
	-netdev hubport,id=h0,hubid=1 -device virtio-net-pci,netdev=h0,mac=52:54:00:12:34:01,romfile=
	-netdev hubport,id=h1,hubid=1 -device virtio-net-pci,netdev=h1,mac=52:54:00:12:34:02,romfile=)

case "$MODE" in
shell)
	exec "${QEMU[@]}" -serial mon:stdio -serial "file:$OUT/results.txt"
	;;
demo|bench)
	: > "$OUT/results.txt"
	timeout --foreground "$TIMEOUT" "${QEMU[@]}" -serial stdio -serial "file:$OUT/results.txt" </dev/null |
		tee "$OUT/console.log" | grep -v -E '^\[ *[0-9.]+\]|^$' || true
	if grep -E 'WARNING:|BUG[: ]|Oops|KFENCE|Kernel panic' "$OUT/console.log"; then
		echo "$MODE: the guest kernel reported a problem (see $OUT/console.log)"; exit 1
	fi
	grep -q '^XDPMETA-DONE' "$OUT/results.txt" || { echo "$MODE: the guest did not finish (see $OUT/console.log)"; exit 1; }
	[ "$MODE" = bench ] && sed -n 's/^B //p' "$OUT/results.txt" > "$OUT/bench.txt"
	exit 0
	;;
test) ;;
*) echo "usage: $0 test [FILTER] | demo | bench | shell" >&2; exit 2 ;;
esac

: > "$OUT/results.txt"
start=$(date +%s)
timeout --foreground "$TIMEOUT" "${QEMU[@]}" -serial "file:$OUT/console.log" \
	-serial "file:$OUT/results.txt" </dev/null &
qpid=$!
# print results as the guest writes them
shown=0
show_new() {
	local n
	n=$(wc -l < "$OUT/results.txt")
	if [ "$n" -gt "$shown" ]; then
		sed -n "$((shown + 1)),${n}p" "$OUT/results.txt" | grep -E '^(PASS|FAIL|SKIP) ' |
			sed -e 's/^PASS /ok   vm./' -e 's/^FAIL \([^ ]*\) */FAIL vm.\1: /' -e 's/^SKIP \([^ ]*\) */skip vm.\1: /' || true
		shown=$n
	fi
}
while kill -0 $qpid 2>/dev/null; do show_new; sleep 1; done
wait $qpid && rc=0 || rc=$?
show_new
secs=$(( $(date +%s) - start ))

pass=$(grep -c '^PASS ' "$OUT/results.txt" || true)
fail=$(grep -c '^FAIL ' "$OUT/results.txt" || true)
skip=$(grep -c '^SKIP ' "$OUT/results.txt" || true)
problems=0
if ! grep -q '^XDPMETA-DONE' "$OUT/results.txt"; then
	[ $rc = 124 ] && echo "FAIL vm: guest timed out after ${TIMEOUT}s" || echo "FAIL vm: guest stopped before finishing (exit $rc)"
	problems=1
fi
if [ $((pass + fail + skip)) = 0 ]; then
	echo "FAIL vm: no test ran${FILTER:+ (filter '$FILTER' matched nothing)}"; problems=1
fi
if grep -E 'WARNING:|BUG[: ]|Oops|KFENCE|Kernel panic|general protection|Redzone|Poison overwritten|refcount_t:' \
	"$OUT/console.log" <(sed -n 's/^K //p' "$OUT/results.txt") > "$OUT/kernel-problems.txt"; then
	echo "FAIL vm: guest kernel log reports a problem:"; head -n 20 "$OUT/kernel-problems.txt" | sed 's/^/    /'
	problems=1
fi
[ $problems = 1 ] && { echo "    console: $OUT/console.log"; tail -n 30 "$OUT/console.log" | sed 's/^/    | /'; }
echo "vm: ${secs}s, kernel $KVER"
echo "vm: $((pass)) passed, $((fail + problems)) failed, $((skip)) skipped" > "$OUT/summary"
cat "$OUT/summary"
[ "$fail" = 0 ] && [ $problems = 0 ]
