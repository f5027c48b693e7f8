# SPDX-License-Identifier: GPL-2.0
# Sourced by cli_test.sh (its helpers and fake trees are defined there):
# the tests of check.
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

# a declaration of a later format (version 2, written by hand in
# test/bpf/req_version.bpf.c) is refused whatever it asks; the same needs
# at version 1 (req_actions) are met by the same device
t_check_version()
{
	run XDPMETA_DEBUGFS="$CHECK" check "$BPFDIR/req_actions.bpf.o" veth0 --netns 4026532100
	expect_rc 0 || return 1
	run XDPMETA_DEBUGFS="$CHECK" check "$BPFDIR/req_version.bpf.o" veth0 --netns 4026532100
	expect_rc 3 || return 1
	expect_out "req_version (xdp.frags) on veth0 (veth, netns 4026532100)
  declaration:   no: req_version needs a newer xdpmeta: update the module
                 declares requirements this xdpmeta does not know (version 2, needs 0x7): update the xdpmeta module
refused: xdpmeta: req_version needs a newer xdpmeta: update the module" || return 1
	run XDPMETA_DEBUGFS="$CHECK" check "$BPFDIR/req_version.bpf.o" veth0 --netns 4026532100 --json
	expect_rc 3 || return 1
	json_check 'd["accepted"] is False and d["version"] == 2 and d["requirements"][0]["id"] == "version" and d["extack"] == "xdpmeta: req_version needs a newer xdpmeta: update the module"'
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

# Objects that crash Debian 12's libbpf (1.1) in bpf_object__open_file()
# (found by bpfobj_fuzz, kept in corpus/bpfobj/ as *.elf: *.o is ignored by
# git, which once left the test without its input and passing on "No such
# file"): the CLI reads objects in a child, so it answers with an error;
# before, it died of SIGSEGV (exit 139).
t_check_libbpf_crash_input()
{
	local f n=0

	for f in "$HERE"/corpus/bpfobj/libbpf-1.1-open-crash-*.elf; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		run XDPMETA_DEBUGFS="$CHECK" check "$f" eth0
		expect_rc 1 || return 1
		expect_err "Couldn't check '$f': libbpf crashed reading it (Segmentation fault): it is not a valid BPF object" || return 1
		[ -z "$OUT" ] || { WHY="stdout: '$OUT'"; return 1; }
	done
	[ "$n" -ge 2 ] || { WHY="$n of the 2 kept crash inputs found in $HERE/corpus/bpfobj"; return 1; }
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
	expect_err_has "Usage: xdpmeta check PROG.o DEV [--netns N] [--prog NAME] [--chain] [--json]"
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
	expect_out_has "Usage: xdpmeta check PROG.o DEV [--netns N] [--prog NAME] [--chain] [--json]" || return 1
	expect_out_has "3 refused" || return 1
	expect_out_has "--chain"$'\n'"predicts \`xdpmeta prog attach DEV PROG.o\` instead" || return 1
	run help
	expect_out_has "check PROG.o DEV [--netns N] [--prog NAME] [--chain]"
}


# ---- check --chain: what `prog attach` would answer. No host has the
# module loaded, so no device has a chain here (the module's query is
# tested in the VM): these cover what the object says, the requirements
# without mb mode strict's, the words and the option.

# The module's reasons after strerror(), as prog attach prints them.
CHAIN_NONE="  chain:         none yet: the attach installs xdpmeta's dispatcher"
CHAIN_REQS_NONE="  requirements:  none (no XDPMETA_REQUIRE(), no kfunc call that implies one)"

# A plain program can be an entry; without a chain, the attach installs
# the dispatcher first.
t_check_chain_plain()
{
	run XDPMETA_DEBUGFS="$CHECK" check "$BPFDIR/chain.bpf.o" eth0 --prog p0 --chain
	expect_rc 0 || return 1
	expect_out "p0 (xdp) on eth0 (virtio_net, netns 4026532100) as a chain entry
$CHAIN_NONE
  chain entry:   ok
$CHAIN_REQS_NONE
ok" || return 1
	# the option anywhere, and frags-aware entries too
	run XDPMETA_DEBUGFS="$CHECK" check --chain "$BPFDIR/chain.bpf.o" eth0 --prog f4
	expect_rc 0 || return 1
	expect_out_has "f4 (xdp.frags) on eth0 (virtio_net, netns 4026532100) as a chain entry" || return 1
	# without --chain: no chain line when the device has no chain
	run XDPMETA_DEBUGFS="$CHECK" check "$BPFDIR/chain.bpf.o" eth0 --prog p0
	expect_rc 0 || return 1
	expect_out "p0 (xdp) on eth0 (virtio_net, netns 4026532100)
$CHAIN_REQS_NONE
ok"
}

# A devmap program and a dispatcher (it calls bpf_xdpmeta_chain_run) are
# no entries: EINVAL and ELOOP, the module's reasons with the kernel's
# program name (15 characters).
t_check_chain_refused_entry()
{
	local why="Invalid argument: devprog is a devmap/cpumap program: chains run at ingress (load it as SEC(\"xdp\"))"

	run XDPMETA_DEBUGFS="$CHECK" check "$BPFDIR/chain.bpf.o" eth0 --prog devprog --chain
	expect_rc 3 || return 1
	expect_out "devprog (xdp/devmap) on eth0 (virtio_net, netns 4026532100) as a chain entry
$CHAIN_NONE
  chain entry:   no: $why
$CHAIN_REQS_NONE
refused: $why" || return 1
	why="Too many levels of symbolic links: xdpmeta_dispatc is a dispatcher (calls bpf_xdpmeta_chain_run)"
	run XDPMETA_DEBUGFS="$CHECK" check "$BPFDIR/xdpmeta_dispatch.bpf.o" veth0 --netns 4026532100 --chain
	expect_rc 3 || return 1
	expect_out "xdpmeta_dispatch (xdp.frags) on veth0 (veth, netns 4026532100) as a chain entry
  kfuncs:        bpf_xdpmeta_chain_run
$CHAIN_NONE
  chain entry:   no: $why
$CHAIN_REQS_NONE
refused: $why" || return 1
	# a plain attach of a dispatcher is fine: it is how a chain starts
	run XDPMETA_DEBUGFS="$CHECK" check "$BPFDIR/xdpmeta_dispatch.bpf.o" veth0 --netns 4026532100
	expect_rc 0 || return 1
	expect_out "xdpmeta_dispatch (xdp.frags) on veth0 (veth, netns 4026532100)
  kfuncs:        bpf_xdpmeta_chain_run
$CHAIN_REQS_NONE
ok"
}

# The requirements as the module checks an entry's: mb mode strict does
# not apply (the chain keeps plain entries from partial frames), the rest
# does, with the module's full sentence cut to its reply's 127 bytes.
t_check_chain_requirements()
{
	local dir full

	dir=$(tree chainstrict)
	sed 's/ compat / strict /' "$CHECK/features" >"$dir/features"
	run XDPMETA_DEBUGFS="$dir" check "$BPFDIR/chain.bpf.o" eth0 --prog p0
	expect_rc 3 || return 1
	expect_out_has "refused: xdpmeta: multi-buffer mode is strict" || return 1
	run XDPMETA_DEBUGFS="$dir" check "$BPFDIR/chain.bpf.o" eth0 --prog p0 --chain
	expect_rc 0 || return 1
	[[ $OUT != *"frags-aware"* ]] || { WHY="mb strict applied: '$OUT'"; return 1; }
	full="needs RX hash hint, which the driver of eth0 does not offer (virtio_net: only with hash reports, VIRTIO_NET_F_HASH_REPORT): attach it where it is offered (xdpmeta dev features)"
	run XDPMETA_DEBUGFS="$dir" check "$BPFDIR/req_hash.bpf.o" eth0 --chain
	expect_rc 3 || return 1
	expect_out "req_hash (xdp) on eth0 (virtio_net, netns 4026532100) as a chain entry
$CHAIN_NONE
  chain entry:   ok
  RX hash hint:  no: req_hash needs RX hash hint: driver lacks it
                 $full
refused: Operation not supported: ${full:0:127}"
}

t_check_chain_json()
{
	run XDPMETA_DEBUGFS="$CHECK" --json check "$BPFDIR/chain.bpf.o" eth0 --prog devprog --chain
	expect_rc 3 || return 1
	json_check 'd["mode"] == "chain" and d["program"] == "devprog" and d["section"] == "xdp/devmap" and d["dispatcher"] is False' || return 1
	json_check 'd["chain"] == {"known": True, "dispatcher_id": 0, "count": 0, "revision": 0} and d["installs_dispatcher"] is True' || return 1
	json_check 'd["entry_ok"] is False and d["entry_error"] == "Invalid argument: devprog is a devmap/cpumap program: chains run at ingress (load it as SEC(\"xdp\"))"' || return 1
	json_check 'd["accepted"] is False and d["error"] == d["entry_error"] and d["errno"] == 22 and "extack" not in d and "log" not in d' || return 1
	run XDPMETA_DEBUGFS="$CHECK" --json check "$BPFDIR/xdpmeta_dispatch.bpf.o" eth0 --chain
	expect_rc 3 || return 1
	json_check 'd["dispatcher"] is True and d["kfuncs"] == ["bpf_xdpmeta_chain_run"] and d["errno"] == 40 and d["error"].endswith(": xdpmeta_dispatc is a dispatcher (calls bpf_xdpmeta_chain_run)")' || return 1
	run XDPMETA_DEBUGFS="$CHECK" --json check "$BPFDIR/req_hash.bpf.o" eth0 --chain
	expect_rc 3 || return 1
	json_check 'd["entry_ok"] is True and "entry_error" not in d and d["errno"] == 95 and d["error"] == "Operation not supported: " + d["requirements"][1]["message"][:127]' || return 1
	run XDPMETA_DEBUGFS="$CHECK" --json check "$BPFDIR/chain.bpf.o" eth0 --prog f4 --chain
	expect_rc 0 || return 1
	json_check 'd["accepted"] is True and "error" not in d and "errno" not in d and d["entry_ok"] is True' || return 1
	# without --chain: the chain too, and none of --chain's keys
	run XDPMETA_DEBUGFS="$CHECK" --json check "$BPFDIR/req_hash.bpf.o" eth0
	expect_rc 3 || return 1
	json_check 'd["mode"] == "attach" and d["dispatcher"] is False and d["chain"]["known"] is True and d["chain"]["count"] == 0' || return 1
	json_check 'all(k not in d for k in ("installs_dispatcher", "entry_ok", "error", "errno")) and d["extack"] == "xdpmeta: req_hash needs RX hash hint: driver lacks it"'
}

# --chain is a flag; the rest fails as without it (module not loaded,
# device not hooked, bad object).
t_check_chain_usage()
{
	local obj=$BPFDIR/req_hash.bpf.o

	run XDPMETA_DEBUGFS="$CHECK" check "$obj" eth0 --chain=1
	expect_rc 2 || return 1
	expect_err_has "xdpmeta check: option --chain takes no value" || return 1
	expect_err_has "Usage: xdpmeta check PROG.o DEV [--netns N] [--prog NAME] [--chain] [--json]" || return 1
	run XDPMETA_DEBUGFS="$CHECK" check "$obj" --chain
	expect_rc 2 || return 1
	expect_err_has "xdpmeta check: missing argument" || return 1
	run XDPMETA_DEBUGFS="$NOTLOADED" check "$obj" eth0 --chain
	expect_rc 1 || return 1
	expect_err "Couldn't read '$NOTLOADED/features': xdpmeta is not loaded (insmod kmod/xdpmeta.ko)" || return 1
	[ -z "$OUT" ] || { WHY="stdout: '$OUT'"; return 1; }
	run XDPMETA_DEBUGFS="$CHECK" check "$obj" eth9 --chain
	expect_rc 1 || return 1
	expect_err "Couldn't check '$obj': eth9 is not a device xdpmeta hooked (it hooks veth and virtio_net devices: see xdpmeta dev)" || return 1
	run XDPMETA_DEBUGFS="$CHECK" check "$TMP/nosuch.o" eth0 --chain
	expect_rc 1 || return 1
	expect_err "Couldn't check '$TMP/nosuch.o': No such file or directory"
}
