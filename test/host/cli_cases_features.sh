# SPDX-License-Identifier: GPL-2.0
# Sourced by cli_test.sh (its helpers and fake trees are defined there):
# the tests of dev features.
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


# A kernel without xdp_features and RX hint ops (6.1): the module derives
# the actions and says so; the hints are refused with the reason. The
# control is the same device with the kernel's own values (no such lines).
t_feat_kernel_without_features()
{
	local d
	local hdr="netns ifindex name driver xdp_features basic redirect ndo_xmit rx_sg ndo_xmit_sg xsk_zerocopy max_mtu_plain mtu hint_hash hint_vlan hint_timestamp store mb_mode prog_id prog_frags hint_hash_off xdp_features_from derived_xdp_features hints_from"

	d=$(tree kernel61)
	printf '%s\n%s\n%s\n' "$hdr" \
		"4026531840 2 veth0 veth 0x23 1 1 0 1 0 0 3504 1500 0 0 0 1 compat 0 0 0 derived 0x23 none" \
		"4026531840 3 veth1 veth 0x23 1 1 0 1 0 0 3504 1500 1 1 1 1 compat 0 0 0 kernel 0x23 driver" >"$d/features"
	printf 'netns ifindex name driver mtu prog_id prog_frags prog_name attach detach refused xmit_calls xmit_frames xmit_errors\n' >"$d/devices"
	run XDPMETA_DEBUGFS="$d" dev features veth0
	expect_rc 0 || return 1
	expect_out_has "derived by xdpmeta from the driver and its set-up: this kernel keeps no xdp_features (6.3+)" || return 1
	expect_out_has "no: this kernel has no RX hint ops (xdp_metadata_ops, 6.3+): bpf_xdpmeta_import_hints returns -EOPNOTSUPP" || return 1
	run XDPMETA_DEBUGFS="$d" dev features veth1
	expect_rc 0 || return 1
	[[ $OUT != *"derived by xdpmeta"* && $OUT != *"no RX hint ops"* ]] || { WHY="veth1 (the kernel's own): '$OUT'"; return 1; }
	run XDPMETA_DEBUGFS="$d" dev features veth0 --json
	json_check 'd["xdp_features_from"] == "derived" and d["derived_xdp_features"] == 35 and d["hints_from"] == "none"'
}
