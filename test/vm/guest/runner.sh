#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest test runner. Runs every test (or those matching $XT), one result
# line per test on the results port /dev/ttyS1:
#	PASS <group>.<name>
#	FAIL <group>.<name> <reason>
#	SKIP <group>.<name> <reason>
# then the kernel log lines as "K <line>" and finally the token
#	XDPMETA-DONE
# The host decides pass/fail from these lines only (test/vm/run.sh).
#
# Two kinds of tests:
#  - t_<group>.sh: shell functions named test_<name>, run in a subshell;
#    a test fails if it returns non-zero, and says why on stdout.
#  - bin/t_<group>: kselftest-harness binaries; their TAP lines
#    ("ok N name", "not ok N name", "# SKIP") become results.
# After each test the kernel log is read and cleared: any WARNING, BUG,
# Oops, KFENCE or slub report fails that test.
RES=/dev/ttyS1
[ -c "$RES" ] || RES=/tmp/results
. /xdpmeta/lib.sh

emit() { echo "$*" > "$RES"; echo "$*"; }

wanted() {	# GROUP NAME
	local w
	[ -z "$XT" ] && return 0
	for w in $(echo "$XT" | tr ',' ' '); do
		case "$1.$2" in $w|$w.*|*.$w) return 0 ;; esac
	done
	return 1
}

# kernel log since the previous call; prints the bad lines, returns 1 if any
klog_check() {
	dmesg -c > /tmp/klog.new 2>/dev/null
	cat /tmp/klog.new >> /tmp/klog.all
	if grep -E "$KBAD" /tmp/klog.new > /tmp/klog.bad; then
		return 1
	fi
	return 0
}

# seconds since boot, for the per-test times on the console
now() { cut -d' ' -f1 /proc/uptime; }

result() {	# GROUP NAME RC OUTFILE
	echo "--- $1.$2: $(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')s"
	if ! klog_check; then
		emit "FAIL $1.$2 kernel log: $(head -n1 /tmp/klog.bad)"
		return
	fi
	case "$3" in
	0) emit "PASS $1.$2" ;;
	77) emit "SKIP $1.$2 $(grep '^SKIP:' "$4" | tail -n1 | cut -c6-)" ;;
	*) emit "FAIL $1.$2 $(grep -E '^(FAIL|not ok|#.*(Expected|FAIL))' "$4" | head -n1 | tr -s ' \t' ' ' | cut -c1-200)" ;;
	esac
}

# kmemleak (the debug kernel of make check-debug; the stock kernel has
# none): each group ends with a scan, reported as the test
# kmemleak.<group>, which fails when the scan finds unreferenced objects.
# A scan reports only objects at least 5 s old, so a leak of a group's
# last test can show in the next group's scan (its backtrace names it);
# kmemleak.final waits for those. Objects from boot are cleared first.
KMEMLEAK=/sys/kernel/debug/kmemleak
leak_check() {	# NAME
	[ -w $KMEMLEAK ] || return 0
	echo "=== kmemleak.$1"; t0=$(now)
	echo scan > $KMEMLEAK
	cat $KMEMLEAK > /tmp/leaks
	echo clear > $KMEMLEAK
	if grep -q '^unreferenced object' /tmp/leaks; then
		cat /tmp/leaks
		echo "FAIL: $(grep -c '^unreferenced object' /tmp/leaks) unreferenced objects; first: $(grep -m1 '^unreferenced object' /tmp/leaks), from $(sed -n '/^  backtrace/,/^unreferenced/p' /tmp/leaks | grep -m1 -vE 'backtrace|kmemleak_alloc|kmalloc|kmem_cache|__alloc|slab' | sed 's/^ *//')" > /tmp/out
		result kmemleak "$1" 1 /tmp/out
	else
		result kmemleak "$1" 0 /tmp/out
	fi
}
if [ -w $KMEMLEAK ]; then
	echo scan > $KMEMLEAK; echo clear > $KMEMLEAK
fi

klog_check
TIMEOUT=${XDPMETA_TEST_TIMEOUT:-240}

for f in /xdpmeta/t_*.sh; do
	[ -e "$f" ] || continue
	g=$(basename "$f" .sh); g=${g#t_}
	ran=0
	for t in $(grep -oE '^test_[a-z0-9_]+\(\)' "$f" | tr -d '()'); do
		n=${t#test_}
		wanted "$g" "$n" || continue
		ran=1
		echo "=== $g.$n"; t0=$(now)
		timeout "$TIMEOUT" sh -c ". /xdpmeta/lib.sh; . '$f'; trap t_cleanup EXIT; t_setup; $t" > /tmp/out 2>&1
		rc=$?
		[ $rc = 143 ] && (. /xdpmeta/lib.sh; t_cleanup) > /dev/null 2>&1
		cat /tmp/out
		[ $rc = 143 ] && echo "FAIL: timed out after ${TIMEOUT}s" >> /tmp/out
		result "$g" "$n" $rc /tmp/out
	done
	[ $ran = 1 ] && leak_check "$g"
done

for b in /xdpmeta/bin/t_*; do
	[ -x "$b" ] || continue
	g=$(basename "$b"); g=${g#t_}
	# the harness lists its tests and exits KSFT_SKIP (4): a binary that
	# fails to list, or lists nothing, fails as <group>.list (when its
	# group is wanted), never a group that silently has no tests
	"$b" -l > /tmp/list 2>&1
	lrc=$?
	names=
	if [ $lrc = 0 ] || [ $lrc = 4 ]; then
		names=$(grep -v '^#' /tmp/list | awk '/^[^ ]/ && NF == 1 { next } NF { print $NF }' | grep -E '^[A-Za-z0-9_]+$')
	fi
	if [ -z "$names" ]; then
		if wanted "$g" list; then
			echo "=== $g.list"; t0=$(now)
			head -n 20 /tmp/list | tee /tmp/out
			echo "FAIL: '$b -l' exited $lrc and listed no tests" >> /tmp/out
			result "$g" list 1 /tmp/out
		fi
		continue
	fi
	ran=0
	for n in $names; do
		wanted "$g" "$n" || continue
		ran=1
		echo "=== $g.$n"; t0=$(now)
		timeout "$TIMEOUT" "$b" -t "$n" > /tmp/out 2>&1
		rc=$?
		# a failed assertion may skip the fixture's own teardown
		(. /xdpmeta/lib.sh; t_cleanup) > /dev/null 2>&1
		cat /tmp/out
		# the TAP line decides; a test that did not run is a failure
		if grep -qE "^ok [0-9]+ [^ ]*\.$n # SKIP" /tmp/out; then
			rc=77; grep '# SKIP' /tmp/out | sed 's/.*# SKIP */SKIP: /' >> /tmp/out
		elif ! grep -qE "^ok [0-9]+ [^ ]*\.$n\$" /tmp/out; then
			[ $rc = 0 ] && rc=1
			grep -qE "^not ok" /tmp/out || echo "FAIL: test $n did not run (exit $rc)" >> /tmp/out
		fi
		result "$g" "$n" $rc /tmp/out
	done
	[ $ran = 1 ] && leak_check "$g"
done

if [ -w $KMEMLEAK ]; then
	sleep 6
	leak_check final
fi
klog_check
sed 's/^/K /' /tmp/klog.all > "$RES"
echo "XDPMETA-DONE" > "$RES"
