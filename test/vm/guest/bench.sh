#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make bench` inside the VM: every benchmark in one boot.
. /xdpmeta/lib.sh
R=${XDPMETA_BENCH_REPEAT:-100000}
grep -q 'xq=1' /proc/cmdline && R=2000
xm_load
/xdpmeta/bin/store_bench "$R" | tee /tmp/bench.txt
xm_unload
sed 's/^/B /' /tmp/bench.txt > /dev/ttyS1
echo "XDPMETA-DONE" > /dev/ttyS1
