# SPDX-License-Identifier: GPL-2.0
# Sourced by cli_test.sh (its helpers and fake trees are defined there):
# the tests of mb.
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

