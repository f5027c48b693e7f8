# SPDX-License-Identifier: GPL-2.0
# The per-device feature report (debugfs features): derived values agree
# with what the drivers then actually do.
count_obj=$BPF/xdp_count.bpf.o
F=/sys/kernel/debug/xdpmeta/features

feat() { col_field $F "$@"; }	# IFNAME COLUMN [NETNS-INUM]

test_report_lists_hooked_devices() {
	xm_load
	veth_pair xva "" xvb ""
	expect_grep '^netns ifindex name driver xdp_features ' $F "header"
	expect_eq "$(feat xva driver)" veth "xva driver"
	expect_eq "$(feat eth0 driver)" virtio_net "eth0 driver"
	expect_eq "$(feat xva basic)" 1 "basic"
	if kernel_is 6.1; then	# no xdp_metadata_ops: no hints, and it says so
		expect_eq "$(feat xva hint_hash)$(feat xva hint_vlan)$(feat xva hint_timestamp)" 000 "veth hints (6.1)"
		expect_eq "$(feat xva hints_from)" none "hints_from (6.1)"
	else
		expect_eq "$(feat xva hint_hash)$(feat xva hint_vlan)$(feat xva hint_timestamp)" 111 "veth hints"
		expect_eq "$(feat xva hints_from)" driver "hints_from"
	fi
	expect_eq "$(feat eth0 mb_mode)" compat "mb mode"
	echo strict > /sys/module/xdpmeta/parameters/mb_mode
	expect_eq "$(feat eth0 mb_mode)" strict "mb mode after switch"
	echo compat > /sys/module/xdpmeta/parameters/mb_mode
}

# The derivation of xdp_features (what a kernel without them, 6.1, reports)
# against 6.12's own, over the set-ups that change them. The control: the
# set-ups give at least 3 distinct values, so agreeing is not a constant.
test_derived_xdp_features_match_the_kernel() {
	kernel_is 6.1 && skip "6.1 keeps no xdp_features to compare with (xdp_features_derived_on_6_1 checks 6.1's report)"
	xm_load
	seen=
	same() {	# IFNAME WHAT
		k=$(feat "$1" xdp_features); d=$(feat "$1" derived_xdp_features)
		[ -n "$k" ] && [ "$k" != -1 ] || die "$1 not in the features file ($2)"
		expect_eq "$d" "$k" "derived vs the kernel's: $1, $2"
		expect_eq "$(feat "$1" xdp_features_from)" kernel "xdp_features_from ($2)"
		seen="$seen
$k"
	}
	veth_pair xva "" xvb ""
	same xva "veth, no programs"
	ok ip link set dev xvb xdp obj $count_obj sec xdp
	same xva "veth, program on the peer"
	same xvb "veth, program on itself"
	ok ip link set dev xvb xdp off
	same xva "veth, program detached"
	ok ethtool -K xvb gro on
	same xva "veth, GRO on the peer"
	ok ethtool -K xvb gro off
	same xva "veth, GRO off again"
	# the peer has more TX queues than xvd has RX queues
	ok ip link add xvc numtxqueues 4 numrxqueues 4 type veth peer name xvd numtxqueues 1 numrxqueues 1
	same xvc "veth, 4 queues, peer 1"
	same xvd "veth, 1 queue, peer 4 TX queues"
	same eth0 "virtio_net, mergeable buffers"
	same eth4 "virtio_net, mrg_rxbuf=off"
	ok ip link set dev eth0 xdp obj $count_obj sec xdp
	same eth0 "virtio_net, program attached"
	ok ip link set dev eth0 xdp off
	same eth0 "virtio_net, program detached"
	n=$(printf '%s\n' "$seen" | sort -u | grep -c .)
	[ "$n" -ge 3 ] || die "only $n distinct xdp_features values over the set-ups: the comparison proves nothing"
	log "$n distinct values: $(printf '%s\n' "$seen" | sort -u | tr '\n' ' ')"
}

# 6.1 has no xdp_features: the report is derived, and says so; virtio_net
# there runs no XDP on multi-buffer packets (no rx_sg)
test_xdp_features_derived_on_6_1() {
	kernel_is 6.1 || skip "6.1 only (derived_xdp_features_match_the_kernel checks the derivation on this kernel)"
	xm_load
	veth_pair xva "" xvb ""
	expect_eq "$(feat xva xdp_features_from)" derived "xdp_features_from"
	expect_eq "$(feat xva basic)$(feat xva redirect)$(feat xva rx_sg)$(feat xva ndo_xmit)" 1110 "veth, no programs"
	ok ip link set dev xvb xdp obj $count_obj sec xdp
	# 6.1's xdp_do_redirect() sends no multi-buffer frame to a device
	expect_eq "$(feat xva ndo_xmit)$(feat xva ndo_xmit_sg)" 10 "veth, program on the peer"
	ok ip link set dev xvb xdp off
	expect_eq "$(feat eth0 basic)$(feat eth0 redirect)$(feat eth0 rx_sg)" 110 "virtio_net (6.1: no multi-buffer XDP)"
}

# veth can be a redirect target only while its peer runs an XDP program
test_veth_ndo_xmit_follows_peer() {
	xm_load
	veth_pair xva "" xvb ""
	expect_eq "$(feat xva ndo_xmit)" 0 "ndo_xmit without a program on the peer"
	ok ip link set dev xvb xdp obj $count_obj sec xdp
	expect_eq "$(feat xva ndo_xmit)" 1 "ndo_xmit with a program on the peer"
	id=$(ip_prog_id xvb)
	[ -n "$id" ] && [ "$id" -gt 0 ] || die "ip shows no program on xvb"
	expect_eq "$(feat xvb prog_id)" "$id" "prog id (features vs ip)"
	ok ip link set dev xvb xdp off
	expect_eq "$(feat xva ndo_xmit)" 0 "ndo_xmit after detach"
}

# the reported limit is exactly where the driver starts refusing
test_max_mtu_plain_matches_veth() {
	xm_load
	veth_pair xva "" xvb ""
	lim=$(feat xva max_mtu_plain)
	[ "${lim:-0}" -gt 1500 ] || die "limit '$lim'"
	ok ip link set xvb mtu "$lim"
	expect_eq "$(feat xva mtu)" "$lim" "mtu the limit applies to (the peer's)"
	ok ip link set dev xva xdp obj $count_obj sec xdp
	ok ip link set dev xva xdp off
	ok ip link set xvb mtu $((lim + 1))
	no ip link set dev xva xdp obj $count_obj sec xdp
	expect_grep 'Peer MTU is too large' /tmp/no.out "veth's refusal"
}

test_max_mtu_plain_matches_virtio() {
	xm_load
	lim=$(feat eth0 max_mtu_plain)
	[ "${lim:-0}" -gt 1500 ] || die "limit '$lim'"
	ok ip link set eth0 mtu "$lim"
	ok ip link set dev eth0 xdp obj $count_obj sec xdp
	ok ip link set dev eth0 xdp off
	ok ip link set eth0 mtu $((lim + 1))
	no ip link set dev eth0 xdp obj $count_obj sec xdp
	if kernel_is 6.1; then	# no multi-buffer XDP in 6.1's virtio_net
		expect_grep 'MTU too large to enable XDP\.' /tmp/no.out "virtio_net's refusal (6.1)"
		expect_eq "$(feat eth0 rx_sg)" 0 "virtio_net multi-buffer rx (6.1)"
	else
		expect_grep 'MTU too large to enable XDP without frags' /tmp/no.out "virtio_net's refusal"
		expect_eq "$(feat eth0 rx_sg)" 1 "virtio_net multi-buffer rx"
	fi
}

# requirements declared with XDPMETA_REQUIRE: refused with the reason,
# and the attach agrees with the report
test_requirements_refused_with_reason() {
	xm_load
	log_unratelimited
	veth_pair xva "" xvb ""
	no ip link set dev eth0 xdp obj $BPF/req_timestamp.bpf.o sec xdp
	refusal_says 'xdpmeta: req_timestamp needs RX timestamp hint: driver lacks it' /tmp/no.out
	dmesg | grep -q 'refused program req_timestamp: needs RX timestamp hint' || die "no log line"
	expect_eq "$(dev_field eth0 refused)" 1 "refused count"
	if kernel_is 6.1; then	# no hint ops at all: veth refused as well
		no ip link set dev xva xdp obj $BPF/req_timestamp.bpf.o sec xdp
		refusal_says 'xdpmeta: req_timestamp needs RX timestamp hint: driver lacks it' /tmp/no.out
	else
		ok ip link set dev xva xdp obj $BPF/req_timestamp.bpf.o sec xdp
		ok ip link set dev xva xdp off
	fi
	for d in eth0 xva; do
		if [ "$(feat $d hint_hash)" = 1 ]; then
			ok ip link set dev $d xdp obj $BPF/req_hash.bpf.o sec xdp
			ok ip link set dev $d xdp off
		else
			no ip link set dev $d xdp obj $BPF/req_hash.bpf.o sec xdp
			refusal_says "xdpmeta: req_hash needs RX hash hint: driver lacks it" /tmp/no.out
		fi
	done
	# a program without declarations is not affected
	ok ip link set dev eth0 xdp obj $count_obj sec xdp
	ok ip link set dev eth0 xdp off
}

test_requirement_redirect_target() {
	xm_load
	log_unratelimited
	veth_pair xva "" xvb ""
	veth_pair xvc "" xvd ""
	no ip link set dev xva xdp obj $BPF/req_redirect.bpf.o sec xdp
	refusal_says 'xdpmeta: redirect target xvc off: attach XDP to its peer' /tmp/no.out
	dmesg | grep -q 'needs redirect target xvc, which has XDP_REDIRECT target support off' || die "no log line"
	# bpftool shows the same text (libbpf prints the kernel's message)
	ok bpftool prog load $BPF/req_redirect.bpf.o /sys/fs/bpf/xt type xdp
	no bpftool net attach xdpdrv pinned /sys/fs/bpf/xt dev xva
	refusal_says 'xdpmeta: redirect target xvc off' /tmp/no.out 'Kernel error message: '
	# a program on the target's peer makes it a redirect target
	ok ip link set dev xvd xdp obj $count_obj sec xdp
	expect_eq "$(feat xvc ndo_xmit)" 1 "xvc is a redirect target now"
	ok ip link set dev xva xdp obj $BPF/req_redirect.bpf.o sec xdp
	ok ip link set dev xva xdp off
	ok ip link set dev xvd xdp off
}

test_cli_dev_features() {
	xm_load
	veth_pair xva "" xvb ""
	ok xdpmeta dev features eth0
	expect_grep '^eth0 \(virtio_net' /tmp/ok.out "text"
	ok xdpmeta dev features xva --json
	lim=$(feat xva max_mtu_plain)
	expect_grep "\"max_mtu_plain\": *$lim" /tmp/ok.out "json limit"
	if kernel_is 6.1; then	# no xdp_metadata_ops
		expect_grep '"hint_hash": *false' /tmp/ok.out "json hint (6.1)"
	else
		expect_grep '"hint_hash": *true' /tmp/ok.out "json hint"
	fi
	no xdpmeta dev features nosuchdev
	expect_grep "^Couldn't show features of 'nosuchdev': no such hooked device" /tmp/no.out "unknown device"
}

# ---- xdpmeta check: the same verdict and words as the attach ----------------

# agree OBJ DEV [PROG [NS]]: `xdpmeta check` and the real attach (ip for an
# object with one program, bpftool for every program) agree: both accept,
# or both refuse with the same extack message. PROG picks a program of an
# object with several (bpftool only); NS: DEV is in that netns (ip -n only:
# `ip netns exec` remounts /sys, the pins would not be there).
# Prints the verdict: ok or refused.
agree() {
	local obj=$BPF/$1.bpf.o dev=$2 prog=${3:-} ns=${4:-} rc msg sec pin
	local nsarg=""

	[ -n "$ns" ] && nsarg="--netns $(netns_inum "$ns")"
	# shellcheck disable=SC2086
	xdpmeta check "$obj" "$dev" ${prog:+--prog $prog} $nsarg > /tmp/check.out 2>&1
	rc=$?
	case $rc in
	0) grep -qx ok /tmp/check.out || { cat /tmp/check.out; die "check $1 $dev: exit 0 without ok"; } ;;
	3) msg=$(sed -n 's/^refused: //p' /tmp/check.out)
	   [ -n "$msg" ] || { cat /tmp/check.out; die "check $1 $dev: exit 3 without a refused line"; } ;;
	*) cat /tmp/check.out; die "check $1 $dev: exit $rc" ;;
	esac
	sec=$(sed -n '1s/^[^ ]* (\([^)]*\)) on .*/\1/p' /tmp/check.out)
	if [ -z "$prog" ]; then
		if [ $rc = 0 ]; then
			ok ip ${ns:+-n $ns} link set dev "$dev" xdp obj "$obj" sec "$sec"
			ok ip ${ns:+-n $ns} link set dev "$dev" xdp off
		else
			no ip ${ns:+-n $ns} link set dev "$dev" xdp obj "$obj" sec "$sec"
			refusal_says "$msg" /tmp/no.out 'Error: '
		fi
	fi
	if [ -z "$ns" ]; then
		rm -rf /sys/fs/bpf/xt
		ok bpftool prog loadall "$obj" /sys/fs/bpf/xt
		pin=/sys/fs/bpf/xt/${prog:-$(ls /sys/fs/bpf/xt | head -n1)}
		if [ $rc = 0 ]; then
			ok bpftool net attach xdpdrv pinned "$pin" dev "$dev"
			ok ip link set dev "$dev" xdp off
		else
			no bpftool net attach xdpdrv pinned "$pin" dev "$dev"
			refusal_says "$msg" /tmp/no.out 'Kernel error message: '
		fi
		rm -rf /sys/fs/bpf/xt
	fi
	[ $rc = 0 ] && echo ok || echo refused
}

# expect_check OBJ DEV VERDICT [PROG [NS]]
expect_check() {
	local v

	v=$(agree "$1" "$2" "${4:-}" "${5:-}") || { echo "$v"; exit 1; }
	expect_eq "$v" "$3" "$1 on $2"
}

test_check_hints() {
	xm_load
	log_unratelimited
	veth_pair xva "" xvb ""
	# check's full line is the log's
	expect_check req_hash eth0 refused
	expect_grep 'RX hash hint: +no: req_hash needs RX hash hint: driver lacks it' /tmp/check.out "hash line"
	dmesg | grep -qF "xdpmeta: eth0: refused program req_hash: $(sed -n 3p /tmp/check.out | sed 's/^ *//')" ||
		{ sed -n 3p /tmp/check.out; dmesg | tail -n 5; die "the log's full message differs from check's"; }
	# 6.1: no hint ops, so veth has none either
	hints=ok; kernel_is 6.1 && hints=refused
	for p in req_hash req_vlan req_timestamp; do
		expect_check $p xva $hints
		expect_check $p eth0 refused
	done
	# a program without requirements is accepted everywhere
	expect_check xdp_count xva ok xdp_count
	expect_check xdp_count eth0 ok xdp_count
}

# a veth whose peer has more TX queues than it has RX queues has no XDP
# actions at all (veth_set_xdp_features): xdpmeta refuses before the driver
test_check_actions() {
	xm_load
	veth_pair xva "" xvb ""
	expect_check req_actions xva ok
	if kernel_is 6.1; then	# 6.1's virtio_net: no multi-buffer XDP
		expect_check req_actions eth0 refused
		expect_grep '^refused: xdpmeta: req_actions needs multi-buffer RX: device lacks it$' /tmp/check.out "verdict (6.1)"
	else
		expect_check req_actions eth0 ok
	fi
	ok ip link add xve numrxqueues 1 type veth peer name xvf numtxqueues 2
	# veth_newlink sets the peer's queues from the first end's attributes
	ok ethtool -L xvf tx 2
	ok ip link set xve up
	ok ip link set xvf up
	expect_eq "$(feat xve basic)" 0 "xve basic"
	expect_check req_actions xve refused
	expect_grep 'XDP_TX: +no: req_actions needs XDP_TX: device lacks it' /tmp/check.out "check's TX line"
	expect_grep 'XDP_REDIRECT: +no: req_actions needs XDP_REDIRECT' /tmp/check.out "check's redirect line"
	expect_grep 'multi-buffer RX: +no: req_actions needs multi-buffer RX' /tmp/check.out "check's multi-buffer line"
	expect_grep '^refused: xdpmeta: req_actions needs XDP_TX: device lacks it$' /tmp/check.out "verdict"
}

test_check_redirect_target() {
	xm_load
	veth_pair xva "" xvb ""
	veth_pair xvc "" xvd ""
	expect_check req_redirect xva refused
	expect_grep 'redirect target xvc: +no: redirect target xvc off: attach XDP to its peer' /tmp/check.out "target line"
	ok ip link set dev xvd xdp obj $count_obj sec xdp
	expect_check req_redirect xva ok
	ok ip link set dev xvd xdp off
	# in another netns there is no xvc
	ns_add xn1
	veth_pair xvg xn1 xvh xn1
	expect_check req_redirect xvg refused "" xn1
	expect_grep '^refused: xdpmeta: redirect target xvc: no such device here$' /tmp/check.out "verdict"
}

# calling bpf_xdpmeta_import_hints needs an RX hint; found by the module in
# the verified instructions (from a subprogram here), by check in the ELF
test_check_import_hints() {
	xm_load
	veth_pair xva "" xvb ""
	if kernel_is 6.1; then	# no hint ops: nothing to import from
		expect_check req_import xva refused req_import
	else
		expect_check req_import xva ok req_import
	fi
	expect_check req_import eth0 refused req_import
	expect_grep '^refused: xdpmeta: calls bpf_xdpmeta_import_hints: driver offers no RX hints$' /tmp/check.out "verdict"
	expect_grep 'kfuncs: +bpf_xdpmeta_import_hints' /tmp/check.out "kfuncs line"
	# the object's other program does not call it
	expect_check req_import eth0 ok req_plain
	# several programs: choose one
	no xdpmeta check $BPF/req_import.bpf.o eth0
	expect_grep 'several XDP programs \(req_import, req_plain\): choose one with --prog NAME' /tmp/no.out "usage"
}

test_check_json_and_errors() {
	xm_load
	veth_pair xva "" xvb ""
	xdpmeta check $BPF/req_hash.bpf.o eth0 --json > /tmp/j.out
	expect_eq $? 3 "exit status when refused"
	expect_grep '"accepted":false' /tmp/j.out "json verdict"
	expect_grep '"extack":"xdpmeta: req_hash needs RX hash hint: driver lacks it"' /tmp/j.out "json extack"
	expect_grep '"needs":\["hint_hash"\]' /tmp/j.out "json needs"
	ok xdpmeta check $BPF/req_actions.bpf.o xva --json
	expect_grep '"accepted":true' /tmp/ok.out "json accepted"
	no xdpmeta check $BPF/req_hash.bpf.o nosuchdev
	expect_grep "^Couldn't check '$BPF/req_hash.bpf.o': nosuchdev is not a device xdpmeta hooked" /tmp/no.out "unknown device"
	no xdpmeta check /nonexistent.o eth0
	expect_grep "^Couldn't check '/nonexistent.o': No such file or directory" /tmp/no.out "no file"
	no xdpmeta check /xdpmeta/xdpmeta.ko eth0
	expect_grep "^Couldn't check '/xdpmeta/xdpmeta.ko': not a BPF object" /tmp/no.out "not BPF"
}

# eth2 has RSS (test/vm/run.sh): virtio_net registers its hash op, but has
# a hash only with hash reports (VIRTIO_NET_F_HASH_REPORT, feature bit 57,
# which QEMU offers with a tap or vhost backend only), and only while
# rxhash is on (its rx_hash returns -ENODATA otherwise). Two tests, one per
# case: the one whose case this VM does not have is a SKIP with the reason.
eth2_hash_reports() {	# sets hr: 1 if negotiated, else 0; skips without eth2
	[ -e /sys/class/net/eth2 ] || skip "no eth2 with RSS in this VM"
	hr=$(cut -c58 /sys/class/net/eth2/device/features)
}

# without hash reports the hash op would read packet bytes: never offered,
# whatever rxhash says
test_check_virtio_rxhash_refused_without_hash_reports() {
	eth2_hash_reports
	[ "$hr" = 0 ] || skip "eth2 negotiated hash reports (VIRTIO_NET_F_HASH_REPORT): see check_virtio_rxhash_with_hash_reports"
	trap 'ip link set dev eth2 xdp off; ethtool -K eth2 rxhash on; t_cleanup' EXIT
	xm_load
	for on in off on; do
		ok ethtool -K eth2 rxhash $on
		expect_eq "$(feat eth2 hint_hash)$(feat eth2 hint_hash_off)" 00 "hash hint with rxhash $on"
		expect_check req_hash eth2 refused
		expect_grep '^refused: xdpmeta: req_hash needs RX hash hint: driver lacks it$' /tmp/check.out "verdict, rxhash $on"
		expect_check req_import eth2 refused req_import
	done
}

# with hash reports: offered while rxhash is on, "turn on rxhash" while off
test_check_virtio_rxhash_with_hash_reports() {
	# eth6: a tap backend with hash=on (test/vm/tapnet.sh)
	[ -e /sys/class/net/eth6 ] || skip "no eth6: the host has no /dev/net/tun or unshare, so the VM has no tap NICs (test/vm/run.sh)"
	[ "$(cut -c58 /sys/class/net/eth6/device/features)" = 1 ] || die "eth6 did not negotiate VIRTIO_NET_F_HASH_REPORT"
	trap 'ip link set dev eth6 xdp off; ethtool -K eth6 rxhash on; t_cleanup' EXIT
	xm_load
	if kernel_is 6.1; then	# hash reports negotiated, but 6.1 has no hint ops to read them
		for on in off on; do
			ok ethtool -K eth6 rxhash $on
			expect_eq "$(feat eth6 hint_hash)$(feat eth6 hint_hash_off)$(feat eth6 hints_from)" 00none "hash hint (6.1), rxhash $on"
			expect_check req_hash eth6 refused
			expect_check req_import eth6 refused req_import
		done
		return
	fi
	ok ethtool -K eth6 rxhash off
	expect_eq "$(feat eth6 hint_hash)$(feat eth6 hint_hash_off)" 01 "hash hint with rxhash off"
	expect_check req_hash eth6 refused
	expect_grep '^refused: xdpmeta: req_hash needs RX hash hint: turn on rxhash \(ethtool -K\)$' /tmp/check.out "verdict"
	expect_grep "run 'ethtool -K eth6 rxhash on'" /tmp/check.out "fix"
	expect_check req_import eth6 refused req_import
	ok ethtool -K eth6 rxhash on
	expect_eq "$(feat eth6 hint_hash)$(feat eth6 hint_hash_off)" 10 "hash hint with rxhash on"
	expect_check req_hash eth6 ok
	expect_check req_import eth6 ok req_import
}

# a declaration of a later format (test/bpf/req_version.bpf.c: version 2,
# written by hand) is refused whatever it asks for: the same needs at
# version 1 (req_actions) are met by the same veth, the control
test_requirement_version_refused() {
	xm_load
	log_unratelimited
	veth_pair xva "" xvb ""
	expect_check req_actions xva ok
	expect_check req_version xva refused
	expect_grep '^refused: xdpmeta: req_version needs a newer xdpmeta: update the module$' /tmp/check.out "check's verdict"
	expect_grep 'declaration: +no: req_version needs a newer xdpmeta: update the module' /tmp/check.out "check's line"
	expect_grep 'declares requirements this xdpmeta does not know \(version 2, needs 0x7\): update the xdpmeta module' /tmp/check.out "check's full line"
	# refused by ip and bpftool in agree(), and once more here with the log
	no ip link set dev xva xdp obj $BPF/req_version.bpf.o sec xdp.frags
	refusal_says 'xdpmeta: req_version needs a newer xdpmeta: update the module' /tmp/no.out 'Error: '
	dmesg | grep -qF 'xdpmeta: xva: refused program req_version: declares requirements this xdpmeta does not know (version 2, needs 0x7): update the xdpmeta module' ||
		{ dmesg | tail -n 5; die "no log line"; }
	expect_eq "$(dev_field xva refused)" 3 "refused count (ip, bpftool, ip)"
	expect_eq "$(dev_field xva prog_id)" 0 "nothing attached"
}

# a redirect target xdpmeta does not hook: check cannot judge it and says
# so; the attach decides (a dummy device takes no XDP_REDIRECT frames)
test_check_unhooked_target() {
	xm_load
	veth_pair xva "" xvb ""
	ok ip link add xvc type dummy
	no xdpmeta check $BPF/req_redirect.bpf.o xva
	expect_grep "^Couldn't check '$BPF/req_redirect.bpf.o': its redirect target xvc is not a device xdpmeta hooked" /tmp/no.out "check"
	no ip link set dev xva xdp obj $BPF/req_redirect.bpf.o sec xdp
	refusal_says 'xdpmeta: redirect target xvc: no XDP target support' /tmp/no.out 'Error: '
}

# mb mode strict refuses programs that are not frags-aware: check says so
# first, in the attach's words; a frags-aware one is accepted
test_check_mb_strict() {
	xm_load
	veth_pair xva "" xvb ""
	trap 'xdpmeta mb mode compat; t_cleanup' EXIT
	ok xdpmeta mb mode strict
	expect_check xdp_count eth0 refused xdp_count
	expect_grep 'frags-aware .mb mode strict.: +no: multi-buffer mode is strict: load the program with SEC..xdp.frags..' \
		/tmp/check.out "check's strict line"
	expect_check xdp_count xva refused xdp_count
	expect_check req_actions xva ok
	ok xdpmeta mb mode compat
	expect_check xdp_count eth0 ok xdp_count
}
