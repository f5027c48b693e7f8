# SPDX-License-Identifier: GPL-2.0
# Sourced by cli_test.sh (its helpers and fake trees are defined there):
# the tests of dev, key, the files and the module's absence.
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
	expect_err_has "ambiguous command '' (could be check, dev, key, mb, prog, help)" ||
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

