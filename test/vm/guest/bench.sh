#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make bench` inside the VM: every benchmark in one boot.
. /xdpmeta/lib.sh
R=${XDPMETA_BENCH_REPEAT:-100000}
grep -q 'xq=1' /proc/cmdline && R=2000
xm_load
/xdpmeta/bin/store_bench "$R" 2>> /tmp/bench.csv | tee /tmp/bench.txt
xm_unload
S=2; grep -q 'xq=1' /proc/cmdline && S=0.5
/xdpmeta/bin/mb_bench "$S" 2>> /tmp/bench.csv | tee -a /tmp/bench.txt
F=200000; grep -q 'xq=1' /proc/cmdline && F=5000
/xdpmeta/bin/dp_bench "$F" 2>> /tmp/bench.csv | tee -a /tmp/bench.txt
H=100000; grep -q 'xq=1' /proc/cmdline && H=2000
/xdpmeta/bin/hints_bench "$H" 2>> /tmp/bench.csv | tee -a /tmp/bench.txt
sed 's/^/B /' /tmp/bench.txt > /dev/ttyS1
sed -n 's/^csv:/C /p' /tmp/bench.csv > /dev/ttyS1
echo "XDPMETA-DONE" > /dev/ttyS1
