#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: host-side tests first (KV encoding property test and
# fuzzer, CLI, the Debian packages and DKMS through them), then every VM test. One line per test, and a final
# "N passed, N failed, N skipped" over all of them; non-zero exit on any
# failure. usage: check.sh [FILTER]  (FILTER selects VM tests only; host
# tests always run, they take seconds; CHECK_HOST=0 leaves them out)
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

# CHECK_HOST=0 (make check-debug): the host suites do not depend on the
# kernel under test, and make check runs them
if [ "${CHECK_HOST:-1}" = 1 ]; then
suite host-kv make -s -C "$TOP/test/host" check O="$BUILD/host" BPFDIR="$BUILD/bpf"
suite host-cli "$TOP/test/host/cli_test.sh" "$BUILD/xdpmeta"
suite host-deb "$TOP/test/host/deb.sh"
fi
[ "$FILTER" = faults ] || suite vm "$TOP/test/vm/run.sh" test "$FILTER"
# CHECK_FAULTS=1 (make check-debug): the debug kernel's controls, in a VM
# of their own (they set off KASAN, lockdep and kmemleak on purpose)
if [ "${CHECK_FAULTS:-0}" = 1 ] && { [ -z "$FILTER" ] || echo ",$FILTER," | grep -q ",faults,"; }; then
	suite vm-faults env FAULTS=1 VM_SHARDS=1 VM_OUT="$BUILD/vm-faults" "$TOP/test/vm/run.sh" test faults
	want=$(grep -cE '^test_[A-Za-z0-9_]+ *\( *\)' "$TOP/test/debug/t_faults.sh")
	got=$(grep -cE "^(ok|FAIL|skip) +vm\.faults\." "$LOG/vm-faults.log")
	if [ "$got" = "$want" ]; then
		echo "ok - counts.faults: $got results, $want tests in the source"; P=$((P + 1))
	else
		echo "FAIL - counts.faults: $got results, but the source has $want tests"; F=$((F + 1))
	fi
fi

# Every test the sources define must have a result line: a group run in
# full (no filter, or a filter word that is the group's name) must report
# as many results as its source has tests (test_NAME() functions in
# test/vm/guest/t_GROUP.sh; for test/vm/t_GROUP.c the tests its binary
# lists on the host, which counts tests made by macros too), so a
# test that vanishes (a list that comes back short, a function the runner
# no longer finds) is a failure.
expected_tests() {	# GROUP
	local f=$TOP/test/vm/guest/t_$1.sh c=$TOP/test/vm/t_$1.c
	if [ -f "$f" ]; then
		grep -cE '^test_[A-Za-z0-9_]+ *\( *\)' "$f"
	elif [ -f "$c" ] && [ -x "$BUILD/test/t_$1" ]; then
		"$BUILD/test/t_$1" -l 2>&1 | grep -v '^#' |
			awk '/^[^ ]/ && NF == 1 { next } NF { print $NF }' | grep -cE '^[A-Za-z0-9_]+$'
	elif [ -f "$c" ]; then
		grep -cE '^(TEST|TEST_F|TEST_F_TIMEOUT|TEST_SIGNAL)\(' "$c"
	else
		echo 0
	fi
}
vm_groups=$( (ls "$TOP"/test/vm/guest/t_*.sh "$TOP"/test/vm/t_*.c) 2>/dev/null |
	sed 's|.*/t_\([a-z0-9_]*\)\.[a-z]*$|\1|' | sort -u)
echo "== vm test counts"
for g in $vm_groups; do
	if [ -n "$FILTER" ] && ! echo ",$FILTER," | grep -q ",$g,"; then
		continue
	fi
	want=$(expected_tests "$g")
	got=$(grep -E "^(ok|FAIL|skip) +vm\.$g\.[A-Za-z0-9_]+\b" "$LOG/vm.log" | grep -cvE "^[a-zA-Z]+ +vm\.$g\.list\b")
	if [ "$got" = "$want" ]; then
		echo "ok - counts.$g: $got results, $want tests in the source"
		P=$((P + 1))
	else
		echo "FAIL - counts.$g: $got results, but the source has $want tests"
		F=$((F + 1))
	fi
done

echo "$P passed, $F failed, $S skipped"
[ "$F" = 0 ]
