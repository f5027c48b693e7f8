# SPDX-License-Identifier: GPL-2.0
# The per-device feature report (debugfs features): derived values agree
# with what the drivers then actually do.
count_obj=$BPF/xdp_count.bpf.o
F=/sys/kernel/debug/xdpmeta/features

feat() {	# IFNAME COLUMN [NETNS-INUM]
	awk -v d="$1" -v f="$2" -v ns="${3:-}" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$col["name"] == d && (ns == "" || $col["netns"] == ns) { print $col[f]; exit }
	' $F
}

test_report_lists_hooked_devices() {
	xm_load
	veth_pair xva "" xvb ""
	expect_grep '^netns ifindex name driver xdp_features ' $F "header"
	expect_eq "$(feat xva driver)" veth "xva driver"
	expect_eq "$(feat eth0 driver)" virtio_net "eth0 driver"
	expect_eq "$(feat xva store)" 1 "store"
	expect_eq "$(feat xva basic)" 1 "basic"
	expect_eq "$(feat xva hint_hash)$(feat xva hint_vlan)$(feat xva hint_timestamp)" 111 "veth hints"
	expect_eq "$(feat eth0 mb_mode)" compat "mb mode"
	echo strict > /sys/module/xdpmeta/parameters/mb_mode
	expect_eq "$(feat eth0 mb_mode)" strict "mb mode after switch"
	echo compat > /sys/module/xdpmeta/parameters/mb_mode
}

# veth can be a redirect target only while its peer runs an XDP program
test_veth_ndo_xmit_follows_peer() {
	xm_load
	veth_pair xva "" xvb ""
	expect_eq "$(feat xva ndo_xmit)" 0 "ndo_xmit without a program on the peer"
	ok ip link set dev xvb xdp obj $count_obj sec xdp
	expect_eq "$(feat xva ndo_xmit)" 1 "ndo_xmit with a program on the peer"
	expect_eq "$(feat xvb prog_id)" "$(dev_field xvb prog_id)" "prog id"
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
	expect_grep 'MTU too large to enable XDP without frags' /tmp/no.out "virtio_net's refusal"
	expect_eq "$(feat eth0 rx_sg)" 1 "virtio_net multi-buffer rx"
}

# requirements declared with XDPMETA_REQUIRE: refused with the reason,
# and the attach agrees with the report
test_requirements_refused_with_reason() {
	xm_load
	veth_pair xva "" xvb ""
	no ip link set dev eth0 xdp obj $BPF/req_timestamp.bpf.o sec xdp
	expect_grep 'xdpmeta: req_timestamp needs RX timestamp hint: driver lacks it' /tmp/no.out "message"
	dmesg | grep -q 'refused program req_timestamp: needs RX timestamp hint' || die "no log line"
	expect_eq "$(dev_field eth0 refused)" 1 "refused count"
	ok ip link set dev xva xdp obj $BPF/req_timestamp.bpf.o sec xdp
	ok ip link set dev xva xdp off
	for d in eth0 xva; do
		if [ "$(feat $d hint_hash)" = 1 ]; then
			ok ip link set dev $d xdp obj $BPF/req_hash.bpf.o sec xdp
			ok ip link set dev $d xdp off
		else
			no ip link set dev $d xdp obj $BPF/req_hash.bpf.o sec xdp
			expect_grep 'needs RX hash hint: driver lacks it' /tmp/no.out "hash refusal on $d"
		fi
	done
	# a program without declarations is not affected
	ok ip link set dev eth0 xdp obj $count_obj sec xdp
	ok ip link set dev eth0 xdp off
}

test_requirement_redirect_target() {
	xm_load
	veth_pair xva "" xvb ""
	veth_pair xvc "" xvd ""
	no ip link set dev xva xdp obj $BPF/req_redirect.bpf.o sec xdp
	expect_grep 'xdpmeta: redirect target xvc off: attach XDP to its peer' /tmp/no.out "message"
	dmesg | grep -q 'needs redirect target xvc, which has XDP_REDIRECT target support off' || die "no log line"
	# bpftool shows the same text (libbpf prints the kernel's message)
	ok bpftool prog load $BPF/req_redirect.bpf.o /sys/fs/bpf/xt type xdp
	no bpftool net attach xdpdrv pinned /sys/fs/bpf/xt dev xva
	expect_grep 'Kernel error message: xdpmeta: redirect target xvc off' /tmp/no.out "bpftool"
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
	expect_grep '"hint_hash": *true' /tmp/ok.out "json hint"
	no xdpmeta dev features nosuchdev
	expect_grep "^Couldn't show features of 'nosuchdev': no such hooked device" /tmp/no.out "unknown device"
}
