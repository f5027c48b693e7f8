#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot Debian's stock kernel under QEMU/TCG with the xdpmeta initramfs.
#
# usage: run.sh test [FILTER] | demo | bench | shell
#
# The VM has two virtio_net NICs (eth0, eth1) joined by a QEMU hub, two
# more on a second hub (eth2 with RSS and hash reports: RX hash hints;
# eth3 its partner), two on a third (eth4 with small receive buffers,
# mrg_rxbuf=off: virtio_net's other receive path; eth5 its partner), two
# on tap backends (eth6 with RSS and negotiated hash reports, eth7), and
# runs with slub_debug=FZPU, KFENCE, page_poison=1 (a write into a freed
# page is reported when the page is next allocated) and panic_on_warn=1. In test mode the
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
DEBUG_KERNEL=${DEBUG_KERNEL:-0}
export KVER KROOT BUILD DEBUG_KERNEL
MODE=${1:-test}; FILTER=${2:-}
OUT=${VM_OUT:-$BUILD/vm}; mkdir -p "$OUT"	# VM_OUT: for concurrent runs
TIMEOUT=${VM_TIMEOUT:-900}
VM_SHARDS=${VM_SHARDS:-2}

"$HERE/mkinitramfs.sh" "$OUT/initramfs.cpio.gz"

APPEND="console=ttyS0 panic=-1 panic_on_warn=1 slub_debug=FZPU kfence.sample_interval=10 page_poison=1 xm=$MODE"
[ "$MODE" = shell ] || APPEND="$APPEND quiet"
[ "${QUICK:-}" = 1 ] && APPEND="$APPEND xq=1"
# BENCH_ONLY=kfunc,dp: make bench runs only these (guest/bench.sh)
[ -n "${BENCH_ONLY:-}" ] && APPEND="$APPEND xb=$BENCH_ONLY"
# the debug kernel: every KASAN report, not only the first (its controls
# in test/debug/t_faults.sh set off two). pci=noacpi: under KASAN and TCG
# the i440FX DSDT's _PRT loop runs past ACPICA's 30 s loop timeout, five
# times per boot (150 s); the BIOS's MP table routes the same IRQs and,
# with CONFIG_X86_MPPARSE (test/debug/kernel.config), lists both CPUs
# (without it the guest ran on one: hook.vm_runs_on_two_cpus).
[ "$DEBUG_KERNEL" = 1 ] && APPEND="$APPEND kasan_multi_shot pci=noacpi"
# PREEMPT=full|voluntary|none: the kernel's preemption model for this boot
# (both kernels are PREEMPT_DYNAMIC; Debian's default is voluntary). Under
# full preemption a long BPF_PROG_TEST_RUN is one RCU reader from start to
# end, so store.id_reused_with_other_size_reads_ebadmsg cannot see the id
# reused inside it and reports so.
[ -n "${PREEMPT:-}" ] && APPEND="$APPEND preempt=$PREEMPT"
# the controls' VM: no KFENCE, whose sampled allocations would catch (or,
# inside its pages, miss) the out-of-bounds control before KASAN does
[ "${FAULTS:-0}" = 1 ] && APPEND="$APPEND kfence.sample_interval=0"
# VM_STRESS=full: the long form of the stress scenarios (make stress)
[ -n "${VM_STRESS:-}" ] && APPEND="$APPEND xs=$VM_STRESS"
# VM_TEST_TIMEOUT: seconds per test in the guest (runner.sh; default 240)
[ -n "${VM_TEST_TIMEOUT:-}" ] && APPEND="$APPEND xto=$VM_TEST_TIMEOUT"
# Every mode runs with one TCG thread per VM (both vCPUs interleaved on
# it): multi-threaded TCG races the guest kernel's int3 text patching
# (static keys flipped at boot or by a module: "Oops: int3" in e.g.
# sched_clock_cpu, with or without xdpmeta loaded), which would report a
# crash that is not xdpmeta's. Two test VMs then fill two cores.
# VM_TCG_THREAD=multi is there for experiments only.
# VM_ICOUNT=1: the guest clock counts instructions (1 ns per guest
# instruction, no real-time sleeping), so that BPF_PROG_TEST_RUN durations
# and every guest-timed rate are deterministic instruction counts (make
# bench; doc/benchmarks.md). Needs the single TCG thread.
ICOUNT=()
if [ "${VM_ICOUNT:-0}" = 1 ]; then
	ICOUNT=(-icount shift=0,sleep=off)
	APPEND="$APPEND xi=1"
fi
QEMU=(qemu-system-x86_64 -accel "tcg,thread=${VM_TCG_THREAD:-single}" "${ICOUNT[@]}" -cpu max -m "${VM_MEM:-1G}" -smp 2
	-kernel "$KROOT/boot/vmlinuz-$KVER" -initrd "$OUT/initramfs.cpio.gz"
	-append "$APPEND" -display none -no-reboot -nic none
	-netdev hubport,id=h0,hubid=1 -device virtio-net-pci,netdev=h0,mac=52:54:00:12:34:01,romfile=
	-netdev hubport,id=h1,hubid=1 -device virtio-net-pci,netdev=h1,mac=52:54:00:12:34:02,romfile=
	-netdev hubport,id=h2,hubid=2 -device virtio-net-pci,netdev=h2,mac=52:54:00:12:34:03,rss=on,hash=on,romfile=
	-netdev hubport,id=h3,hubid=2 -device virtio-net-pci,netdev=h3,mac=52:54:00:12:34:04,romfile=
	-netdev hubport,id=h4,hubid=3 -device virtio-net-pci,netdev=h4,mac=52:54:00:12:34:05,mrg_rxbuf=off,romfile=
	-netdev hubport,id=h5,hubid=3 -device virtio-net-pci,netdev=h5,mac=52:54:00:12:34:06,romfile=)
# eth6 (RSS and hash reports) and eth7 on tap backends bridged in a private
# netns (tapnet.sh): the only way QEMU offers virtio_net hash reports. Needs
# /dev/net/tun and unshare; without them the VM has no eth6/eth7 and the
# tests that need them say SKIP with that reason.
PRE=()
if [ -c /dev/net/tun ] && unshare -n true 2>/dev/null; then
	PRE=(unshare -n -- "$HERE/tapnet.sh")
	QEMU+=(-netdev tap,id=h6,ifname=xmt6,script=no,downscript=no,vhost=off,vnet_hdr=on
	       -device virtio-net-pci,netdev=h6,mac=52:54:00:12:34:07,rss=on,hash=on,romfile=
	       -netdev tap,id=h7,ifname=xmt7,script=no,downscript=no,vhost=off,vnet_hdr=on
	       -device virtio-net-pci,netdev=h7,mac=52:54:00:12:34:08,romfile=)
fi

case "$MODE" in
shell)
	exec "${PRE[@]}" "${QEMU[@]}" -serial mon:stdio -serial "file:$OUT/results.txt"
	;;
demo|bench)
	: > "$OUT/results.txt"
	timeout --foreground "$TIMEOUT" "${PRE[@]}" "${QEMU[@]}" -serial stdio -serial "file:$OUT/results.txt" </dev/null |
		tee "$OUT/console.log" | grep -v -E '^\[ *[0-9.]+\]|^$' || true
	if grep -E 'WARNING:|BUG[: ]|Oops|KFENCE|Kernel panic|pagealloc: ' "$OUT/console.log"; then
		echo "$MODE: the guest kernel reported a problem (see $OUT/console.log)"; exit 1
	fi
	grep -q '^XDPMETA-DONE' "$OUT/results.txt" || { echo "$MODE: the guest did not finish (see $OUT/console.log)"; exit 1; }
	if [ "$MODE" = bench ]; then
		sed -n 's/^B //p' "$OUT/results.txt" > "$OUT/bench.txt"
		{ echo "group,case,value,unit,min,max,baseline,ratio"; sed -n 's/^C //p' "$OUT/results.txt"; } > "$OUT/bench.csv"
		python3 -c 'import csv, json, sys; json.dump(list(csv.DictReader(open(sys.argv[1]))), open(sys.argv[2], "w"), indent=1)' \
			"$OUT/bench.csv" "$OUT/bench.json"
		echo "bench: table $OUT/bench.txt, $OUT/bench.csv, $OUT/bench.json"
	fi
	exit 0
	;;
test) ;;
*) echo "usage: $0 test [FILTER] | demo | bench | shell" >&2; exit 2 ;;
esac

# Without a filter the groups are split over VM_SHARDS VMs that run at
# once (most of a test's time is waiting: pings, RCU grace periods, module
# unloads); each shard writes its own console and results. The split is
# greedy by each group's cost in seconds, as measured in a full run
# (unknown groups count 20): the longest first, each to the least loaded.
declare -A COST=([chain]=60 [hints]=92 [features]=73 [mb]=61 [store]=57 [hook]=56
		 [bench]=31 [registry]=31 [redirect]=22 [pull]=14 [safety]=60
		 [hostile]=60 [params]=30 [stress]=130)
if [ -z "$FILTER" ] && [ "$VM_SHARDS" -gt 1 ]; then
	groups=$( (ls "$HERE"/guest/t_*.sh "$HERE"/t_*.c) 2>/dev/null |
		sed 's|.*/t_\([a-z0-9_]*\)\.[a-z]*$|\1|' | sort -u |
		while read -r g; do echo "${COST[$g]:-20} $g"; done | sort -rn | cut -d' ' -f2)
	shards=(); load=()
	for ((k = 0; k < VM_SHARDS; k++)); do load[k]=0; done
	for g in $groups; do
		m=0
		for ((k = 1; k < VM_SHARDS; k++)); do [ "${load[k]}" -lt "${load[m]}" ] && m=$k; done
		shards[m]="${shards[m]:+${shards[m]},}$g"; load[m]=$((load[m] + ${COST[$g]:-20}))
	done
else
	shards=("$FILTER")
fi

start=$(date +%s)
pids=()
for k in "${!shards[@]}"; do
	d=$OUT/shard$k; mkdir -p "$d"; : > "$d/results.txt"; : > "$d/console.log"
	q=("${QEMU[@]}")
	for j in "${!q[@]}"; do
		[ "${q[j]}" = -append ] && q[j + 1]="$APPEND${shards[k]:+ xt=${shards[k]}}"
	done
	timeout --foreground "$TIMEOUT" "${PRE[@]}" "${q[@]}" -serial "file:$d/console.log" \
		-serial "file:$d/results.txt" </dev/null &
	pids+=($!)
done

# print results as the guests write them
declare -A shown
show_new() {
	local k n d
	for k in "${!shards[@]}"; do
		d=$OUT/shard$k
		n=$(wc -l < "$d/results.txt")
		if [ "$n" -gt "${shown[$k]:-0}" ]; then
			sed -n "$((${shown[$k]:-0} + 1)),${n}p" "$d/results.txt" | grep -E '^(PASS|FAIL|SKIP) ' |
				sed -e 's/^PASS /ok   vm./' -e 's/^FAIL \([^ ]*\) */FAIL vm.\1: /' -e 's/^SKIP \([^ ]*\) */skip vm.\1: /' || true
			shown[$k]=$n
		fi
	done
}
running() { local p; for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && return 0; done; return 1; }
while running; do show_new; sleep 1; done
rcs=()
for p in "${pids[@]}"; do wait "$p" && rcs+=(0) || rcs+=($?); done
show_new
secs=$(( $(date +%s) - start ))

pass=0; fail=0; skip=0; problems=0
for k in "${!shards[@]}"; do
	d=$OUT/shard$k
	pass=$((pass + $(grep -c '^PASS ' "$d/results.txt" || true)))
	fail=$((fail + $(grep -c '^FAIL ' "$d/results.txt" || true)))
	skip=$((skip + $(grep -c '^SKIP ' "$d/results.txt" || true)))
	bad=0
	if ! grep -q '^XDPMETA-DONE' "$d/results.txt"; then
		[ "${rcs[k]}" = 124 ] && echo "FAIL vm: guest $k timed out after ${TIMEOUT}s" ||
			echo "FAIL vm: guest $k stopped before finishing (exit ${rcs[k]})"
		bad=1
	fi
	grep -E 'WARNING:|BUG[: ]|Oops|KFENCE|Kernel panic|general protection|Redzone|Poison overwritten|refcount_t:|pagealloc: |stalled pool shutdown' \
		"$d/console.log" <(sed -n 's/^K //p' "$d/results.txt") > "$d/kernel-problems.txt" || true
	# the debug kernel's controls (FAULTS=1, test/debug/t_faults.sh) set
	# off these reports on purpose, each asserted by its test (lockdep's
	# report turns the console verbose): only those lines are expected
	if [ "${FAULTS:-0}" = 1 ]; then
		grep -vE 'WARNING: possible circular locking dependency detected|BUG: sleeping function called from invalid context at |BUG: KASAN: slab-(out-of-bounds|use-after-free) in faults_|# reported: ' \
			"$d/kernel-problems.txt" > "$d/kernel-problems.tmp" || true
		mv "$d/kernel-problems.tmp" "$d/kernel-problems.txt"
	fi
	if [ -s "$d/kernel-problems.txt" ]; then
		echo "FAIL vm: guest $k kernel log reports a problem:"; head -n 20 "$d/kernel-problems.txt" | sed 's/^/    /'
		bad=1
	fi
	[ $bad = 1 ] && { echo "    console: $d/console.log"; tail -n 30 "$d/console.log" | sed 's/^/    | /'; }
	problems=$((problems + bad))
done
if [ $((pass + fail + skip)) = 0 ]; then
	echo "FAIL vm: no test ran${FILTER:+ (filter '$FILTER' matched nothing)}"; problems=$((problems + 1))
fi
echo "vm: ${secs}s in ${#shards[@]} VM(s), kernel $KVER"
echo "vm: $((pass)) passed, $((fail + problems)) failed, $((skip)) skipped" > "$OUT/summary"
cat "$OUT/summary"
[ "$fail" = 0 ] && [ $problems = 0 ]
