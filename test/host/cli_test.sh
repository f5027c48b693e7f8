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
# Prints "ok - NAME" or "FAIL - NAME: WHY" per test, then "N passed, N failed".

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
		   XMIT_FRAMES XMIT_ERRORS SKB_HINTS; do
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
	# the fake module has no skb_hints column: "-" (an older module)
	[[ $row1 == *" 120  "*" 1  "*" -" ]] ||
		{ WHY="xmit frames/errors, skb hints: '$row1'"; return 1; }
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
	run_unprivileged XDPMETA_DEBUGFS="$perm/xdpmeta" dev
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

# Only the empty prefix fits several of today's commands (dev, key, mb,
# help).
t_ambiguous()
{
	run XDPMETA_DEBUGFS="$MAIN" ''
	expect_rc 2 || return 1
	expect_err_has "ambiguous command '' (could be check, dev, key, mb, help)" ||
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

# ---- mb

t_dev_mb_column()
{
	local hdr row1 row2 row4 h a

	run XDPMETA_DEBUGFS="$MB" dev
	expect_rc 0 || return 1
	[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 7 ] ||
		{ WHY="expected 7 lines: '$OUT'"; return 1; }
	hdr=$(printf '%s\n' "$OUT" | sed -n 1p)
	row1=$(printf '%s\n' "$OUT" | sed -n 2p)
	row2=$(printf '%s\n' "$OUT" | sed -n 3p)
	row4=$(printf '%s\n' "$OUT" | sed -n 5p)
	[[ $hdr == *" PROG "*" MB "*" ATTACH "* ]] ||
		{ WHY="header: '$hdr'"; return 1; }
	[[ $row1 == *"17 xdp_plain "*" linearize* "* ]] ||
		{ WHY="row 1: '$row1'"; return 1; }
	[[ $row2 == *" drop "* && $row2 != *"*"* ]] ||
		{ WHY="row 2: '$row2'"; return 1; }
	[[ $row4 == *"21 xdp_frags frags  -  "* ]] ||
		{ WHY="row 4: '$row4'"; return 1; }
	h=${hdr%%MB *} a=${row1%%linearize\**}
	[ ${#h} -eq ${#a} ] || { WHY="MB column not aligned:"$'\n'"$OUT"; return 1; }
	expect_out_has $'\n''*: the peer runs a program that is not frags-aware' ||
		return 1
	# Without a * there is no note; an older module's MB column is -.
	run XDPMETA_DEBUGFS="$NOBLK" dev
	expect_rc 0 || return 1
	[[ $OUT != *"*"* ]] || { WHY="note without a *: '$OUT'"; return 1; }
	run XDPMETA_DEBUGFS="$MAIN" dev
	[[ $(printf '%s\n' "$OUT" | sed -n 2p) == *" xdp_redirect frags  -  "* ]] ||
		{ WHY="MB of an older module: '$OUT'"; return 1; }
}

t_dev_mb_json()
{
	run XDPMETA_DEBUGFS="$MB" dev --json
	expect_rc 0 || return 1
	json_check 'len(d) == 4 and d[0]["mb_policy"] == "linearize" and d[0]["peer_plain"] == 1 and d[0]["mb_linearized"] == 5 and d[1]["mb_dropped"] == 7 and d[2]["mb_passed"] == 2'
}

t_mb_show_text()
{
	local want

	run XDPMETA_DEBUGFS="$MB" XDPMETA_SYSFS_PARAMS="$MBP" mb
	expect_rc 0 || return 1
	[ -z "$ERR" ] || { WHY="stderr not empty: $ERR"; return 1; }
	want="mode            compat
default policy  linearize

NAME        NETNS  IFINDEX  DRIVER      POLICY     PEER_PLAIN  LINEARIZED  DROPPED  PASSED
veth0  4026531840        2  veth        linearize           1           5        0       0
veth0  4026532001        3  veth        drop                0           0        7       0
veth1  4026531840        5  veth        pass                0           0        0       2
eth1   4026532001       15  virtio_net  -                   0           0        0       0

strict would be refused by:
  prog 17 xdp_plain on veth0 (netns 4026531840)
  prog 23 xdp_count on veth1 (netns 4026531840)"
	[ "$OUT" = "$want" ] ||
		{ WHY="printed:"$'\n'"$OUT"$'\n'"expected:"$'\n'"$want"; return 1; }
}

t_mb_show_json()
{
	run XDPMETA_DEBUGFS="$MB" XDPMETA_SYSFS_PARAMS="$MBP" mb --json
	expect_rc 0 || return 1
	json_check 'sorted(d) == ["blockers", "default_policy", "devices", "mode"] and d["mode"] == "compat" and d["default_policy"] == "linearize"' || return 1
	json_check 'len(d["devices"]) == 4 and d["devices"][0] == {"name": "veth0", "netns": 4026531840, "ifindex": 2, "driver": "veth", "mb_policy": "linearize", "peer_plain": 1, "mb_linearized": 5, "mb_dropped": 0, "mb_passed": 0} and d["devices"][3]["driver"] == "virtio_net" and d["devices"][3]["mb_policy"] == "-"' || return 1
	json_check 'd["blockers"] == [{"prog_id": 17, "prog_name": "xdp_plain", "dev": "veth0", "netns": 4026531840}, {"prog_id": 23, "prog_name": "xdp_count", "dev": "veth1", "netns": 4026531840}]'
}

t_mb_no_blockers()
{
	local p

	p=$(params noblkparams strict drop)
	run XDPMETA_DEBUGFS="$NOBLK" XDPMETA_SYSFS_PARAMS="$p" mb
	expect_rc 0 || return 1
	expect_out_has "mode            strict" || return 1
	[ "$(printf '%s\n' "$OUT" | tail -n 1)" = "no blockers: strict can be set" ] ||
		{ WHY="last line: '$OUT'"; return 1; }
	[[ $OUT != *"refused by"* ]] || { WHY="lists blockers: '$OUT'"; return 1; }
	run XDPMETA_DEBUGFS="$NOBLK" XDPMETA_SYSFS_PARAMS="$p" mb --json
	expect_rc 0 || return 1
	json_check 'd["blockers"] == [] and len(d["devices"]) == 2 and d["default_policy"] == "drop"' || return 1
	run XDPMETA_DEBUGFS="$EMPTY" XDPMETA_SYSFS_PARAMS="$p" mb
	expect_rc 0 || return 1
	expect_out_has $'\n''no hooked devices'$'\n\n''no blockers'
}

t_mb_show_aliases()
{
	local want args

	run XDPMETA_DEBUGFS="$MB" XDPMETA_SYSFS_PARAMS="$MBP" mb
	want=$OUT
	for args in "mb show" "m" "m s" "--json m --json"; do
		# shellcheck disable=SC2086
		run XDPMETA_DEBUGFS="$MB" XDPMETA_SYSFS_PARAMS="$MBP" $args
		expect_rc 0 || { WHY="'$args': $WHY"; return 1; }
		if [[ $args == *--json* ]]; then
			json_check 'd["mode"] == "compat"' || return 1
		else
			[ "$OUT" = "$want" ] ||
				{ WHY="'$args' printed '$OUT'"; return 1; }
		fi
	done
}

t_mb_show_not_loaded()
{
	run XDPMETA_DEBUGFS="$MB" XDPMETA_SYSFS_PARAMS="$NOP" mb
	expect_rc 1 || return 1
	expect_err "Couldn't read '$NOP/mb_mode': xdpmeta is not loaded (insmod kmod/xdpmeta.ko)" || return 1
	run XDPMETA_DEBUGFS="$MB" XDPMETA_SYSFS_PARAMS="$OLDP" mb
	expect_rc 1 || return 1
	expect_err "Couldn't read '$OLDP/mb_mode': the loaded xdpmeta.ko has no parameter mb_mode (rebuild and reload kmod/xdpmeta.ko)" || return 1
	run XDPMETA_DEBUGFS="$NOTLOADED" XDPMETA_SYSFS_PARAMS="$MBP" mb
	expect_rc 1 || return 1
	expect_err "Couldn't read '$NOTLOADED/devices': xdpmeta is not loaded (insmod kmod/xdpmeta.ko)"
}

# Blockers need prog_id and prog_frags: a module without them is refused.
t_mb_show_missing_column()
{
	local d

	d=$(tree nofrags)
	printf 'netns ifindex name prog_id\n1 2 veth0 17\n' >"$d/devices"
	run XDPMETA_DEBUGFS="$d" XDPMETA_SYSFS_PARAMS="$MBP" mb
	expect_rc 1 || return 1
	expect_err "Couldn't parse '$d/devices': no column 'prog_frags' (xdpmeta.ko and this xdpmeta do not match: rebuild both)"
}

t_mb_mode_set()
{
	local p mode

	p=$(params modeset off linearize)
	for mode in strict compat off; do
		run XDPMETA_SYSFS_PARAMS="$p" mb mode "$mode"
		expect_rc 0 || return 1
		[ "$OUT" = "mb mode $mode" ] || { WHY="printed '$OUT'"; return 1; }
		[ "$(cat "$p/mb_mode")" = "$mode" ] ||
			{ WHY="mb_mode holds '$(cat "$p/mb_mode")'"; return 1; }
	done
	# One line, the value and a newline, as `echo off >` would write.
	[ "$(od -An -c "$p/mb_mode" | tr -s ' ')" = " o f f \n" ] ||
		{ WHY="bytes: $(od -An -c "$p/mb_mode")"; return 1; }
	run XDPMETA_SYSFS_PARAMS="$p" --json mb mo strict
	expect_rc 0 || return 1
	json_check 'd == {"mode": "strict"}' || return 1
	[ "$(cat "$p/mb_policy")" = linearize ] ||
		{ WHY="mb_policy changed"; return 1; }
}

t_mb_mode_usage()
{
	local p

	p=$(params modeusage compat linearize)
	run XDPMETA_SYSFS_PARAMS="$p" mb mode fast
	expect_rc 2 || return 1
	expect_err_has "xdpmeta mb mode: MODE must be strict, compat or off, not 'fast'" || return 1
	expect_err_has "Usage: xdpmeta mb mode strict|compat|off" || return 1
	run XDPMETA_SYSFS_PARAMS="$p" mb mode Strict
	expect_rc 2 || return 1
	run XDPMETA_SYSFS_PARAMS="$p" mb mode
	expect_rc 2 || return 1
	expect_err_has "missing argument" || return 1
	run XDPMETA_SYSFS_PARAMS="$p" mb mode off on
	expect_rc 2 || return 1
	[ "$(cat "$p/mb_mode")" = compat ] ||
		{ WHY="mb_mode changed to '$(cat "$p/mb_mode")'"; return 1; }
}

t_mb_mode_not_loaded()
{
	run XDPMETA_SYSFS_PARAMS="$NOP" mb mode strict
	expect_rc 1 || return 1
	expect_err "Couldn't set 'mb mode strict': xdpmeta is not loaded (insmod kmod/xdpmeta.ko)" || return 1
	run XDPMETA_SYSFS_PARAMS="$OLDP" mb mode off
	expect_rc 1 || return 1
	expect_err "Couldn't set 'mb mode off': the loaded xdpmeta.ko has no parameter mb_mode (rebuild and reload kmod/xdpmeta.ko)" || return 1
	[ ! -e "$OLDP" ] || { WHY="created $OLDP"; return 1; }
}

# Files that really fail: /dev/full fails write(), a directory open().
t_mb_mode_write_error()
{
	local p

	p=$(params modefull compat linearize)
	ln -sf /dev/full "$p/mb_mode"
	run XDPMETA_SYSFS_PARAMS="$p" mb mode off
	expect_rc 1 || return 1
	expect_err "Couldn't set 'mb mode off': $p/mb_mode: No space left on device" || return 1
	rm "$p/mb_mode"
	mkdir "$p/mb_mode"
	run XDPMETA_SYSFS_PARAMS="$p" mb mode off
	expect_rc 1 || return 1
	expect_err "Couldn't set 'mb mode off': $p/mb_mode: Is a directory"
}

t_mb_mode_permission()
{
	local p

	p=$(params modeperm compat linearize)
	chmod 444 "$p/mb_mode"
	run_unprivileged XDPMETA_SYSFS_PARAMS="$p" mb mode off
	expect_rc 1 || return 1
	expect_err "Couldn't set 'mb mode off': permission denied (run as root)" || return 1
	[ "$(cat "$p/mb_mode")" = compat ] || { WHY="mb_mode changed"; return 1; }
}

t_mb_mode_busy()
{
	local p

	p=$(params modebusy compat linearize)
	run_inject EBUSY XDPMETA_DEBUGFS="$MB" XDPMETA_SYSFS_PARAMS="$p" \
		mb mode strict
	expect_injected 'strict\n' EBUSY || return 1
	expect_rc 1 || return 1
	expect_err "Couldn't set 'mb mode strict': programs that are not frags-aware are attached (detach them, or load them with SEC(\"xdp.frags\") / BPF_F_XDP_HAS_FRAGS):
  prog 17 xdp_plain on veth0 (netns 4026531840)
  prog 23 xdp_count on veth1 (netns 4026531840)" || return 1
	[ -z "$OUT" ] || { WHY="stdout: '$OUT'"; return 1; }
	# No blocker left by the time the devices are read.
	run_inject EBUSY XDPMETA_DEBUGFS="$NOBLK" XDPMETA_SYSFS_PARAMS="$p" \
		mb mode strict
	expect_injected 'strict\n' EBUSY || return 1
	expect_rc 1 || return 1
	expect_err_has $':\n  (none left in '"$NOBLK"'/devices: try again)' || return 1
	# EBUSY for another mode is no blocker story.
	run_inject EBUSY XDPMETA_DEBUGFS="$MB" XDPMETA_SYSFS_PARAMS="$p" \
		mb mode off
	expect_injected 'off\n' EBUSY || return 1
	expect_rc 1 || return 1
	expect_err "Couldn't set 'mb mode off': $p/mb_mode: Device or resource busy"
}

t_mb_mode_einval()
{
	local p

	p=$(params modeinval compat linearize)
	run_inject EINVAL XDPMETA_SYSFS_PARAMS="$p" mb mode off
	expect_injected 'off\n' EINVAL || return 1
	expect_rc 1 || return 1
	expect_err "Couldn't set 'mb mode off': xdpmeta.ko refused it (xdpmeta.ko and this xdpmeta do not match: rebuild both)"
}

t_mb_policy_dev()
{
	local d

	d=$(mbtree policydev)
	run XDPMETA_DEBUGFS="$d" mb policy veth1 drop
	expect_rc 0 || return 1
	[ "$OUT" = "veth1: mb policy drop" ] || { WHY="printed '$OUT'"; return 1; }
	[ "$(cat "$d/mb_policy")" = "4026531840 5 drop" ] ||
		{ WHY="mb_policy holds '$(cat "$d/mb_policy")'"; return 1; }
	[ "$(tail -c 1 "$d/mb_policy" | od -An -c | tr -d ' ')" = '\n' ] ||
		{ WHY="no newline: $(od -An -c "$d/mb_policy")"; return 1; }
	run XDPMETA_DEBUGFS="$d" mb pol veth1 linearize --json
	expect_rc 0 || return 1
	json_check 'd == {"dev": "veth1", "netns": 4026531840, "ifindex": 5, "mb_policy": "linearize"}' || return 1
	[ "$(cat "$d/mb_policy")" = "4026531840 5 linearize" ] ||
		{ WHY="mb_policy holds '$(cat "$d/mb_policy")'"; return 1; }
}

t_mb_policy_netns()
{
	local d

	d=$(mbtree policynetns)
	run XDPMETA_DEBUGFS="$d" mb policy veth0 pass
	expect_rc 2 || return 1
	expect_err_has "xdpmeta mb policy: veth0 is hooked in several network namespaces (4026531840, 4026532001): choose one with --netns N" || return 1
	expect_err_has "Usage: xdpmeta mb policy DEV POLICY [--netns N]" || return 1
	[ ! -s "$d/mb_policy" ] || { WHY="wrote '$(cat "$d/mb_policy")'"; return 1; }
	run XDPMETA_DEBUGFS="$d" mb policy veth0 pass --netns 4026532001
	expect_rc 0 || return 1
	[ "$(cat "$d/mb_policy")" = "4026532001 3 pass" ] ||
		{ WHY="mb_policy holds '$(cat "$d/mb_policy")'"; return 1; }
	run XDPMETA_DEBUGFS="$d" mb policy --netns=4026531840 veth0 drop
	expect_rc 0 || return 1
	[ "$(cat "$d/mb_policy")" = "4026531840 2 drop" ] ||
		{ WHY="mb_policy holds '$(cat "$d/mb_policy")'"; return 1; }
}

t_mb_policy_no_dev()
{
	local d

	d=$(mbtree policynodev)
	run XDPMETA_DEBUGFS="$d" mb policy veth9 drop
	expect_rc 1 || return 1
	expect_err "Couldn't set 'mb policy veth9 drop': no such hooked device" || return 1
	run XDPMETA_DEBUGFS="$d" mb policy veth1 drop --netns 4026532001
	expect_rc 1 || return 1
	expect_err "Couldn't set 'mb policy veth1 drop': no such hooked device in netns 4026532001" || return 1
	# With --netns, "default" is a device's name.
	run XDPMETA_DEBUGFS="$d" XDPMETA_SYSFS_PARAMS="$NOP" \
		mb policy default drop --netns 4026531840
	expect_rc 1 || return 1
	expect_err "Couldn't set 'mb policy default drop': no such hooked device in netns 4026531840" || return 1
	[ ! -s "$d/mb_policy" ] || { WHY="wrote '$(cat "$d/mb_policy")'"; return 1; }
	run XDPMETA_DEBUGFS="$NOTLOADED" mb policy veth1 drop
	expect_rc 1 || return 1
	expect_err "Couldn't read '$NOTLOADED/devices': xdpmeta is not loaded (insmod kmod/xdpmeta.ko)"
}

t_mb_policy_usage()
{
	local d

	d=$(mbtree policyusage)
	run XDPMETA_DEBUGFS="$d" mb policy veth1 copy
	expect_rc 2 || return 1
	expect_err_has "POLICY must be linearize, drop or pass, not 'copy'" || return 1
	run XDPMETA_DEBUGFS="$d" mb policy veth1 drop --netns init
	expect_rc 2 || return 1
	expect_err_has "--netns needs a namespace inode number, not 'init'" || return 1
	run XDPMETA_DEBUGFS="$d" mb policy veth1
	expect_rc 2 || return 1
	expect_err_has "missing argument" || return 1
	run XDPMETA_DEBUGFS="$d" mb policy default
	expect_rc 2 || return 1
	run XDPMETA_DEBUGFS="$d" mb policy veth1 drop --netns
	expect_rc 2 || return 1
	expect_err_has "option --netns needs a value" || return 1
	[ ! -s "$d/mb_policy" ] || { WHY="wrote '$(cat "$d/mb_policy")'"; return 1; }
}

t_mb_policy_default()
{
	local d p

	d=$(mbtree policydefault)
	p=$(params policydefaultp compat linearize)
	run XDPMETA_DEBUGFS="$d" XDPMETA_SYSFS_PARAMS="$p" mb policy default pass
	expect_rc 0 || return 1
	[ "$OUT" = "default: mb policy pass" ] || { WHY="printed '$OUT'"; return 1; }
	[ "$(cat "$p/mb_policy")" = pass ] ||
		{ WHY="mb_policy holds '$(cat "$p/mb_policy")'"; return 1; }
	[ ! -s "$d/mb_policy" ] || { WHY="wrote a device's policy"; return 1; }
	run XDPMETA_DEBUGFS="$d" XDPMETA_SYSFS_PARAMS="$p" --json mb p default drop
	expect_rc 0 || return 1
	json_check 'd == {"default_policy": "drop"}' || return 1
	[ "$(cat "$p/mb_policy")" = drop ] ||
		{ WHY="mb_policy holds '$(cat "$p/mb_policy")'"; return 1; }
	run XDPMETA_SYSFS_PARAMS="$NOP" mb policy default drop
	expect_rc 1 || return 1
	expect_err "Couldn't set 'mb policy default drop': xdpmeta is not loaded (insmod kmod/xdpmeta.ko)"
}

t_mb_policy_old_module()
{
	local d

	d=$(mbtree policyold)
	rm "$d/mb_policy"
	run XDPMETA_DEBUGFS="$d" mb policy veth1 drop
	expect_rc 1 || return 1
	expect_err "Couldn't write '$d/mb_policy': the loaded xdpmeta.ko does not provide it (rebuild and reload kmod/xdpmeta.ko)" || return 1
	[ ! -e "$d/mb_policy" ] || { WHY="created $d/mb_policy"; return 1; }
}

# The module's answers to "NETNS IFINDEX POLICY", injected.
t_mb_policy_errno()
{
	local d

	d=$(mbtree policyerrno)
	run_inject EOPNOTSUPP XDPMETA_DEBUGFS="$d" mb policy eth1 drop
	expect_injected '4026532001 15 drop\n' EOPNOTSUPP || return 1
	expect_rc 1 || return 1
	expect_err "Couldn't set 'mb policy eth1 drop': only veth devices have a redirect policy (the shim wraps veth's ndo_xdp_xmit)" || return 1
	run_inject ENODEV XDPMETA_DEBUGFS="$d" mb policy veth1 drop
	expect_injected '4026531840 5 drop\n' ENODEV || return 1
	expect_rc 1 || return 1
	expect_err "Couldn't set 'mb policy veth1 drop': no such hooked device" || return 1
	run_inject EINVAL XDPMETA_DEBUGFS="$d" mb policy veth1 pass
	expect_injected '4026531840 5 pass\n' EINVAL || return 1
	expect_rc 1 || return 1
	expect_err "Couldn't set 'mb policy veth1 pass': xdpmeta.ko refused it (xdpmeta.ko and this xdpmeta do not match: rebuild both)" || return 1
	run_inject EIO XDPMETA_DEBUGFS="$d" mb policy veth1 pass
	expect_injected '4026531840 5 pass\n' EIO || return 1
	expect_rc 1 || return 1
	expect_err "Couldn't set 'mb policy veth1 pass': $d/mb_policy: Input/output error"
}

t_mb_help()
{
	run help mb
	expect_rc 0 || return 1
	expect_out_has "Usage: xdpmeta mb [{show|mode|policy} [ARGS]]" || return 1
	expect_out_has "policy DEV POLICY [--netns N]" || return 1
	run mb policy -h
	expect_rc 0 || return 1
	expect_out_has "Usage: xdpmeta mb policy DEV POLICY [--netns N]" || return 1
	run help
	expect_rc 0 || return 1
	expect_out_has "mb mode strict|compat|off" || return 1
	run mb frobnicate
	expect_rc 2 || return 1
	expect_err_has "xdpmeta mb: unknown command 'frobnicate'"
}

# ---- dev features

# The columns of <debugfs>/features, and two this version does not know.
FEAT_HDR="netns ifindex name driver xdp_features basic redirect ndo_xmit rx_sg ndo_xmit_sg xsk_zerocopy max_mtu_plain mtu hint_hash hint_vlan hint_timestamp store mb_mode prog_id prog_frags"

# veth0 is hooked in two namespaces: its peer runs no program in the first
# (no ndo_xmit), one in the second. veth2 has no peer (no XDP at all, mtu
# 0). eth1 runs program 21, which the devices file does not know (22 by
# then): no name.
feattree()
{
	local dir

	dir=$(tree "$1")
	cat >"$dir/features" <<EOT
$FEAT_HDR new_level new_count
4026531840 2 veth0 veth 0x23 1 1 0 1 0 0 3504 9000 1 1 1 1 compat 17 0 high 1
4026532001 3 veth0 veth 0x67 1 1 1 1 1 0 3504 1500 1 1 1 1 compat 0 0 low 2
4026531840 4 eth0 virtio_net 0x27 1 1 1 1 0 0 3506 1500 0 0 0 1 compat 5 0 high 3
4026532001 15 eth1 virtio_net 0xb 1 1 0 0 0 1 3506 9000 1 0 0 1 compat 21 1 low 4
4026531840 7 veth2 veth 0 0 0 0 0 0 0 3504 0 1 1 1 1 compat 0 0 high 5
EOT
	cat >"$dir/devices" <<EOT
$DEV_HDR
4026531840 2 veth0 veth 9000 17 0 xdp_plain 1 0 0 0 0 0
4026532001 3 veth0 veth 1500 0 0 - 0 0 0 0 0 0
4026531840 4 eth0 virtio_net 1500 5 0 xdp_count 1 0 0 0 0 0
4026532001 15 eth1 virtio_net 9000 22 1 xdp_frags 2 1 0 0 0 0
4026531840 7 veth2 veth 1500 0 0 - 0 0 0 0 0 0
EOT
	echo "$dir"
}

FEAT=$(feattree features)

FEAT_VETH0="veth0 (veth, netns 4026531840, ifindex 2)
  XDP actions:       basic (drop, pass, tx), redirect
                     redirect target (ndo_xmit) no: the device cannot receive XDP_REDIRECT frames (veth: attach an XDP program to its peer)
  multi-buffer:      rx yes, as redirect target no
  AF_XDP zero-copy:  no: AF_XDP sockets on it work in copy mode
  non-frags program: up to peer MTU 3504 (now 9000: only frags-aware programs can be attached)
  RX hints:          hash yes, vlan yes, timestamp yes
  xdpmeta store:     yes
  mb mode:           compat
  program:           17 xdp_plain (not frags-aware)"

FEAT_VETH0B="veth0 (veth, netns 4026532001, ifindex 3)
  XDP actions:       basic (drop, pass, tx), redirect, redirect target (ndo_xmit)
  multi-buffer:      rx yes, as redirect target yes
  AF_XDP zero-copy:  no: AF_XDP sockets on it work in copy mode
  non-frags program: up to peer MTU 3504 (now 1500)
  RX hints:          hash yes, vlan yes, timestamp yes
  xdpmeta store:     yes
  mb mode:           compat
  program:           none"

FEAT_ETH0="eth0 (virtio_net, netns 4026531840, ifindex 4)
  XDP actions:       basic (drop, pass, tx), redirect, redirect target (ndo_xmit)
  multi-buffer:      rx yes, as redirect target no
                     as redirect target no: multi-buffer frames redirected into it are dropped
  AF_XDP zero-copy:  no: AF_XDP sockets on it work in copy mode
  non-frags program: up to MTU 3506 (now 1500)
  RX hints:          hash no, vlan no, timestamp no
                     no: programs cannot read that hint (bpf_xdp_metadata_rx_* returns -EOPNOTSUPP)
  xdpmeta store:     yes
  mb mode:           compat
  program:           5 xdp_count (not frags-aware)"

# No "(veth: ...)" advice for another driver.
FEAT_ETH1="eth1 (virtio_net, netns 4026532001, ifindex 15)
  XDP actions:       basic (drop, pass, tx), redirect
                     redirect target (ndo_xmit) no: the device cannot receive XDP_REDIRECT frames
  multi-buffer:      rx no, as redirect target no
                     rx no: the driver cannot build multi-buffer frames, even for a frags-aware program
  AF_XDP zero-copy:  yes
  non-frags program: up to MTU 3506 (now 9000: only frags-aware programs can be attached)
  RX hints:          hash yes, vlan no, timestamp no
                     no: programs cannot read that hint (bpf_xdp_metadata_rx_* returns -EOPNOTSUPP)
  xdpmeta store:     yes
  mb mode:           compat
  program:           21 (frags-aware)"

FEAT_VETH2="veth2 (veth, netns 4026531840, ifindex 7)
  XDP actions:       none
                     basic (drop, pass, tx) no: the driver runs no XDP program natively (veth: it needs a peer, with no more TX queues than it has RX queues)
                     redirect no: its programs cannot use XDP_REDIRECT
                     redirect target (ndo_xmit) no: the device cannot receive XDP_REDIRECT frames
  multi-buffer:      rx no, as redirect target no
                     rx no: the driver cannot build multi-buffer frames, even for a frags-aware program
  AF_XDP zero-copy:  no: AF_XDP sockets on it work in copy mode
  non-frags program: up to peer MTU 3504 (no peer)
  RX hints:          hash yes, vlan yes, timestamp yes
  xdpmeta store:     yes
  mb mode:           compat
  program:           none"

# expect_out TEXT: stdout is exactly TEXT and stderr is empty.
expect_out()
{
	[ "$OUT" = "$1" ] ||
		{ WHY="printed:"$'\n'"$OUT"$'\n'"expected:"$'\n'"$1"; return 1; }
	[ -z "$ERR" ] || { WHY="stderr not empty: $ERR"; return 1; }
}

t_feat_virtio()
{
	run XDPMETA_DEBUGFS="$FEAT" dev features eth0
	expect_rc 0 || return 1
	expect_out "$FEAT_ETH0" || return 1
	run XDPMETA_DEBUGFS="$FEAT" dev features eth1
	expect_rc 0 || return 1
	expect_out "$FEAT_ETH1"
}

t_feat_veth()
{
	run XDPMETA_DEBUGFS="$FEAT" dev features veth0 --netns 4026531840
	expect_rc 0 || return 1
	expect_out "$FEAT_VETH0" || return 1
	run XDPMETA_DEBUGFS="$FEAT" dev features --netns=4026532001 veth0
	expect_rc 0 || return 1
	expect_out "$FEAT_VETH0B" || return 1
	run XDPMETA_DEBUGFS="$FEAT" dev features veth2
	expect_rc 0 || return 1
	expect_out "$FEAT_VETH2"
}

t_feat_all()
{
	run XDPMETA_DEBUGFS="$FEAT" dev features
	expect_rc 0 || return 1
	expect_out "$FEAT_VETH0

$FEAT_VETH0B

$FEAT_ETH0

$FEAT_ETH1

$FEAT_VETH2"
}

# Without DEV, --netns keeps one namespace's devices.
t_feat_netns()
{
	run XDPMETA_DEBUGFS="$FEAT" dev features --netns 4026532001
	expect_rc 0 || return 1
	expect_out "$FEAT_VETH0B

$FEAT_ETH1" || return 1
	run XDPMETA_DEBUGFS="$FEAT" dev features --netns 1
	expect_rc 0 || return 1
	expect_out "no hooked devices in netns 1" || return 1
	run XDPMETA_DEBUGFS="$FEAT" dev features --netns 4026532001 --json
	expect_rc 0 || return 1
	json_check '[(r["name"], r["ifindex"]) for r in d] == [("veth0", 3), ("eth1", 15)]'
}

FEAT_FLAGS='["basic", "redirect", "ndo_xmit", "rx_sg", "ndo_xmit_sg", "xsk_zerocopy", "hint_hash", "hint_vlan", "hint_timestamp", "store", "prog_frags"]'
FEAT_INTS='["netns", "ifindex", "xdp_features", "max_mtu_plain", "mtu", "prog_id"]'

t_feat_json()
{
	run XDPMETA_DEBUGFS="$FEAT" dev features --json
	expect_rc 0 || return 1
	json_check 'type(d) is list and len(d) == 5' || return 1
	# True == 1 in Python: check the types themselves.
	json_check 'all(type(r[k]) is bool for r in d for k in '"$FEAT_FLAGS"')' || return 1
	json_check 'all(type(r[k]) is int for r in d for k in '"$FEAT_INTS"')' || return 1
	json_check 'all(type(r[k]) is str for r in d for k in ["name", "driver", "mb_mode", "new_level"])' || return 1
	json_check '[r["xdp_features"] for r in d] == [0x23, 0x67, 0x27, 0xb, 0]' || return 1
	json_check 'd[0] == {"netns": 4026531840, "ifindex": 2, "name": "veth0", "driver": "veth", "xdp_features": 35, "basic": True, "redirect": True, "ndo_xmit": False, "rx_sg": True, "ndo_xmit_sg": False, "xsk_zerocopy": False, "max_mtu_plain": 3504, "mtu": 9000, "hint_hash": True, "hint_vlan": True, "hint_timestamp": True, "store": True, "mb_mode": "compat", "prog_id": 17, "prog_frags": False, "new_level": "high", "new_count": 1}' || return 1
	json_check 'd[3]["prog_frags"] is True and d[3]["xsk_zerocopy"] is True and d[3]["rx_sg"] is False and d[4]["new_count"] == 5'
}

t_feat_json_dev()
{
	run XDPMETA_DEBUGFS="$FEAT" dev features eth0 --json
	expect_rc 0 || return 1
	json_check 'type(d) is dict and d["name"] == "eth0" and d["ifindex"] == 4 and d["ndo_xmit"] is True and d["ndo_xmit_sg"] is False and d["prog_id"] == 5 and d["xdp_features"] == 0x27' || return 1
	run XDPMETA_DEBUGFS="$FEAT" --json dev features veth0 --netns 4026532001
	expect_rc 0 || return 1
	json_check 'type(d) is dict and d["ifindex"] == 3 and d["ndo_xmit"] is True and d["new_level"] == "low"'
}

# The columns are found by name: any order gives the same output.
t_feat_column_order()
{
	local d text json

	d=$(feattree featshuf)
	awk '{ print $20, $3, $22, $5, $1, $14, $2, $4, $6, $7, $8, $9, $10, $11, $12, $13, $15, $16, $17, $18, $19, $21 }' \
		"$FEAT/features" >"$d/features"
	run XDPMETA_DEBUGFS="$FEAT" dev features
	text=$OUT
	run XDPMETA_DEBUGFS="$FEAT" dev features --json
	json=$OUT
	run XDPMETA_DEBUGFS="$d" dev features
	expect_rc 0 || return 1
	expect_out "$text" || return 1
	run XDPMETA_DEBUGFS="$d" dev features --json
	expect_rc 0 || return 1
	json_check 'd == '"$(printf '%s' "$json" | sed 's/true/True/g; s/false/False/g')"
}

t_feat_ambiguous()
{
	run XDPMETA_DEBUGFS="$FEAT" dev features veth0
	expect_rc 2 || return 1
	expect_err_has "xdpmeta dev features: veth0 is hooked in several network namespaces (4026531840, 4026532001): choose one with --netns N" || return 1
	expect_err_has "Usage: xdpmeta dev features [DEV] [--netns N] [--json]" || return 1
	[ -z "$OUT" ] || { WHY="stdout: '$OUT'"; return 1; }
	run XDPMETA_DEBUGFS="$FEAT" --json dev features veth0
	expect_rc 2 || return 1
	[ -z "$OUT" ] || { WHY="stdout: '$OUT'"; return 1; }
}

t_feat_unknown_dev()
{
	run XDPMETA_DEBUGFS="$FEAT" dev features veth9
	expect_rc 1 || return 1
	expect_err "Couldn't show features of 'veth9': no such hooked device" || return 1
	[ -z "$OUT" ] || { WHY="stdout: '$OUT'"; return 1; }
	run XDPMETA_DEBUGFS="$FEAT" dev features eth0 --netns 4026532001
	expect_rc 1 || return 1
	expect_err "Couldn't show features of 'eth0': no such hooked device in netns 4026532001" || return 1
	run XDPMETA_DEBUGFS="$FEAT" dev features veth9 --json
	expect_rc 1 || return 1
	[ -z "$OUT" ] || { WHY="stdout: '$OUT'"; return 1; }
}

t_feat_usage()
{
	run XDPMETA_DEBUGFS="$FEAT" dev features eth0 --netns init
	expect_rc 2 || return 1
	expect_err_has "--netns needs a namespace inode number, not 'init'" || return 1
	run XDPMETA_DEBUGFS="$FEAT" dev features eth0 eth1
	expect_rc 2 || return 1
	expect_err_has "unexpected argument 'eth1'" || return 1
	run XDPMETA_DEBUGFS="$FEAT" dev features --netns
	expect_rc 2 || return 1
	expect_err_has "option --netns needs a value"
}

t_feat_missing_file()
{
	run XDPMETA_DEBUGFS="$MAIN" dev features
	expect_rc 1 || return 1
	expect_err "Couldn't read '$MAIN/features': the loaded xdpmeta.ko does not provide it (rebuild and reload kmod/xdpmeta.ko)" || return 1
	run XDPMETA_DEBUGFS="$MAIN" dev features eth1 --json
	expect_rc 1 || return 1
	expect_err "Couldn't read '$MAIN/features': the loaded xdpmeta.ko does not provide it (rebuild and reload kmod/xdpmeta.ko)" || return 1
	run XDPMETA_DEBUGFS="$NOTLOADED" dev features
	expect_rc 1 || return 1
	expect_err "Couldn't read '$NOTLOADED/features': xdpmeta is not loaded (insmod kmod/xdpmeta.ko)"
}

t_feat_empty_malformed()
{
	local d

	d=$(tree featempty)
	echo "$FEAT_HDR" >"$d/features"
	run XDPMETA_DEBUGFS="$d" dev features
	expect_rc 0 || return 1
	expect_out "no hooked devices" || return 1
	run XDPMETA_DEBUGFS="$d" dev features --json
	expect_rc 0 || return 1
	[ "$OUT" = "[]" ] || { WHY="JSON: '$OUT'"; return 1; }
	printf '%s\n1 2 veth0\n' "$FEAT_HDR" >"$d/features"
	run XDPMETA_DEBUGFS="$d" dev features
	expect_rc 1 || return 1
	expect_err "Couldn't parse '$d/features': line 2 has 3 fields, the header has 20 (xdpmeta.ko and this xdpmeta do not match: rebuild both)"
}

# Program names come from the devices file; without it, the id alone.
t_feat_no_devices_file()
{
	local d

	d=$(feattree featnodev)
	rm "$d/devices"
	run XDPMETA_DEBUGFS="$d" dev features eth0
	expect_rc 0 || return 1
	expect_out "${FEAT_ETH0/5 xdp_count/5}" || return 1
	echo garbage >"$d/devices"
	run XDPMETA_DEBUGFS="$d" dev features veth0 --netns 4026531840
	expect_rc 0 || return 1
	expect_out "${FEAT_VETH0/17 xdp_plain/17}"
}

# dev is a group now: dev alone and dev show are today's table.
t_dev_group()
{
	local want wantj args

	run XDPMETA_DEBUGFS="$MB" dev
	want=$OUT
	run XDPMETA_DEBUGFS="$MB" dev --json
	wantj=$OUT
	for args in "dev show" "d s" "dev sh" "de" "--json dev show" "dev --json" "d s --json"; do
		# shellcheck disable=SC2086
		run XDPMETA_DEBUGFS="$MB" $args
		expect_rc 0 || { WHY="'$args': $WHY"; return 1; }
		if [[ $args == *--json* ]]; then
			[ "$OUT" = "$wantj" ] ||
				{ WHY="'$args' printed '$OUT'"; return 1; }
		else
			[ "$OUT" = "$want" ] ||
				{ WHY="'$args' printed '$OUT'"; return 1; }
		fi
	done
	for args in "dev f eth0" "d fe eth0" "dev features -- eth0"; do
		# shellcheck disable=SC2086
		run XDPMETA_DEBUGFS="$FEAT" $args
		expect_rc 0 || { WHY="'$args': $WHY"; return 1; }
		expect_out "$FEAT_ETH0" || { WHY="'$args': $WHY"; return 1; }
	done
	run XDPMETA_DEBUGFS="$MAIN" dev show extra
	expect_rc 2 || return 1
	expect_err_has "unexpected argument 'extra'" || return 1
	run XDPMETA_DEBUGFS="$MAIN" dev frobnicate
	expect_rc 2 || return 1
	expect_err_has "xdpmeta dev: unknown command 'frobnicate'"
}

t_feat_help()
{
	run help dev
	expect_rc 0 || return 1
	expect_out_has "Usage: xdpmeta dev [{show|features} [ARGS]]" || return 1
	expect_out_has "features [DEV] [--netns N]" || return 1
	run help dev features
	expect_rc 0 || return 1
	expect_out_has "Usage: xdpmeta dev features [DEV] [--netns N] [--json]" || return 1
	expect_out_has "<debugfs>/features" || return 1
	run dev features -h
	expect_rc 0 || return 1
	expect_out_has "Usage: xdpmeta dev features" || return 1
	run help
	expect_rc 0 || return 1
	expect_out_has "dev show " || return 1
	expect_out_has "dev features [DEV] [--netns N]"
}

# ---- check

# The BPF objects next to the tool (make puts both under build/).
BPFDIR=$(dirname "$BIN")/bpf

# eth0 has no RX hints, eth1 the hash hint switched off (hint_hash_off, a
# newer column), veth0 every hint; xvc is a veth whose peer runs no
# program (no ndo_xmit), xvd one that does; veth0 is also hooked in a
# second netns, where there is no xvc.
CHECK_HDR="$FEAT_HDR hint_hash_off"
checktree()
{
	local dir

	dir=$(tree "$1")
	cat >"$dir/features" <<EOT
$CHECK_HDR
4026532100 2 veth0 veth 0x23 1 1 0 1 0 0 3504 1500 1 1 1 1 compat 0 0 0
4026532100 3 xvc veth 0x23 1 1 0 1 0 0 3504 1500 1 1 1 1 compat 0 0 0
4026532100 4 eth0 virtio_net 0x27 1 1 1 1 0 0 3506 1500 0 0 0 1 compat 0 0 0
4026532100 5 eth1 virtio_net 0x27 1 1 1 1 0 0 3506 1500 0 0 0 1 compat 0 0 1
4026532100 6 xvs veth 0 0 0 0 0 0 0 3504 1500 1 1 1 1 compat 0 0 0
4026532200 2 veth0 veth 0x67 1 1 1 1 1 0 3504 1500 1 1 1 1 compat 0 0 0
EOT
	echo "$dir"
}

CHECK=$(checktree check)

t_check_refused()
{
	run XDPMETA_DEBUGFS="$CHECK" check "$BPFDIR/req_hash.bpf.o" eth0
	expect_rc 3 || return 1
	expect_out "req_hash (xdp) on eth0 (virtio_net, netns 4026532100)
  RX hash hint:  no: req_hash needs RX hash hint: driver lacks it
                 needs RX hash hint, which the driver of eth0 does not offer (virtio_net: only with hash reports, VIRTIO_NET_F_HASH_REPORT): attach it where it is offered (xdpmeta dev features)
refused: xdpmeta: req_hash needs RX hash hint: driver lacks it" || return 1
	# switched off: the fix is ethtool
	run XDPMETA_DEBUGFS="$CHECK" check "$BPFDIR/req_hash.bpf.o" eth1
	expect_rc 3 || return 1
	expect_out_has "refused: xdpmeta: req_hash needs RX hash hint: turn on rxhash (ethtool -K)" || return 1
	expect_out_has "run 'ethtool -K eth1 rxhash on'"
}

t_check_accepted()
{
	run XDPMETA_DEBUGFS="$CHECK" check "$BPFDIR/req_vlan.bpf.o" veth0 --netns 4026532100
	expect_rc 0 || return 1
	expect_out "req_vlan (xdp) on veth0 (veth, netns 4026532100)
  RX VLAN hint:  ok
  xdpmeta store: ok
ok" || return 1
	run XDPMETA_DEBUGFS="$CHECK" check "$BPFDIR/xdp_count.bpf.o" eth0 --prog xdp_count
	expect_rc 0 || return 1
	expect_out "xdp_count (xdp) on eth0 (virtio_net, netns 4026532100)
  requirements:  none (no XDPMETA_REQUIRE(), no kfunc call that implies one)
ok"
}

# mb mode strict: a program that is not frags-aware is refused, in the
# attach's words; a frags-aware one is not concerned
t_check_mb_strict()
{
	local dir

	dir=$(tree strict)
	sed 's/ compat / strict /' "$CHECK/features" >"$dir/features"
	run XDPMETA_DEBUGFS="$dir" check "$BPFDIR/xdp_count.bpf.o" eth0 --prog xdp_count
	expect_rc 3 || return 1
	expect_out "xdp_count (xdp) on eth0 (virtio_net, netns 4026532100)
  frags-aware (mb mode strict): no: multi-buffer mode is strict: load the program with SEC(\"xdp.frags\")
                                is not frags-aware and multi-buffer mode is strict: load it with SEC(\"xdp.frags\") (BPF_F_XDP_HAS_FRAGS), or run 'xdpmeta mb mode compat'
refused: xdpmeta: multi-buffer mode is strict: load the program with SEC(\"xdp.frags\")" || return 1
	run XDPMETA_DEBUGFS="$dir" check "$BPFDIR/xdp_count.bpf.o" eth0 --prog xdp_count_frags
	expect_rc 0 || return 1
	expect_out_has "requirements:  none"
}

# Every unmet need has its line; the verdict is the first one's.
t_check_every_need()
{
	run XDPMETA_DEBUGFS="$CHECK" check "$BPFDIR/req_actions.bpf.o" xvs
	expect_rc 3 || return 1
	expect_out "req_actions (xdp.frags) on xvs (veth, netns 4026532100)
  XDP_TX:          no: req_actions needs XDP_TX: device lacks it
                   needs XDP_TX, which xvs does not support (a veth does only with a peer that has no more TX queues than it has RX queues)
  XDP_REDIRECT:    no: req_actions needs XDP_REDIRECT: device lacks it
                   needs XDP_REDIRECT, which xvs does not support (a veth does only with a peer that has no more TX queues than it has RX queues)
  multi-buffer RX: no: req_actions needs multi-buffer RX: device lacks it
                   needs multi-buffer RX, which xvs does not build (a veth does only with a peer that has no more TX queues than it has RX queues)
refused: xdpmeta: req_actions needs XDP_TX: device lacks it"
}

t_check_target()
{
	run XDPMETA_DEBUGFS="$CHECK" check "$BPFDIR/req_redirect.bpf.o" veth0 --netns 4026532100
	expect_rc 3 || return 1
	expect_out_has "  redirect target xvc: no: redirect target xvc off: attach XDP to its peer" || return 1
	expect_out_has "refused: xdpmeta: redirect target xvc off: attach XDP to its peer" || return 1
	# the target is looked up in the device's netns only
	run XDPMETA_DEBUGFS="$CHECK" check "$BPFDIR/req_redirect.bpf.o" veth0 --netns 4026532200
	expect_rc 3 || return 1
	expect_out_has "refused: xdpmeta: redirect target xvc: no such device here" || return 1
	expect_out_has "create it, or fix the name in XDPMETA_REQUIRE()" || return 1
	sed 's/^\(4026532100 3 xvc veth 0x\)23 1 1 0/\167 1 1 1/' "$CHECK/features" >"$TMP/f" &&
		cp "$TMP/f" "$(tree checkx)/features"
	run XDPMETA_DEBUGFS="$TMP/checkx/xdpmeta" check "$BPFDIR/req_redirect.bpf.o" veth0 --netns 4026532100
	expect_rc 0 || return 1
	expect_out_has "  redirect target xvc: ok"
}

t_check_kfuncs()
{
	run XDPMETA_DEBUGFS="$CHECK" check "$BPFDIR/req_import.bpf.o" eth0 --prog req_import
	expect_rc 3 || return 1
	expect_out "req_import (xdp) on eth0 (virtio_net, netns 4026532100)
  kfuncs:                   bpf_xdpmeta_import_hints
  bpf_xdpmeta_import_hints: no: calls bpf_xdpmeta_import_hints: driver offers no RX hints
                            calls bpf_xdpmeta_import_hints, but the driver of eth0 offers no RX hint (hash, VLAN, timestamp): attach it where one is offered (xdpmeta dev features), or drop the call
refused: xdpmeta: calls bpf_xdpmeta_import_hints: driver offers no RX hints" || return 1
	# the call is in a subprogram that only req_import calls
	run XDPMETA_DEBUGFS="$CHECK" check "$BPFDIR/req_import.bpf.o" eth0 --prog req_plain
	expect_rc 0 || return 1
	expect_out_has "requirements:  none" || return 1
	run XDPMETA_DEBUGFS="$CHECK" check "$BPFDIR/req_import.bpf.o" veth0 --netns 4026532100 --prog req_import
	expect_rc 0 || return 1
	# kfuncs that imply nothing are listed, and only that
	run XDPMETA_DEBUGFS="$CHECK" check "$BPFDIR/store_ops.bpf.o" eth0 --prog store_ops_run --json
	if [ "$RC" -eq 2 ]; then
		WHY="store_ops.bpf.o: $ERR"
		return 1
	fi
	expect_rc 0 || return 1
	json_check 'd["accepted"] is True and len(d["kfuncs"]) > 0 and all(k.startswith("bpf_xdpmeta_") for k in d["kfuncs"]) and d["requirements"] == []'
}

t_check_json()
{
	run XDPMETA_DEBUGFS="$CHECK" check "$BPFDIR/req_actions.bpf.o" xvs --json
	expect_rc 3 || return 1
	json_check 'd["program"] == "req_actions" and d["section"] == "xdp.frags" and d["device"] == "xvs" and d["driver"] == "veth" and d["netns"] == 4026532100' || return 1
	json_check 'd["declared"] is True and d["version"] == 1 and d["needs"] == ["tx", "redirect", "multi_buffer"] and d["redirect_target"] == "" and d["kfuncs"] == []' || return 1
	json_check '[(r["id"], r["met"]) for r in d["requirements"]] == [("version", True), ("tx", False), ("redirect", False), ("multi_buffer", False)]' || return 1
	json_check 'd["accepted"] is False and d["extack"] == "xdpmeta: req_actions needs XDP_TX: device lacks it" and d["log"] == d["requirements"][1]["message"] and d["requirements"][1]["brief"] == "req_actions needs XDP_TX: device lacks it"' || return 1
	# the extack message fits the kernel's 80 bytes
	json_check 'all(len("xdpmeta: " + r.get("brief", "")) < 80 for r in d["requirements"])' || return 1
	run XDPMETA_DEBUGFS="$CHECK" --json check "$BPFDIR/req_hash.bpf.o" veth0 --netns 4026532200
	expect_rc 0 || return 1
	json_check 'd["accepted"] is True and "extack" not in d and d["requirements"] == [{"id": "version", "what": "declaration", "met": True}, {"id": "hint_hash", "what": "RX hash hint", "met": True}]'
}

# A module without the hint_hash_off column: the hash hint is just absent.
t_check_old_module()
{
	run XDPMETA_DEBUGFS="$FEAT" check "$BPFDIR/req_hash.bpf.o" eth0
	expect_rc 3 || return 1
	expect_out_has "refused: xdpmeta: req_hash needs RX hash hint: driver lacks it" || return 1
	run XDPMETA_DEBUGFS="$FEAT" check "$BPFDIR/req_hash.bpf.o" eth1
	expect_rc 0
}

t_check_bad_input()
{
	local obj=$BPFDIR/req_hash.bpf.o

	run XDPMETA_DEBUGFS="$CHECK" check "$TMP/nosuch.o" eth0
	expect_rc 1 || return 1
	expect_err "Couldn't check '$TMP/nosuch.o': No such file or directory" || return 1
	[ -z "$OUT" ] || { WHY="stdout: '$OUT'"; return 1; }
	echo "not an object" >"$TMP/text.o"
	run XDPMETA_DEBUGFS="$CHECK" check "$TMP/text.o" eth0
	expect_rc 1 || return 1
	expect_err "Couldn't check '$TMP/text.o': not an ELF file (a BPF object is built with clang -target bpf)" || return 1
	run XDPMETA_DEBUGFS="$CHECK" check "$BIN" eth0
	expect_rc 1 || return 1
	expect_err "Couldn't check '$BIN': not a BPF object (ELF machine 62; a BPF object is built with clang -target bpf)" || return 1
	run XDPMETA_DEBUGFS="$CHECK" check "$TMP" eth0
	expect_rc 1 || return 1
	expect_err "Couldn't check '$TMP': not a regular file" || return 1
	run XDPMETA_DEBUGFS="$CHECK" check "$BPFDIR/xdpmeta_ctl.bpf.o" eth0
	expect_rc 1 || return 1
	expect_err "Couldn't check '$BPFDIR/xdpmeta_ctl.bpf.o': it has no XDP program (SEC(\"xdp\") or SEC(\"xdp.frags\"))" || return 1
	run XDPMETA_DEBUGFS="$CHECK" check "$BPFDIR/req_import.bpf.o" eth0 --prog nope
	expect_rc 1 || return 1
	expect_err "Couldn't check '$BPFDIR/req_import.bpf.o': it has no XDP program 'nope' (it has: req_import, req_plain)" || return 1
	run XDPMETA_DEBUGFS="$CHECK" check "$BPFDIR/req_import.bpf.o" eth0
	expect_rc 2 || return 1
	expect_err_has "xdpmeta check: $BPFDIR/req_import.bpf.o has several XDP programs (req_import, req_plain): choose one with --prog NAME" || return 1
	run XDPMETA_DEBUGFS="$CHECK" check "$obj" eth9
	expect_rc 1 || return 1
	expect_err "Couldn't check '$obj': eth9 is not a device xdpmeta hooked (it hooks veth and virtio_net devices: see xdpmeta dev)" || return 1
	run XDPMETA_DEBUGFS="$CHECK" check "$obj" eth0 --netns 4026532200
	expect_rc 1 || return 1
	expect_err "Couldn't check '$obj': eth0 is not a device xdpmeta hooked in netns 4026532200 (it hooks veth and virtio_net devices: see xdpmeta dev)" || return 1
	run XDPMETA_DEBUGFS="$CHECK" check "$obj" veth0
	expect_rc 2 || return 1
	expect_err_has "veth0 is hooked in several network namespaces (4026532100, 4026532200): choose one with --netns N" || return 1
	run XDPMETA_DEBUGFS="$NOTLOADED" check "$obj" eth0
	expect_rc 1 || return 1
	expect_err "Couldn't read '$NOTLOADED/features': xdpmeta is not loaded (insmod kmod/xdpmeta.ko)" || return 1
	run XDPMETA_DEBUGFS="$CHECK" check "$obj" eth0 --netns init
	expect_rc 2 || return 1
	expect_err_has "--netns needs a namespace inode number, not 'init'" || return 1
	run XDPMETA_DEBUGFS="$CHECK" check "$obj"
	expect_rc 2 || return 1
	expect_err_has "Usage: xdpmeta check PROG.o DEV [--netns N] [--prog NAME] [--json]"
}

# dev features says when the hash hint is only switched off, and how.
t_feat_hash_off()
{
	run XDPMETA_DEBUGFS="$CHECK" dev features eth1
	expect_rc 0 || return 1
	expect_out_has "  RX hints:          hash no, vlan no, timestamp no
                     no: programs cannot read that hint (bpf_xdp_metadata_rx_* returns -EOPNOTSUPP)
                     hash no: the driver has it, switched off (ethtool -K eth1 rxhash on)" || return 1
	run XDPMETA_DEBUGFS="$CHECK" dev features eth0
	[[ $OUT != *"switched off"* ]] || { WHY="eth0: '$OUT'"; return 1; }
	run XDPMETA_DEBUGFS="$CHECK" dev features eth1 --json
	json_check 'd["hint_hash_off"] is True and d["hint_hash"] is False'
}

# A module whose features file lacks a column the verdict reads.
t_check_missing_column()
{
	local d

	d=$(tree checkold)
	printf 'netns ifindex name driver basic\n4026532100 4 eth0 virtio_net 1\n' >"$d/features"
	run XDPMETA_DEBUGFS="$d" check "$BPFDIR/req_hash.bpf.o" eth0
	expect_rc 1 || return 1
	expect_err_has "Couldn't parse '$d/features': no column" || return 1
	[ -z "$OUT" ] || { WHY="stdout: '$OUT'"; return 1; }
}

t_check_help()
{
	run help check
	expect_rc 0 || return 1
	expect_out_has "Usage: xdpmeta check PROG.o DEV [--netns N] [--prog NAME] [--json]" || return 1
	expect_out_has "3 refused" || return 1
	run help
	expect_out_has "check PROG.o DEV [--netns N] [--prog NAME]"
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
	test_case "check: redirect target" t_check_target
	test_case "check: kfunc calls" t_check_kfuncs
	test_case "check: --json" t_check_json
	test_case "check: module without hint_hash_off" t_check_old_module
	test_case "check: bad input" t_check_bad_input
	test_case "check: features file without a column it needs" t_check_missing_column
else
	for t in "refused" "accepted" "line per need" "mb mode strict" "redirect target" "kfunc calls" "--json" "old module" "bad input" "missing column"; do
		skip "check: $t" "no BPF objects in $BPFDIR (make bpf)"
	done
fi
test_case "check: help" t_check_help
test_case "dev features: hash hint switched off" t_feat_hash_off

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
