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
# debugfs is not mounted. `key add/del` need the module, which no host has
# loaded: there the tool must say so.
#
# Prints "ok - NAME" or "FAIL - NAME: WHY" per test, then "N passed, N failed".

set -u

if [ $# -ne 1 ] || [ ! -x "$1" ]; then
	echo "Usage: $0 PATH-TO-xdpmeta" >&2
	exit 2
fi
BIN=$(realpath "$1")
unset XDPMETA_DEBUGFS
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

PASSED=0
FAILED=0
OUT=
ERR=
RC=0
WHY=

# run [VAR=VALUE...] ARGS...: runs the tool; sets OUT, ERR and RC.
run()
{
	local envs=()

	while [ $# -gt 0 ] && [[ $1 == XDPMETA_DEBUGFS=* ]]; do
		envs+=("$1")
		shift
	done
	OUT=$(env "${envs[@]}" "$BIN" "$@" 2>"$TMP/stderr")
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

skip()
{
	echo "ok - $1 # SKIP $2"
	PASSED=$((PASSED + 1))
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

# ---- tests -------------------------------------------------------------------

t_dev_text()
{
	local hdr row1 row2 col

	run XDPMETA_DEBUGFS="$MAIN" dev
	expect_rc 0 || return 1
	[ -z "$ERR" ] || { WHY="stderr not empty: $ERR"; return 1; }
	[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 3 ] ||
		{ WHY="expected 3 lines: '$OUT'"; return 1; }
	hdr=$(printf '%s\n' "$OUT" | sed -n 1p)
	row1=$(printf '%s\n' "$OUT" | sed -n 2p)
	row2=$(printf '%s\n' "$OUT" | sed -n 3p)
	for col in NETNS IFINDEX NAME DRIVER MTU PROG ATTACH DETACH REFUSED \
		   XMIT_FRAMES XMIT_ERRORS; do
		[[ " $hdr " == *" $col "* ]] ||
			{ WHY="header lacks $col: '$hdr'"; return 1; }
	done
	[[ $row1 == *"4026531840"*"veth0"*"veth"*"1500"*"17 xdp_redirect frags"* ]] ||
		{ WHY="row 1: '$row1'"; return 1; }
	[[ $row2 == *"eth1"*"virtio_net"*"9000"* ]] ||
		{ WHY="row 2: '$row2'"; return 1; }
	[[ $row2 != *frags* ]] || { WHY="row 2 says frags: '$row2'"; return 1; }
	# Aligned: NAME, DRIVER and PROG start at the same offset on each line.
	local h=${hdr%%NAME*} a=${row1%%veth0*} b=${row2%%eth1*}
	if [ ${#h} -ne ${#a} ] || [ ${#h} -ne ${#b} ]; then
		WHY="NAME column not aligned:"$'\n'"$OUT"
		return 1
	fi
	h=${hdr%%PROG*} a=${row1%%17 xdp*}
	[ ${#h} -eq ${#a} ] ||
		{ WHY="PROG column not aligned:"$'\n'"$OUT"; return 1; }
	[[ $row1 == *" 120  "*" 1" ]] ||
		{ WHY="xmit frames/errors: '$row1'"; return 1; }
}

t_dev_json()
{
	run XDPMETA_DEBUGFS="$MAIN" dev --json
	expect_rc 0 || return 1
	json_check 'len(d) == 2 and d[0] == {"netns": 4026531840, "ifindex": 2, "name": "veth0", "driver": "veth", "mtu": 1500, "prog_id": 17, "prog_frags": 1, "prog_name": "xdp_redirect", "attach": 3, "detach": 2, "refused": 0, "xmit_calls": 10, "xmit_frames": 120, "xmit_errors": 1}' || return 1
	json_check 'd[1]["name"] == "eth1" and d[1]["prog_id"] == 0 and d[1]["prog_name"] == "-" and d[1]["refused"] == 1 and d[1]["ifindex"] == 15'
}

t_dev_json_before_command()
{
	local after

	run XDPMETA_DEBUGFS="$MAIN" dev --json
	after=$OUT
	run XDPMETA_DEBUGFS="$MAIN" --json dev
	expect_rc 0 || return 1
	json_check 'd[0]["name"] == "veth0"' || return 1
	[ "$OUT" = "$after" ] ||
		{ WHY="'--json dev' differs from 'dev --json'"; return 1; }
}

t_dev_column_order()
{
	local text json

	run XDPMETA_DEBUGFS="$MAIN" dev
	text=$OUT
	run XDPMETA_DEBUGFS="$MAIN" dev --json
	json=$OUT
	run XDPMETA_DEBUGFS="$SHUF" dev
	expect_rc 0 || return 1
	[ "$OUT" = "$text" ] ||
		{ WHY="text differs:"$'\n'"$OUT"$'\n'"vs"$'\n'"$text"; return 1; }
	run XDPMETA_DEBUGFS="$SHUF" dev --json
	expect_rc 0 || return 1
	json_check 'all(dict((k, v) for k, v in r.items() if not k.startswith("new_")) == o for r, o in zip(d, '"$json"'))' || return 1
	json_check 'd[0]["new_count"] == 5 and d[1]["new_mode"] == "slow"'
}

t_dev_empty()
{
	run XDPMETA_DEBUGFS="$EMPTY" dev
	expect_rc 0 || return 1
	[ "$OUT" = "no hooked devices" ] ||
		{ WHY="text: '$OUT'"; return 1; }
	run XDPMETA_DEBUGFS="$EMPTY" dev --json
	expect_rc 0 || return 1
	[ "$OUT" = "[]" ] || { WHY="JSON: '$OUT'"; return 1; }
}

t_dev_malformed()
{
	run XDPMETA_DEBUGFS="$BAD" dev
	expect_rc 1 || return 1
	expect_err "Couldn't parse '$BAD/devices': line 2 has 3 fields, the header has 14 (xdpmeta.ko and this xdpmeta do not match: rebuild both)"
}

t_key_list_text()
{
	run XDPMETA_DEBUGFS="$MAIN" key list
	expect_rc 0 || return 1
	[ "$(printf '%s\n' "$OUT" | sed -n 1p)" = "revision 7" ] ||
		{ WHY="first line: '$OUT'"; return 1; }
	[[ $(printf '%s\n' "$OUT" | sed -n 2p) == "ID"*"NAME"*"SIZE"*"REGISTERED_S" ]] ||
		{ WHY="header: '$OUT'"; return 1; }
	[[ $(printf '%s\n' "$OUT" | sed -n 4p) == *"4  my_mark"*"8"*"xdp-app"*"1234"*"12.345678" ]] ||
		{ WHY="my_mark row: '$OUT'"; return 1; }
}

t_key_list_json()
{
	run XDPMETA_DEBUGFS="$MAIN" key list --json
	expect_rc 0 || return 1
	json_check 'd["revision"] == 7 and len(d["keys"]) == 2' || return 1
	json_check 'd["keys"][1] == {"id": 4, "name": "my_mark", "size": 8, "reserved": 0, "refs": 2, "comm": "xdp-app", "pid": 1234, "registered_s": "12.345678"}'
}

t_key_list_malformed()
{
	run XDPMETA_DEBUGFS="$BAD" key list
	expect_rc 1 || return 1
	expect_err "Couldn't parse '$BAD/keys': line 1 is not 'revision N' (xdpmeta.ko and this xdpmeta do not match: rebuild both)"
}

t_file_missing()
{
	run XDPMETA_DEBUGFS="$EMPTY" key list
	expect_rc 1 || return 1
	expect_err "Couldn't read '$EMPTY/keys': the loaded xdpmeta.ko does not provide it (rebuild and reload kmod/xdpmeta.ko)"
}

t_not_loaded()
{
	run XDPMETA_DEBUGFS="$NOTLOADED" dev
	expect_rc 1 || return 1
	expect_err "Couldn't read '$NOTLOADED/devices': xdpmeta is not loaded (insmod kmod/xdpmeta.ko)"
}

t_not_mounted()
{
	run XDPMETA_DEBUGFS="$NOTMOUNTED" dev
	expect_rc 1 || return 1
	expect_err "Couldn't read '$NOTMOUNTED/devices': debugfs is not mounted (mount -t debugfs none $TMP/notmounted)"
}

# As root, chmod 000 does not keep anyone out: drop to nobody.
t_permission()
{
	local perm=$TMP/perm

	mkdir -p "$perm/xdpmeta"
	touch "$perm/.xdpmeta-fake-debugfs"
	cp "$MAIN/devices" "$perm/xdpmeta/devices"
	chmod 000 "$perm/xdpmeta/devices"
	cp "$BIN" "$TMP/xdpmeta"
	chmod 755 "$TMP" "$TMP/xdpmeta"
	if [ "$(id -u)" -eq 0 ]; then
		OUT=$(XDPMETA_DEBUGFS="$perm/xdpmeta" setpriv --reuid=65534 \
		      --regid=65534 --clear-groups "$TMP/xdpmeta" dev \
		      2>"$TMP/stderr")
	else
		OUT=$(XDPMETA_DEBUGFS="$perm/xdpmeta" "$TMP/xdpmeta" dev \
		      2>"$TMP/stderr")
	fi
	RC=$?
	ERR=$(cat "$TMP/stderr")
	expect_rc 1 || return 1
	expect_err "Couldn't read '$perm/xdpmeta/devices': permission denied (run as root)"
}

same_as_dev()
{
	local want

	run XDPMETA_DEBUGFS="$MAIN" dev
	want=$OUT
	run XDPMETA_DEBUGFS="$MAIN" "$@"
	expect_rc 0 || return 1
	expect_out_has "17 xdp_redirect frags" || return 1
	[ "$OUT" = "$want" ] || { WHY="'$*' printed '$OUT'"; return 1; }
}

t_prefix_d() { same_as_dev d; }
t_prefix_de() { same_as_dev de; }

t_prefix_nested()
{
	local want

	run XDPMETA_DEBUGFS="$MAIN" key list
	want=$OUT
	run XDPMETA_DEBUGFS="$MAIN" k l
	expect_rc 0 || return 1
	expect_out_has "my_mark" || return 1
	[ "$OUT" = "$want" ] || { WHY="'k l' printed '$OUT'"; return 1; }
}

# Only the empty prefix fits several of today's commands (dev, key, help).
t_ambiguous()
{
	run XDPMETA_DEBUGFS="$MAIN" ''
	expect_rc 2 || return 1
	expect_err_has "ambiguous command '' (could be dev, key, help)" ||
		return 1
	expect_err_has "Usage: xdpmeta"
}

t_unknown_command()
{
	run XDPMETA_DEBUGFS="$MAIN" frobnicate
	expect_rc 2 || return 1
	expect_err_has "unknown command 'frobnicate'" || return 1
	expect_err_has "Usage: xdpmeta" || return 1
	run XDPMETA_DEBUGFS="$MAIN" key frobnicate
	expect_rc 2 || return 1
	expect_err_has "xdpmeta key: unknown command 'frobnicate'" || return 1
	run XDPMETA_DEBUGFS="$MAIN" dev --frobnicate
	expect_rc 2 || return 1
	expect_err_has "unknown option '--frobnicate'"
}

t_no_command()
{
	run
	expect_rc 2 || return 1
	expect_err_has "Usage: xdpmeta"
}

t_version()
{
	run -v
	expect_rc 0 || return 1
	[ "$OUT" = "xdpmeta 0.1" ] || { WHY="-v printed '$OUT'"; return 1; }
	run --version
	expect_rc 0 || return 1
	[ "$OUT" = "xdpmeta 0.1" ] || { WHY="--version printed '$OUT'"; return 1; }
}

t_help()
{
	run help
	expect_rc 0 || return 1
	expect_out_has "key add NAME SIZE" || return 1
	expect_out_has "dev" || return 1
	run --help
	expect_rc 0 || return 1
	expect_out_has "Usage: xdpmeta" || return 1
	run help key add
	expect_rc 0 || return 1
	expect_out_has "Usage: xdpmeta key add NAME SIZE [--rev N]" || return 1
	run key del -h
	expect_rc 0 || return 1
	expect_out_has "Usage: xdpmeta key del NAME [--rev N]" || return 1
	run help d
	expect_rc 0 || return 1
	expect_out_has "Usage: xdpmeta dev"
}

t_key_add_bad_size()
{
	local size

	for size in 3 32 -4 abc 4x ''; do
		run key add my_key "$size"
		expect_rc 2 || { WHY="size '$size': $WHY"; return 1; }
		expect_err_has "SIZE must be 0, 2, 4, 8 or 16, not '$size'" ||
			return 1
	done
}

t_key_add_long_name()
{
	run key add aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 4
	expect_rc 2 || return 1
	expect_err_has "NAME must have 1 to 31 characters, not 32" || return 1
	run key del aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
	expect_rc 2
}

t_key_usage()
{
	run key add my_key
	expect_rc 2 || return 1
	expect_err_has "missing argument" || return 1
	run key add my_key 4 extra
	expect_rc 2 || return 1
	run key del my_key --rev x
	expect_rc 2 || return 1
	expect_err_has "--rev needs a revision number, not 'x'" || return 1
	run key del my_key --rev
	expect_rc 2 || return 1
	expect_err_has "option --rev needs a value"
}

t_key_add_not_loaded()
{
	# 31 characters: the longest valid name passes the usage checks.
	run key add aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 16 --rev=3
	expect_rc 1 || return 1
	expect_err "Couldn't add key 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa': xdpmeta is not loaded (insmod kmod/xdpmeta.ko)" || return 1
	run --json key add my_key 0
	expect_rc 1 || return 1
	expect_err "Couldn't add key 'my_key': xdpmeta is not loaded (insmod kmod/xdpmeta.ko)"
}

t_key_del_not_loaded()
{
	run key del my_key --rev 9
	expect_rc 1 || return 1
	expect_err "Couldn't delete key 'my_key': xdpmeta is not loaded (insmod kmod/xdpmeta.ko)"
}

t_verbose()
{
	run XDPMETA_DEBUGFS="$MAIN" --verbose dev
	expect_rc 0 || return 1
	run --verbose key add my_key 4
	expect_rc 1 || return 1
	expect_err_has "libbpf: " || return 1
	expect_err_has "Couldn't add key 'my_key'"
}

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

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
