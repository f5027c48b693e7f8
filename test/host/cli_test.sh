#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cli_test.sh - host tests of the xdpmeta command-line tool.
#
#   test/host/cli_test.sh PATH-TO-xdpmeta
#
# Builds fake debugfs trees in a temporary directory and points the tool at
# them with XDPMETA_DEBUGFS. A fake tree's parent holds the file
# .xdpmeta-fake-debugfs, which the tool accepts in place of a debugfs mount
# (only when XDPMETA_DEBUGFS is set); without it the tool must report that
# debugfs is not mounted. `key add/del` and `prog` need the module, which no
# host has loaded: there the tool must say so (and `check` finds no chain).
#
# `mb` also uses fake module-parameter directories (XDPMETA_SYSFS_PARAMS).
# A regular file cannot fail a write with the errno the module would
# (EBUSY, ENODEV, EOPNOTSUPP, EINVAL): where strace is usable, its fault
# injection fails the tool's first write() with that errno, and the test
# checks in the trace that this write was the one to the module's file. The
# binary is static, so LD_PRELOAD could not do it. Without strace those
# tests are skipped; the blocker listing is also checked through `mb`, and
# write failures through files that really fail (/dev/full, a directory,
# a read-only file for an unprivileged user).
#
# Prints "ok - NAME", "FAIL - NAME: WHY" or "skip - NAME: WHY" per test,
# then "N passed, N failed, N skipped". A skipped test is never counted as
# passed (test/check.sh counts the "skip" lines as skipped).

set -u

if [ $# -ne 1 ] || [ ! -x "$1" ]; then
	echo "Usage: $0 PATH-TO-xdpmeta" >&2
	exit 2
fi
BIN=$(realpath "$1")
unset XDPMETA_DEBUGFS XDPMETA_SYSFS_PARAMS
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

PASSED=0
FAILED=0
SKIPPED=0
OUT=
ERR=
RC=0
WHY=

# run [VAR=VALUE...] ARGS...: runs the tool; sets OUT, ERR and RC.
run()
{
	local envs=()

	while [ $# -gt 0 ] && [[ $1 == XDPMETA_*=* ]]; do
		envs+=("$1")
		shift
	done
	OUT=$(env "${envs[@]}" "$BIN" "$@" 2>"$TMP/stderr")
	RC=$?
	ERR=$(cat "$TMP/stderr")
}

# run_inject ERRNO [VAR=VALUE...] ARGS...: like run, under strace, which
# fails the tool's first write() with ERRNO; the trace is in $TMP/strace.
run_inject()
{
	local errno=$1 envs=()

	shift
	while [ $# -gt 0 ] && [[ $1 == XDPMETA_*=* ]]; do
		envs+=("$1")
		shift
	done
	OUT=$(env "${envs[@]}" strace -qq -o "$TMP/strace" -e trace=write \
	      -e inject=write:error="$errno":when=1 "$BIN" "$@" \
	      2>"$TMP/stderr")
	RC=$?
	ERR=$(cat "$TMP/stderr")
}

# expect_injected TEXT ERRNO: the first write() traced wrote TEXT (as strace
# prints it) and failed with the injected ERRNO.
expect_injected()
{
	local first

	first=$(head -n 1 "$TMP/strace")
	[[ $first == "write("*", \"$1\", "*")"*" = -1 $2 ("*") (INJECTED)" ]] &&
		return 0
	WHY="first write() was not '$1' failing with $2: '$first'"
	return 1
}

# run_unprivileged [VAR=VALUE...] ARGS...: like run, as nobody when root
# (as root, file modes keep no one out).
run_unprivileged()
{
	local envs=()

	while [ $# -gt 0 ] && [[ $1 == XDPMETA_*=* ]]; do
		envs+=("$1")
		shift
	done
	cp "$BIN" "$TMP/xdpmeta"
	chmod 755 "$TMP" "$TMP/xdpmeta"
	if [ "$(id -u)" -eq 0 ]; then
		OUT=$(env "${envs[@]}" setpriv --reuid=65534 --regid=65534 \
		      --clear-groups "$TMP/xdpmeta" "$@" 2>"$TMP/stderr")
	else
		OUT=$(env "${envs[@]}" "$TMP/xdpmeta" "$@" 2>"$TMP/stderr")
	fi
	RC=$?
	ERR=$(cat "$TMP/stderr")
}

# test NAME FUNCTION: a function returns non-zero and sets WHY on failure.
test_case()
{
	WHY=
	if "$2"; then
		echo "ok - $1"
		PASSED=$((PASSED + 1))
	else
		echo "FAIL - $1: ${WHY:-failed}"
		FAILED=$((FAILED + 1))
	fi
}

# skip NAME WHY: not run here; counted as skipped, never as passed
skip()
{
	echo "skip - $1: $2"
	SKIPPED=$((SKIPPED + 1))
}

# expect_rc N: the last run exited N.
expect_rc()
{
	[ "$RC" -eq "$1" ] && return 0
	WHY="exit status $RC, expected $1 (stderr: ${ERR:-empty})"
	return 1
}

expect_err()
{
	[ "$ERR" = "$1" ] && return 0
	WHY="stderr '$ERR', expected '$1'"
	return 1
}

expect_err_has()
{
	[[ $ERR == *"$1"* ]] && return 0
	WHY="stderr lacks '$1': '$ERR'"
	return 1
}

expect_out_has()
{
	[[ $OUT == *"$1"* ]] && return 0
	WHY="stdout lacks '$1': '$OUT'"
	return 1
}

# json_check PYTHON-EXPRESSION: true for the JSON in OUT (bound to d).
json_check()
{
	local res

	if ! printf '%s\n' "$OUT" | python3 -m json.tool >/dev/null 2>&1; then
		WHY="not valid JSON: '$OUT'"
		return 1
	fi
	res=$(printf '%s\n' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print("yes" if ('"$1"') else "no")' 2>&1)
	[ "$res" = yes ] && return 0
	WHY="JSON check '$1' failed on '$OUT' ($res)"
	return 1
}

# ---- fake debugfs trees ------------------------------------------------------

# tree NAME: a fake debugfs at $TMP/NAME holding an empty xdpmeta directory.
tree()
{
	mkdir -p "$TMP/$1/xdpmeta"
	touch "$TMP/$1/.xdpmeta-fake-debugfs"
	echo "$TMP/$1/xdpmeta"
}

DEV_HDR="netns ifindex name driver mtu prog_id prog_frags prog_name attach detach refused xmit_calls xmit_frames xmit_errors"

MAIN=$(tree main)
cat >"$MAIN/devices" <<EOF
$DEV_HDR
4026531840 2 veth0 veth 1500 17 1 xdp_redirect 3 2 0 10 120 1
4026532001 15 eth1 virtio_net 9000 0 0 - 0 0 1 0 0 0
EOF
cat >"$MAIN/keys" <<EOF
revision 7
id name size reserved refs comm pid registered_s
0 rx_hash 4 1 0 - 0 0.000000
4 my_mark 8 0 2 xdp-app 1234 12.345678
EOF

# The same devices, columns in another order, plus two new columns.
SHUF=$(tree shuffled)
cat >"$SHUF/devices" <<EOF
xmit_errors name new_count prog_name ifindex netns new_mode driver mtu prog_frags prog_id refused attach detach xmit_frames xmit_calls
1 veth0 5 xdp_redirect 2 4026531840 fast veth 1500 1 17 0 3 2 120 10
0 eth1 6 - 15 4026532001 slow virtio_net 9000 0 0 1 0 0 0 0
EOF

EMPTY=$(tree empty)
echo "$DEV_HDR" >"$EMPTY/devices"

BAD=$(tree bad)
printf '%s\n1 2 veth0\n' "$DEV_HDR" >"$BAD/devices"
printf 'version 3\nid name\n' >"$BAD/keys"

# A debugfs without the module, and a directory that is no debugfs at all.
mkdir -p "$TMP/notloaded" "$TMP/notmounted"
touch "$TMP/notloaded/.xdpmeta-fake-debugfs"
NOTLOADED=$TMP/notloaded/xdpmeta
NOTMOUNTED=$TMP/notmounted/xdpmeta

# The multi-buffer columns. Blockers (a program that is not frags-aware):
# veth0 in the first netns and veth1. veth0 is hooked in two namespaces.
# Only veths have a policy: the module shows - for others.
MB_HDR="$DEV_HDR mb_policy peer_plain mb_linearized mb_dropped mb_passed"

# mbtree NAME: a fake debugfs at $TMP/NAME with those devices and an empty
# mb_policy file (what the tool wrote to it is left there).
mbtree()
{
	local dir

	dir=$(tree "$1")
	cat >"$dir/devices" <<EOT
$MB_HDR
4026531840 2 veth0 veth 9000 17 0 xdp_plain 3 2 0 10 120 1 linearize 1 5 0 0
4026532001 3 veth0 veth 9000 0 0 - 0 0 0 0 0 0 drop 0 0 7 0
4026531840 5 veth1 veth 1500 23 0 xdp_count 1 0 0 0 0 0 pass 0 0 0 2
4026532001 15 eth1 virtio_net 9000 21 1 xdp_frags 1 0 0 0 0 0 - 0 0 0 0
EOT
	: >"$dir/mb_policy"
	echo "$dir"
}

# params NAME MODE POLICY: a fake parameter directory of a loaded module.
params()
{
	local dir=$TMP/$1/xdpmeta/parameters

	mkdir -p "$dir"
	echo "$2" >"$dir/mb_mode"
	echo "$3" >"$dir/mb_policy"
	echo "$dir"
}

MB=$(mbtree mb)
MBP=$(params mbparams compat linearize)

# Every program frags-aware, or none attached.
NOBLK=$(tree noblockers)
cat >"$NOBLK/devices" <<EOF
$MB_HDR
4026531840 2 veth0 veth 9000 17 1 xdp_frags 1 0 0 0 0 0 drop 0 0 0 0
4026531840 3 veth1 veth 9000 0 0 - 0 0 0 0 0 0 linearize 0 0 0 0
EOF

# A module without parameters (its sysfs directory only), and none at all.
mkdir -p "$TMP/oldmodule/xdpmeta"
OLDP=$TMP/oldmodule/xdpmeta/parameters
NOP=$TMP/nomodule/xdpmeta/parameters

if strace -qq -o /dev/null true 2>/dev/null; then
	HAVE_STRACE=1
else
	HAVE_STRACE=0
fi

# ---- tests, one file per command --------------------------------------------

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
for c in dev mb features check prog; do
	# shellcheck disable=SC1090
	. "$HERE/cli_cases_$c.sh"
done

test_case "dev: text table" t_dev_text
test_case "dev: --json" t_dev_json
test_case "dev: --json before the command" t_dev_json_before_command
test_case "dev: column order and new columns" t_dev_column_order
test_case "dev: no devices" t_dev_empty
test_case "dev: malformed file" t_dev_malformed
test_case "key list: text" t_key_list_text
test_case "key list: --json" t_key_list_json
test_case "key list: malformed file" t_key_list_malformed
test_case "file missing from the module" t_file_missing
test_case "module not loaded" t_not_loaded
test_case "debugfs not mounted" t_not_mounted
if [ "$(id -u)" -ne 0 ] || command -v setpriv >/dev/null; then
	test_case "permission denied" t_permission
else
	skip "permission denied" "setpriv not found"
fi
test_case "prefix 'd' is dev" t_prefix_d
test_case "prefix 'de' is dev" t_prefix_de
test_case "prefix 'k l' is key list" t_prefix_nested
test_case "ambiguous prefix" t_ambiguous
test_case "unknown command or option" t_unknown_command
test_case "no command" t_no_command
test_case "-v and --version" t_version
test_case "help" t_help
test_case "key add: bad size" t_key_add_bad_size
test_case "key add: long name" t_key_add_long_name
test_case "key add/del: usage errors" t_key_usage
if [ -e /sys/module/xdpmeta ]; then
	skip "key add: module not loaded" "xdpmeta is loaded on this host"
	skip "key del: module not loaded" "xdpmeta is loaded on this host"
	skip "--verbose" "xdpmeta is loaded on this host"
else
	test_case "key add: module not loaded" t_key_add_not_loaded
	test_case "key del: module not loaded" t_key_del_not_loaded
	test_case "--verbose" t_verbose
fi
test_case "dev: MB column" t_dev_mb_column
test_case "dev: multi-buffer columns in --json" t_dev_mb_json
test_case "mb: text" t_mb_show_text
test_case "mb: --json" t_mb_show_json
test_case "mb: no blockers" t_mb_no_blockers
test_case "mb: mb show, prefixes" t_mb_show_aliases
test_case "mb: module not loaded, or without the parameters" t_mb_show_not_loaded
test_case "mb: devices without prog_frags" t_mb_show_missing_column
test_case "mb mode: sets the parameter" t_mb_mode_set
test_case "mb mode: usage errors" t_mb_mode_usage
test_case "mb mode: module not loaded, or without the parameter" t_mb_mode_not_loaded
test_case "mb mode: write and open errors" t_mb_mode_write_error
if [ "$(id -u)" -ne 0 ] || command -v setpriv >/dev/null; then
	test_case "mb mode: permission denied" t_mb_mode_permission
else
	skip "mb mode: permission denied" "setpriv not found"
fi
test_case "mb policy: a device" t_mb_policy_dev
test_case "mb policy: --netns" t_mb_policy_netns
test_case "mb policy: no such device" t_mb_policy_no_dev
test_case "mb policy: usage errors" t_mb_policy_usage
test_case "mb policy: default" t_mb_policy_default
test_case "mb policy: module without the mb_policy file" t_mb_policy_old_module
if [ "$HAVE_STRACE" -eq 1 ]; then
	test_case "mb mode strict: EBUSY lists the blockers" t_mb_mode_busy
	test_case "mb mode: EINVAL" t_mb_mode_einval
	test_case "mb policy: the module's errors" t_mb_policy_errno
else
	skip "mb mode strict: EBUSY lists the blockers" "strace not usable"
	skip "mb mode: EINVAL" "strace not usable"
	skip "mb policy: the module's errors" "strace not usable"
fi
test_case "mb: help" t_mb_help
test_case "dev features: virtio_net" t_feat_virtio
test_case "dev features: veth" t_feat_veth
test_case "dev features: every device" t_feat_all
test_case "dev features: --netns without DEV" t_feat_netns
test_case "dev features: --json types" t_feat_json
test_case "dev features DEV --json: one object" t_feat_json_dev
test_case "dev features: column order and new columns" t_feat_column_order
test_case "dev features: DEV in several namespaces" t_feat_ambiguous
test_case "dev features: no such device" t_feat_unknown_dev
test_case "dev features: usage errors" t_feat_usage
test_case "dev features: file missing, module not loaded" t_feat_missing_file
test_case "dev features: no devices, malformed file" t_feat_empty_malformed
test_case "dev features: program names without the devices file" t_feat_no_devices_file
test_case "dev: show and features, prefixes" t_dev_group
test_case "dev features: help" t_feat_help
if [ -e "$BPFDIR/req_hash.bpf.o" ]; then
	test_case "check: refused, with the module's words" t_check_refused
	test_case "check: accepted" t_check_accepted
	test_case "check: a line per unmet need" t_check_every_need
	test_case "check: mb mode strict" t_check_mb_strict
	test_case "check: a declaration of a later version" t_check_version
	test_case "check: redirect target" t_check_target
	test_case "check: kfunc calls" t_check_kfuncs
	test_case "check: --json" t_check_json
	test_case "check: module without hint_hash_off" t_check_old_module
	test_case "check: bad input" t_check_bad_input
	test_case "check: an object that crashes libbpf" t_check_libbpf_crash_input
	test_case "check: features file without a column it needs" t_check_missing_column
	test_case "check --chain: a plain entry, the dispatcher installed" t_check_chain_plain
	test_case "check --chain: devmap program, dispatcher" t_check_chain_refused_entry
	test_case "check --chain: requirements without mb mode strict" t_check_chain_requirements
	test_case "check --chain: --json" t_check_chain_json
	test_case "check --chain: usage, module not loaded, bad input" t_check_chain_usage
else
	for t in "refused" "accepted" "line per need" "mb mode strict" "later version" "redirect target" "kfunc calls" "--json" "old module" "bad input" "an object that crashes libbpf" "missing column" \
		"--chain: plain entry" "--chain: refused entry" "--chain: requirements" "--chain: --json" "--chain: usage"; do
		skip "check: $t" "no BPF objects in $BPFDIR (make bpf)"
	done
fi
test_case "check: help" t_check_help
test_case "prog: help" t_prog_help
test_case "prog: usage errors" t_prog_usage
test_case "prog: no such device" t_prog_no_device
if [ -e /sys/module/xdpmeta ]; then
	skip "prog: module not loaded" "xdpmeta is loaded on this host"
else
	test_case "prog: module not loaded" t_prog_not_loaded
fi
test_case "dev features: hash hint switched off" t_feat_hash_off
test_case "dev features: a kernel without xdp_features (6.1)" t_feat_kernel_without_features

echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
[ "$FAILED" -eq 0 ]
