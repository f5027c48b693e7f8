# SPDX-License-Identifier: GPL-2.0
#
# Sourced by the host scripts that test set-up steps (dkms.sh, deb.sh):
# step_check NAME CMD... runs CMD, prints "ok - SUITE.NAME" or "FAIL -
# SUITE.NAME: <its last lines>"; steps_end prints "N passed, N failed" and
# returns non-zero on a failure. SUITE: the script's name.
STEPS_SUITE=$(basename "$0" .sh)
STEPS_LOG=${BUILD:-/tmp}/$STEPS_SUITE-step.log
steps_pass=0 steps_fail=0
step_check() {	# NAME CMD...
	local n=$1; shift
	if "$@" > "$STEPS_LOG" 2>&1; then
		echo "ok - $STEPS_SUITE.$n"; steps_pass=$((steps_pass + 1))
	else
		echo "FAIL - $STEPS_SUITE.$n: $(tail -n 3 "$STEPS_LOG" | tr '\n' ' ')"
		steps_fail=$((steps_fail + 1))
	fi
}
steps_end() {
	echo "$steps_pass passed, $steps_fail failed"
	[ "$steps_fail" = 0 ]
}
