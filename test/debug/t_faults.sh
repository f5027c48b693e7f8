# SPDX-License-Identifier: GPL-2.0
# The debug kernel's controls (make check-debug, a VM of their own: see
# test/debug/README in the top README's "The debug kernel"): each test sets
# off, through the test-only module xdpmeta_faults, one kind of bug the
# stock kernel cannot see, and asserts that the debug kernel reports it in
# words the runner fails a test on (KBAD, lib.sh) or, for leaks, that
# kmemleak lists it as runner.sh's leak_check reads it. Without these,
# "no KASAN/lockdep/kmemleak report" could mean a kernel that reports
# nothing. The reports are then taken out of the log, so that this test
# passes on seeing them. Console output is lowered to emergencies for the
# rest of this VM's run, never restored: run.sh fails a run whose console
# shows a report, and the console prints some of a report after the
# trigger has returned.

F=/sys/kernel/debug/xdpmeta_faults/trigger

faults_load() {
	[ -e $X/debug-kernel ] || skip "needs the debug kernel (make check-debug)"
	lsmod | grep -q '^xdpmeta_faults ' || ok insmod $X/xdpmeta_faults.ko
	dmesg -c > /dev/null
	dmesg -n 1
}

# trigger WHAT, then expect a kernel log line matching PATTERN that the
# runner's KBAD also matches; the log is cleared afterwards
expect_report() {	# WHAT PATTERN
	local pow
	pow=$(cat /proc/sys/kernel/panic_on_warn)
	echo 0 > /proc/sys/kernel/panic_on_warn	# KASAN panics on panic_on_warn
	echo "$1" > $F || die "trigger $1 failed"
	echo "$pow" > /proc/sys/kernel/panic_on_warn
	dmesg -c > /tmp/faults.log
	grep -E "$2" /tmp/faults.log > /tmp/faults.hit || { cat /tmp/faults.log; die "no report matching /$2/ after '$1'"; }
	grep -qE "$KBAD" /tmp/faults.hit || die "the report '$(head -n1 /tmp/faults.hit)' is not one the runner fails on"
	grep -q 'xdpmeta_faults\|faults_' /tmp/faults.log || die "the report does not name the culprit"
	log "reported: $(head -n1 /tmp/faults.hit)"
}

# lockdep first: its report, and any other, turns lockdep off for good
test_lockdep_reports_inversion() {
	faults_load
	expect_report lockdep 'WARNING: possible circular locking dependency detected'
}

test_atomic_sleep_reported() {
	faults_load
	expect_report sleep "BUG: sleeping function called from invalid context"
}

test_kmemleak_reports_a_leak() {
	faults_load
	[ -w /sys/kernel/debug/kmemleak ] || die "no kmemleak on the debug kernel"
	echo scan > /sys/kernel/debug/kmemleak; echo clear > /sys/kernel/debug/kmemleak
	echo leak > $F || die "trigger leak failed"
	sleep 6		# kmemleak reports objects at least 5 s old
	# a pointer can linger in a stack or register for a scan or two
	for i in 1 2 3 4 5; do
		echo scan > /sys/kernel/debug/kmemleak
		cat /sys/kernel/debug/kmemleak > /tmp/leaks
		grep -q '^unreferenced object .*(size 96)' /tmp/leaks && break
		sleep 2
	done
	echo clear > /sys/kernel/debug/kmemleak
	dmesg -c > /dev/null
	grep -q '^unreferenced object .*(size 96)' /tmp/leaks || { cat /tmp/leaks; die "kmemleak did not list the 96-byte leak"; }
	grep -q 'faults_leak' /tmp/leaks || { cat /tmp/leaks; die "the leak's backtrace does not name faults_leak"; }
	log "kmemleak: $(grep -m1 '^unreferenced object' /tmp/leaks)"
}

# KASAN's report taints the kernel, which turns lockdep off: these last
# (the VM boots with kasan_multi_shot, or only the first would report)
test_kasan_reports_out_of_bounds() {
	faults_load
	expect_report oob 'BUG: KASAN: slab-out-of-bounds in faults_oob'
}

test_kasan_reports_use_after_free() {
	faults_load
	expect_report uaf 'BUG: KASAN: slab-use-after-free in faults_uaf'
}
