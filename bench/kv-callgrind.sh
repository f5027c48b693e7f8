#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Instructions per key/value store operation, counted by callgrind.
#
# Usage: bench/kv-callgrind.sh [builddir]    (or O=<builddir>; default
#        build/host at the top of the tree); CC (default gcc), N (calls per
#        op, default 100000).
#
# Builds bench/kv_callgrind.c with kmod/kv.c (-O2 -mpopcnt), then runs it
# once per operation under valgrind --tool=callgrind with collection on only
# inside the measured function (--toggle-collect=<fn>: the function and
# what it calls, memmove() included).  Instructions/op = collected Ir /
# number of calls the driver made.  Exits 1 if a goal is missed.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-${O:-$top/build/host}}
cc=${CC:-gcc}
n=${N:-100000}
cflags="-O2 -mpopcnt -Wall -Wextra -Werror"

command -v valgrind >/dev/null ||
	{ echo "kv-callgrind: valgrind not found" >&2; exit 2; }
mkdir -p "$out"
bin=$out/kv_callgrind
# -z now: resolve memmove at startup, not inside the first measured call
"$cc" $cflags -I"$top/kmod" -Wl,-z,now -o "$bin" \
	"$top/bench/kv_callgrind.c" "$top/kmod/kv.c"

echo "kv callgrind benchmark: $("$cc" --version | head -n 1)," \
	"flags: $cflags, $n calls per op"
store=$("$bin" get 1 | awk '$1 == "store" { print $3 " keys, " $2 " bytes" }')
echo "store: $store (value sizes 2/4/8); memmove (glibc) included"
printf '%-14s %8s %6s %s\n' op instr/op goal met
fail=0
# op  function  goal (- = none)
while read -r op fn goal; do
	cg=$out/callgrind.$op.out
	calls=$(valgrind --tool=callgrind --toggle-collect="$fn" \
		--callgrind-out-file="$cg" "$bin" "$op" "$n" 2>"$cg.log" |
		awk -v fn="$fn" '$1 == "calls" && $2 == fn { print $3 }')
	ir=$(awk '$1 == "summary:" { print $2 }' "$cg")
	if [ -z "$calls" ] || [ -z "$ir" ]; then
		echo "kv-callgrind: $op: no result, see $cg.log" >&2
		exit 2
	fi
	per=$(awk -v ir="$ir" -v c="$calls" 'BEGIN { printf "%.1f", ir / c }')
	if [ "$goal" = - ]; then
		met=n/a
	elif awk -v p="$per" -v g="$goal" 'BEGIN { exit !(p <= g) }'; then
		met=yes
		goal="<=$goal"
	else
		met=NO
		goal="<=$goal"
		fail=1
	fi
	printf '%-14s %8s %6s %s\n' "$op" "$per" "$goal" "$met"
done <<'EOF'
get xdpmeta_kv_get 40
set-insert xdpmeta_kv_update 80
set-overwrite xdpmeta_kv_update 80
del xdpmeta_kv_del -
EOF
exit $fail
