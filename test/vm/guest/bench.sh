#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make bench` inside the VM: every benchmark in one boot. Booted with
# icount (xi=1 on the command line: run.sh VM_ICOUNT=1), the guest clock
# counts instructions: every ns figure is then an instruction count, and
# every rate is per guest second of instructions (doc/benchmarks.md).
. /xdpmeta/lib.sh
Q=0; grep -q 'xq=1' /proc/cmdline && Q=1
I=0; grep -q 'xi=1' /proc/cmdline && I=1
# xb=a,b: only these benchmarks (run.sh BENCH_ONLY; names without _bench)
ONLY=$(sed -n 's/.*xb=\([^ ]*\).*/\1/p' /proc/cmdline)
want() { [ -z "$ONLY" ] || case ",$ONLY," in *",$1,"*) true ;; *) false ;; esac; }
R=${XDPMETA_BENCH_REPEAT:-100000}
KR=20000; KS=200
[ "$Q" = 1 ] && { R=2000; KR=500; KS=20; }
xm_load
: > /tmp/bench.txt
want kfunc && /xdpmeta/bin/kfunc_bench "$KR" "$KS" 2>> /tmp/bench.csv | tee -a /tmp/bench.txt
want store && /xdpmeta/bin/store_bench "$R" 2>> /tmp/bench.csv | tee -a /tmp/bench.txt
want chain && /xdpmeta/bin/chain_bench "$KR" 2>> /tmp/bench.csv | tee -a /tmp/bench.txt
xm_unload
S=2; [ "$Q" = 1 ] && S=0.5
want mb && /xdpmeta/bin/mb_bench "$S" 2>> /tmp/bench.csv | tee -a /tmp/bench.txt
F=200000; [ "$Q" = 1 ] && F=5000
want dp && /xdpmeta/bin/dp_bench "$F" 2>> /tmp/bench.csv | tee -a /tmp/bench.txt
H=100000; [ "$Q" = 1 ] && H=2000
want hints && /xdpmeta/bin/hints_bench "$H" 2>> /tmp/bench.csv | tee -a /tmp/bench.txt
# under icount: ns are instructions, and a rate r gives 1e9/r instructions
# per packet (all vCPUs, sender and receiver included)
if [ "$I" = 1 ]; then
	awk -F, -v OFS=, '/^csv:/ {
		if ($4 == "pps") { print; $3 = sprintf("%.0f", 1e9 / $3); $4 = "instr/packet";
			lo = $5; $5 = sprintf("%.0f", 1e9 / $6); $6 = sprintf("%.0f", 1e9 / lo);
			if ($8 > 0) $8 = sprintf("%.4f", 1 / $8); print; next }
		sub(/^ns/, "instr", $4); print }' /tmp/bench.csv > /tmp/bench.icount
	mv /tmp/bench.icount /tmp/bench.csv
fi
sed 's/^/B /' /tmp/bench.txt > /dev/ttyS1
sed -n 's/^csv:/C /p' /tmp/bench.csv > /dev/ttyS1
echo "XDPMETA-DONE" > /dev/ttyS1
