#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: host-side tests first (KV encoding property test and
# fuzzer, CLI, DKMS), then every VM test. One line per test, and a final
# "N passed, N failed, N skipped" over all of them; non-zero exit on any
# failure. usage: check.sh [FILTER]  (FILTER selects VM tests only; host
# tests always run, they take seconds)
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
FILTER=${1:-}
P=0; F=0; S=0
LOG=$BUILD/check; mkdir -p "$LOG"

# run a suite, show and count its per-test lines ("ok ...", "FAIL ...",
# "skip ..."); a suite that exits non-zero with no failing line counts as
# one failure
suite() {	# NAME CMD...
	local name=$1 out=$LOG/$1.log rc p f s
	shift
	echo "== $name"
	"$@" 2>&1 | tee "$out" | grep --line-buffered -E '^(ok|FAIL|skip|SKIP)\b'
	rc=${PIPESTATUS[0]}
	p=$(grep -cE '^ok\b' "$out")
	f=$(grep -cE '^FAIL\b' "$out")
	s=$(grep -cE '^(skip|SKIP)\b' "$out")
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		echo "FAIL $name: exit $rc without a failing test line; last lines of $out:"
		tail -n 15 "$out" | sed 's/^/    /'
		f=1
	fi
	P=$((P + p)); F=$((F + f)); S=$((S + s))
}

suite host-kv make -s -C "$TOP/test/host" check O="$BUILD/host"
suite host-cli "$TOP/test/host/cli_test.sh" "$BUILD/xdpmeta"
suite host-dkms "$TOP/test/host/dkms.sh"
suite vm "$TOP/test/vm/run.sh" test "$FILTER"

echo "$P passed, $F failed, $S skipped"
[ "$F" = 0 ]
