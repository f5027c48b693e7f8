# SPDX-License-Identifier: GPL-2.0
# The control plane's errnos from the real module (the host CLI tests only
# inject them with strace): debugfs mb_policy writes, the mb_mode and
# mb_policy parameters, strict mode's EBUSY, and the CLI's texts for what
# the module returns (mb, key). Each refusal has its control: the same
# write, valid, is accepted, and a refused one changes nothing.
count_obj=$BPF/xdp_count.bpf.o
P=/sys/module/xdpmeta/parameters

# kwrite FILE TEXT: TEXT (no newline, one write()) into FILE. Prints "ok",
# or the write's error text (strerror of the errno the kernel returned).
kwrite() {
	if sh -c 'echo -n "$1" > "$2"' sh "$2" "$1" > /tmp/kw.out 2>&1; then
		echo ok
	elif grep -q 'write error: ' /tmp/kw.out; then
		sed -n 's/.*write error: //p' /tmp/kw.out | head -n1
	else
		echo "no write: $(cat /tmp/kw.out)"
	fi
}
ifindex() { cat /sys/class/net/$1/ifindex; }
init_ns() { stat -L -c %i /proc/self/ns/net; }

# "NETNS IFINDEX POLICY": malformed, too long (64 bytes or more) or an
# unknown policy -EINVAL; no such device -ENODEV; not a veth -EOPNOTSUPP
test_debugfs_mb_policy_errnos() {
	xm_load
	ns_add xn1
	veth_pair xva "" xvb xn1
	ns=$(init_ns); i=$(ifindex xva)
	expect_eq "$(dev_field xva mb_policy)" linearize "default policy"
	# the control: a valid line is taken
	expect_eq "$(kwrite $DBG/mb_policy "$ns $i drop")" ok "valid line"
	expect_eq "$(dev_field xva mb_policy)" drop "policy after a valid line"
	# the length limit, exactly: 63 bytes are taken, 64 are not
	line=$(printf '%-63s' "$ns $i pass")
	expect_eq "${#line}" 63 "length of the padded line"
	expect_eq "$(kwrite $DBG/mb_policy "$line")" ok "63-byte line"
	expect_eq "$(dev_field xva mb_policy)" pass "policy after the 63-byte line"
	expect_eq "$(kwrite $DBG/mb_policy "$line ")" "Invalid argument" "64-byte line"
	expect_eq "$(kwrite $DBG/mb_policy "$(printf '%-200s' "$ns $i drop")")" "Invalid argument" "200-byte line"
	expect_eq "$(kwrite $DBG/mb_policy "garbage")" "Invalid argument" "malformed line"
	expect_eq "$(kwrite $DBG/mb_policy "$ns $i")" "Invalid argument" "line without a policy"
	expect_eq "$(kwrite $DBG/mb_policy "$ns $i bogus")" "Invalid argument" "unknown policy"
	expect_eq "$(kwrite $DBG/mb_policy "$ns $i droppings")" "Invalid argument" "a policy's prefix"
	expect_eq "$(dev_field xva mb_policy)" pass "policy after the refused lines"
	# no such device: an unused ifindex, or xvb's ifindex in the wrong netns
	expect_eq "$(kwrite $DBG/mb_policy "$ns 99999 drop")" "No such device" "unknown ifindex"
	xvb_i=$(in_ns xn1 cat /sys/class/net/xvb/ifindex)
	# (xvb was created here and moved: its ifindex is free in init netns)
	ip -o link | grep -q "^$xvb_i: " && die "ifindex $xvb_i is in use in init netns"
	expect_eq "$(kwrite $DBG/mb_policy "$ns $xvb_i drop")" "No such device" "xvb's ifindex in init netns"
	expect_eq "$(kwrite $DBG/mb_policy "$(netns_inum xn1) $xvb_i drop")" ok "xvb in its netns"
	expect_eq "$(dev_field xvb mb_policy "$(netns_inum xn1)")" drop "xvb's policy"
	# a hooked device that is not a veth
	hooked eth0 || die "eth0 not hooked"
	expect_eq "$(kwrite $DBG/mb_policy "$ns $(ifindex eth0) drop")" "Operation not supported" "virtio_net eth0"
	# lo is not hooked at all
	expect_eq "$(kwrite $DBG/mb_policy "$ns $(ifindex lo) drop")" "No such device" "lo (not hooked)"
}

# the parameters take only their words; a refused write changes nothing
test_param_unknown_values_einval() {
	xm_load
	expect_eq "$(cat $P/mb_mode)" compat "mb_mode at load"
	expect_eq "$(cat $P/mb_policy)" linearize "mb_policy at load"
	# controls: every valid word is taken (trailing newline too, as echo writes)
	for m in off strict compat; do
		ok sh -c "echo $m > $P/mb_mode"
		expect_eq "$(cat $P/mb_mode)" $m "mb_mode after writing $m"
	done
	for p in drop pass linearize; do
		ok sh -c "echo $p > $P/mb_policy"
		expect_eq "$(cat $P/mb_policy)" $p "mb_policy after writing $p"
	done
	for v in bogus strictly STRICT linearize; do
		expect_eq "$(kwrite $P/mb_mode "$v")" "Invalid argument" "mb_mode '$v'"
	done
	expect_eq "$(cat $P/mb_mode)" compat "mb_mode after the refused writes"
	for v in bogus dropped DROP strict; do
		expect_eq "$(kwrite $P/mb_policy "$v")" "Invalid argument" "mb_policy '$v'"
	done
	expect_eq "$(cat $P/mb_policy)" linearize "mb_policy after the refused writes"
	# insmod with an unknown value is refused the same way
	xm_unload
	no insmod $KO mb_mode=bogus
	xm_loaded && die "loaded with mb_mode=bogus"
	ok insmod $KO mb_mode=off mb_policy=drop
	expect_eq "$(cat $P/mb_mode) $(cat $P/mb_policy)" "off drop" "parameters given to insmod"
}

# strict cannot be switched on while a program that is not frags-aware is
# attached to a hooked device: -EBUSY, the mode stays, the log names the
# program; with the same program frags-aware (the control) it can
test_strict_ebusy_with_plain_program() {
	xm_load
	veth_pair xva "" xvb ""
	ok ip link set dev xva xdp obj $count_obj sec xdp
	id=$(ip_prog_id xva)
	[ -n "$id" ] || die "ip shows no program on xva"
	expect_eq "$(kwrite $P/mb_mode strict)" "Device or resource busy" "strict with a plain program"
	sh -c "echo strict > $P/mb_mode" > /tmp/sh.out 2>&1 && die "echo strict succeeded"
	expect_grep 'Device or resource busy' /tmp/sh.out "the shell's message"
	expect_eq "$(cat $P/mb_mode)" compat "mode after EBUSY"
	dmesg | grep -qF "mb_mode strict blocked by prog $id xdp_count on xva (netns $(init_ns)): not frags-aware" ||
		{ dmesg | tail -n 5; die "no log line naming the blocker"; }
	dmesg | grep -qF 'mb_mode stays compat' || die "no 'mb_mode stays compat' line"
	# off is not blocked
	expect_eq "$(kwrite $P/mb_mode off)" ok "off with a plain program"
	expect_eq "$(kwrite $P/mb_mode compat)" ok "compat with a plain program"
	# the control: the same object's frags-aware entry point
	ok ip link set dev xva xdp off
	ok ip link set dev xva xdp obj $count_obj sec xdp.frags
	expect_eq "$(kwrite $P/mb_mode strict)" ok "strict with a frags-aware program"
	expect_eq "$(cat $P/mb_mode)" strict "mode"
	# and strict then refuses the plain one at attach
	ok ip link set dev xva xdp off
	no ip link set dev xva xdp obj $count_obj sec xdp
	refusal_says 'xdpmeta: multi-buffer mode is strict' /tmp/no.out
	ok sh -c "echo compat > $P/mb_mode"
}

# the CLI's words for what the module returns, against the real module
test_cli_mb_errors_from_module() {
	xm_load
	veth_pair xva "" xvb ""
	ok ip link set dev xvb xdp obj $count_obj sec xdp
	id=$(ip_prog_id xvb)
	no xdpmeta mb mode strict
	expect_eq "$(cat /tmp/no.out)" "Couldn't set 'mb mode strict': programs that are not frags-aware are attached (detach them, or load them with SEC(\"xdp.frags\") / BPF_F_XDP_HAS_FRAGS):
  prog $id xdp_count on xvb (netns $(init_ns))" "mb mode strict with a blocker"
	expect_eq "$(cat $P/mb_mode)" compat "mode after the CLI's refusal"
	ok xdpmeta mb policy xva drop
	expect_eq "$(cat /tmp/ok.out)" "xva: mb policy drop" "mb policy xva drop"
	expect_eq "$(dev_field xva mb_policy)" drop "xva's policy"
	no xdpmeta mb policy eth0 drop
	expect_eq "$(cat /tmp/no.out)" "Couldn't set 'mb policy eth0 drop': only veth devices have a redirect policy (the shim wraps veth's ndo_xdp_xmit)" "mb policy on virtio_net"
	ok ip link set dev xvb xdp off
	ok xdpmeta mb mode strict
	expect_eq "$(cat $P/mb_mode)" strict "mode after the blocker left"
	ok xdpmeta mb mode compat
}

# key_rev: the registry's revision, from `xdpmeta key list`
key_rev() { xdpmeta key list | sed -n 's/^revision \([0-9]*\)$/\1/p'; }
# key_refs NAME: its references in debugfs keys (empty if not listed)
key_refs() {
	awk -v k="$1" '$1 == "id" { for (i = 1; i <= NF; i++) c[$i] = i; next }
		("name" in c) && $c["name"] == k { print (("refs" in c) ? $c["refs"] : -1); exit }' $DBG/keys
}

# the CLI's words for the registry's errnos, against the real module
test_cli_key_errors_from_module() {
	xm_load
	ok xdpmeta key add pk8 8
	expect_grep '^key pk8: id [0-9]+, size 8 \(revision [0-9]+\)$' /tmp/ok.out "add"
	no xdpmeta key add pk8 4
	expect_eq "$(cat /tmp/no.out)" "Couldn't add key 'pk8': already registered with another size (use the same size, or delete it first)" "other size"
	no xdpmeta key del rx_hash
	expect_eq "$(cat /tmp/no.out)" "Couldn't delete key 'rx_hash': reserved key, cannot be deleted" "reserved key"
	no xdpmeta key del nosuchkey
	expect_eq "$(cat /tmp/no.out)" "Couldn't delete key 'nosuchkey': no such key" "no such key"
	# --rev: the current revision is taken (control), an old one is not
	r=$(key_rev)
	[ -n "$r" ] && [ "$r" -gt 1 ] || die "revision '$r'"
	ok xdpmeta key add pk2 2 --rev "$r"
	no xdpmeta key add pk4 4 --rev "$r"
	expect_eq "$(cat /tmp/no.out)" "Couldn't add key 'pk4': the registry changed since revision $r (list keys again and retry)" "stale revision"
	no xdpmeta key del pk2 --rev "$r"
	expect_eq "$(cat /tmp/no.out)" "Couldn't delete key 'pk2': the registry changed since revision $r (list keys again and retry)" "stale revision on delete"
	ok xdpmeta key del pk2 --rev "$(key_rev)"
	# del drops one reference (xdpmeta.8): a key added twice needs two;
	# nothing else keeps it (the module does not know which programs use
	# an id, so it never refuses a delete)
	ok xdpmeta key add pk8 8
	expect_eq "$(key_refs pk8)" 2 "references after two adds"
	ok xdpmeta key del pk8
	expect_eq "$(key_refs pk8)" 1 "references after one del"
	ok xdpmeta key del pk8
	expect_eq "$(key_refs pk8)" "" "pk8 listed after its last del"
	no xdpmeta key del pk8
	expect_eq "$(cat /tmp/no.out)" "Couldn't delete key 'pk8': no such key" "deleted key"
	# fill the table: 60 free ids (4..63), 16-byte keys take two each
	n=0
	while xdpmeta key add "full$n" 16 > /tmp/add.out 2>&1; do
		n=$((n + 1))
		[ $n -le 30 ] || die "more than 30 16-byte keys fit in 60 ids"
	done
	expect_eq "$n" 30 "16-byte keys that fit"
	expect_eq "$(cat /tmp/add.out)" "Couldn't add key 'full30': all 64 key ids are in use (xdpmeta key del an unused key)" "full table"
	no xdpmeta key add onemore 0
	expect_eq "$(cat /tmp/no.out)" "Couldn't add key 'onemore': all 64 key ids are in use (xdpmeta key del an unused key)" "full table, flag key"
	# an existing name still resolves (no new id needed): the control
	ok xdpmeta key add full0 16
	ok xdpmeta key del full0
	ok xdpmeta key del full0
	ok xdpmeta key add onemore 0
}
