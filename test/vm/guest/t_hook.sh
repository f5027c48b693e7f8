# SPDX-License-Identifier: GPL-2.0
# The device hook: which devices are hooked, attach/detach through the
# wrappers, stock refusals untouched, restore on unregister and unload.

count_obj=$BPF/xdp_count.bpf.o

test_load_unload() {
	xm_load
	[ -d $DBG ] || die "no $DBG after insmod"
	expect_grep '^netns ifindex name driver' $DBG/devices "devices header"
	[ "$(stat -c %a $DBG/devices)" = 400 ] || die "devices is not root-only"
	dmesg | grep -q 'xdpmeta: loaded' || die "no 'loaded' message"
	xm_unload || die "rmmod failed"
	[ -d $DBG ] && die "$DBG still there after rmmod"
	dmesg | grep -E 'xdpmeta: unloaded, restored [0-9]+ devices' || die "no unload message"
}

test_refuses_without_btf() {
	no insmod $X/xdpmeta-nobtf.ko
	xm_loaded && die "module without BTF loaded"
	dmesg | grep -q 'xdpmeta: module has no BTF' || die "no clear message about missing BTF"
}

# BTF the kernel rejects: Debian's kernels (MODULE_ALLOW_BTF_MISMATCH=y)
# load the module without it, and every kfunc registration "succeeds"
# registering nothing; the module must refuse. A kernel without that
# option refuses the module itself, with its own message.
test_refuses_btf_the_kernel_rejected() {
	no insmod $X/xdpmeta-badbtf.ko
	xm_loaded && die "module whose BTF the kernel rejected loaded"
	dmesg | grep -qE "xdpmeta: the kernel did not accept the module's BTF|failed to validate module \[xdpmeta\] BTF" ||
		die "no clear message about the rejected BTF: $(dmesg | tail -n 3)"
}

test_hooks_existing_and_new() {
	ns_add xn1; ns_add xn2
	veth_pair xva xn1 xvb xn2		# both ends in other netns
	ok ip link add xdum0 type dummy		# another driver
	xm_load
	in1=$(netns_inum xn1); in2=$(netns_inum xn2)
	hooked xva "$in1" || die "veth xva in netns xn1 not hooked"
	hooked xvb "$in2" || die "veth xvb in netns xn2 not hooked"
	hooked eth0 || die "virtio_net eth0 not hooked"
	hooked eth1 || die "virtio_net eth1 not hooked"
	expect_eq "$(dev_field eth0 driver)" virtio_net "eth0 driver"
	expect_eq "$(dev_field xva driver "$in1")" veth "xva driver"
	hooked lo && die "lo hooked"
	hooked xdum0 && die "dummy hooked"
	# created after load, in init netns and in xn1
	veth_pair xvc "" xvd xn1
	hooked xvc || die "new veth xvc not hooked"
	hooked xvd "$in1" || die "new veth xvd in xn1 not hooked"
	# a veth-named device of another driver is not hooked
	ok ip link add xveth9 type dummy
	hooked xveth9 && die "dummy named like a veth hooked"
	ok ip link del xdum0; ok ip link del xveth9
	n=$(($(wc -l < $DBG/devices) - 1))
	# the VM's virtio_net NICs, and xva, xvb, xvc, xvd
	expect_eq "$n" $(($(ls -d /sys/class/net/eth* | wc -l) + 4)) "hooked device count"
}

test_attach_detach_ip_veth() {
	ns_add xn1; ns_add xn2
	veth_pair xva xn1 xvb xn2
	addr xva xn1 10.9.0.1/24; addr xvb xn2 10.9.0.2/24
	xm_load
	in2=$(netns_inum xn2)
	ok in_ns xn2 ip link set dev xvb xdp obj $count_obj sec xdp
	id=$(in_ns xn2 ip -j link show xvb | grep -oE '"prog":\{"id":[0-9]+' | head -n1 | grep -oE '[0-9]+$')
	[ -n "$id" ] || id=$(in_ns xn2 ip link show xvb | sed -n 's/.*prog\/xdp id \([0-9]*\).*/\1/p')
	expect_eq "$(dev_field xvb prog_id "$in2")" "$id" "prog_id in debugfs"
	expect_eq "$(dev_field xvb prog_name "$in2")" xdp_count "prog_name"
	expect_eq "$(dev_field xvb prog_frags "$in2")" 0 "prog_frags"
	expect_eq "$(dev_field xvb attach "$in2")" 1 "attach count"
	ok in_ns xn1 ping -c 3 -W 2 10.9.0.2
	pkts=$(bpftool map dump name xdp_count_map | grep -oE '"packets": [0-9]+' | grep -oE '[0-9]+$')
	[ "${pkts:-0}" -ge 3 ] || die "program saw ${pkts:-0} packets, expected >= 3"
	ok in_ns xn2 ip link set dev xvb xdp off
	expect_eq "$(dev_field xvb detach "$in2")" 1 "detach count"
	expect_eq "$(dev_field xvb prog_id "$in2")" 0 "prog_id after detach"
	# the frags entry point, through ip as well
	ok in_ns xn2 ip link set dev xvb xdp obj $count_obj sec xdp.frags
	expect_eq "$(dev_field xvb prog_frags "$in2")" 1 "prog_frags of xdp.frags"
	ok in_ns xn2 ip link set dev xvb xdp off
	expect_eq "$(dev_field xvb attach "$in2")" 2 "attach count"
	expect_eq "$(dev_field xvb refused "$in2")" 0 "refused count"
}

test_attach_detach_bpftool_virtio() {
	xm_load
	ok bpftool prog loadall $count_obj /sys/fs/bpf/xt type xdp
	ok bpftool net attach xdp pinned /sys/fs/bpf/xt/xdp_count dev eth0
	id=$(bpftool prog show pinned /sys/fs/bpf/xt/xdp_count | head -n1 | cut -d: -f1)
	expect_eq "$(dev_field eth0 prog_id)" "$id" "eth0 prog_id"
	expect_eq "$(dev_field eth0 attach)" 1 "eth0 attach count"
	# traffic over the QEMU hub: eth1 in a netns pings eth0
	ns_add xn1
	ok ip link set eth1 netns xn1
	addr eth0 "" 10.8.0.1/24; ok ip link set eth0 up
	addr eth1 xn1 10.8.0.2/24; ok ip -n xn1 link set eth1 up
	ok in_ns xn1 ping -c 3 -W 3 10.8.0.1
	pkts=$(bpftool map dump name xdp_count_map | grep -oE '"packets": [0-9]+' | grep -oE '[0-9]+$')
	[ "${pkts:-0}" -ge 3 ] || die "program on eth0 saw ${pkts:-0} packets"
	ok bpftool net detach xdp dev eth0
	expect_eq "$(dev_field eth0 detach)" 1 "eth0 detach count"
	ok ip addr flush dev eth0
}

test_refused_keeps_stock_extack_veth() {
	ns_add xn1
	veth_pair xva "" xvb xn1
	ok ip -n xn1 link set xvb mtu 9000
	xm_load
	no ip link set dev xva xdp obj $count_obj sec xdp
	expect_grep 'Peer MTU is too large to set XDP' /tmp/no.out "ip's error"
	expect_eq "$(dev_field xva refused)" 1 "refused count"
	expect_eq "$(dev_field xva attach)" 0 "attach count"
	ok ip link set dev xva xdp obj $count_obj sec xdp.frags
	expect_eq "$(dev_field xva attach)" 1 "frags attach count"
}

test_refused_keeps_stock_extack_virtio() {
	xm_load
	ok ip link set eth0 mtu 9000
	no ip link set dev eth0 xdp obj $count_obj sec xdp
	if kernel_is 6.1; then
		# 6.1's virtio_net runs no XDP on multi-buffer packets at all:
		# its words, and a frags-aware program is refused as well
		expect_grep 'MTU too large to enable XDP\.' /tmp/no.out "ip's error (6.1)"
		expect_eq "$(dev_field eth0 refused)" 1 "refused count"
		no ip link set dev eth0 xdp obj $count_obj sec xdp.frags
		expect_grep 'MTU too large to enable XDP\.' /tmp/no.out "frags program (6.1)"
		expect_eq "$(dev_field eth0 refused)" 2 "refused count (6.1)"
		return
	fi
	expect_grep 'MTU too large to enable XDP without frags' /tmp/no.out "ip's error"
	expect_eq "$(dev_field eth0 refused)" 1 "refused count"
	ok ip link set dev eth0 xdp obj $count_obj sec xdp.frags
	expect_eq "$(dev_field eth0 prog_frags)" 1 "frags program"
}

test_unload_restores() {
	ns_add xn1; ns_add xn2
	veth_pair xva xn1 xvb xn2
	addr xva xn1 10.9.0.1/24; addr xvb xn2 10.9.0.2/24
	xm_load
	ok in_ns xn2 ip link set dev xvb xdp obj $count_obj sec xdp
	hooked eth0 || die "eth0 not hooked"
	ok xm_unload
	n=$(dmesg | sed -n 's/.*xdpmeta: unloaded, restored \([0-9]*\) devices.*/\1/p' | tail -n1)
	# the VM's virtio_net NICs, and xva, xvb
	expect_eq "$n" $(($(ls -d /sys/class/net/eth* | wc -l) + 2)) "devices restored at unload"
	# the driver's own ops are back: the program still runs, detach and
	# re-attach go straight to the driver (a stale table would have been
	# poisoned by slub_debug and crashed here)
	ok in_ns xn1 ping -c 2 -W 2 10.9.0.2
	ok in_ns xn2 ip link set dev xvb xdp off
	ok in_ns xn2 ip link set dev xvb xdp obj $count_obj sec xdp
	ok ip link set dev eth0 xdp obj $count_obj sec xdp
	ok in_ns xn1 ping -c 2 -W 2 10.9.0.2
	ok in_ns xn2 ip link set dev xvb xdp off
	ok ip link set dev eth0 xdp off
	xm_load
	expect_eq "$(dev_field xvb attach "$(netns_inum xn2)")" 0 "attach count after reload"
}

not_listed_xvab() { ! grep -qE ' xv[ab] ' $DBG/devices; }

test_delete_veth_and_netns_while_loaded() {
	xm_load
	ns_add xn1; ns_add xn2
	veth_pair xva xn1 xvb xn2
	veth_pair xvc "" xvd xn1
	ok in_ns xn1 ip link set dev xva xdp obj $count_obj sec xdp
	ok ip link del xvc			# its peer xvd goes too
	hooked xvc && die "deleted xvc still listed"
	hooked xvd "$(netns_inum xn1)" && die "xvd (peer of deleted xvc) still listed"
	ok ip netns del xn1			# takes xva (with its program) and xvb
	# the netns is dismantled by a workqueue (cleanup_net, several RCU
	# grace periods): poll with a deadline, not a fixed sleep
	wait_for 30 not_listed_xvab ||
		{ cat $DBG/devices; die "veths of deleted netns still listed after 30 s"; }
	# moving a device between netns keeps its hook and counters
	veth_pair xve "" xvf ""
	ok ip link set dev xve xdp obj $count_obj sec xdp
	ok ip link set dev xve xdp off
	ok ip link set xve netns xn2
	expect_eq "$(dev_field xve attach "$(netns_inum xn2)")" 1 "attach count after netns move"
	expect_eq "$(dev_field xve netns)" "$(netns_inum xn2)" "netns of moved device"
}

# objects NAME: a count from debugfs objects (leak accounting)
obj() { awk -v k="$1" '$1 == k { print $2; f = 1 } END { if (!f) print -1 }' $DBG/objects; }
hooked_is() { [ "$(obj hooked)" = "$1" ]; }

# The leak accounting follows every hook, netns move and unregister, and
# module exit finds every count back at 0 (it WARNs otherwise, which the
# VM's panic_on_warn makes fatal; checked here through the log too).
test_objects_account_for_hooks() {
	xm_load
	[ "$(stat -c %a $DBG/objects)" = 400 ] || die "objects is not root-only"
	n0=$(($(wc -l < $DBG/devices) - 1))
	expect_eq "$(obj hooked)" "$n0" "hooked = devices listed"
	expect_eq "$(obj nf_hooks)" "$n0" "one ingress hook per hooked device"
	r0=$(obj records); t0=$(obj retired)
	expect_eq "$r0" $((n0 + t0)) "records = hooked + retired"
	ns_add xn1
	veth_pair xva "" xvb xn1
	expect_eq "$(obj hooked)" $((n0 + 2)) "hooked after a veth pair"
	expect_eq "$(obj nf_hooks)" $((n0 + 2)) "ingress hooks after a veth pair"
	expect_eq "$(obj records)" $((r0 + 2)) "records after a veth pair"
	ok ip link set xva netns xn1	# a move: same record, its hook re-registered
	expect_eq "$(obj hooked)" $((n0 + 2)) "hooked after a netns move"
	expect_eq "$(obj nf_hooks)" $((n0 + 2)) "ingress hooks after a netns move"
	expect_eq "$(obj records)" $((r0 + 2)) "records after a netns move"
	ok ip netns del xn1
	wait_for 30 hooked_is "$n0" || { cat $DBG/objects; die "veths of deleted netns still hooked"; }
	expect_eq "$(obj nf_hooks)" "$n0" "ingress hooks after the netns went"
	expect_eq "$(obj retired)" $((t0 + 2)) "the two copies retired (kept 60 s)"
	expect_eq "$(obj records)" $((r0 + 2)) "retired records still allocated"
	expect_eq "$(obj pull_rcu)" 0 "pull records pending"
	xm_unload || die "rmmod failed"
	dmesg | grep -q 'left at exit' && die "leak reported at exit"
	return 0
}

# xdp_count's packet counter on xvb (the echo requests that reached it)
xvb_packets() {
	bpftool map dump name xdp_count_map | grep -oE '"packets": [0-9]+' | grep -oE '[0-9]+$' | head -n1
}
xvb_saw_packets() { [ "$(xvb_packets)" -gt 0 ] 2>/dev/null; }

# 20 insmod/rmmod cycles while a ping flows through the hooked veth pair:
# every swap of the ops table (in and out) must leave the traffic alone.
# The cycles must overlap the traffic: each one counts only if xvb's
# program saw packets during it and ping was still running after it.
test_load_unload_cycles_with_traffic() {
	ns_add xn1; ns_add xn2
	veth_pair xva xn1 xvb xn2
	addr xva xn1 10.9.0.1/24; addr xvb xn2 10.9.0.2/24
	ok in_ns xn2 ip link set dev xvb xdp obj $count_obj sec xdp
	# no count: ping runs until stopped after the cycles (exec: $! is
	# ping itself, which prints its summary on SIGINT)
	(exec /usr/local/sbin/ip netns exec xn1 ping -i 0.02 10.9.0.2 > /tmp/ping.out 2>&1) &
	pp=$!
	trap 'kill $pp 2>/dev/null; t_cleanup' EXIT
	wait_for 10 xvb_saw_packets || die "no ping traffic reached xvb"
	overlapped=0
	for i in $(seq 20); do
		c0=$(xvb_packets)
		insmod $KO || die "insmod $i"
		hooked xvb "$(netns_inum xn2)" || die "cycle $i: xvb not hooked"
		rmmod xdpmeta || die "rmmod $i"
		c1=$(xvb_packets)
		kill -0 $pp 2>/dev/null || die "ping ended during cycle $i: $(tail -n 2 /tmp/ping.out)"
		[ "$c1" -gt "$c0" ] && overlapped=$((overlapped + 1))
	done
	# a quiet second with the module unloaded, so that at most the echo
	# in flight when ping is stopped is unanswered
	sleep 1
	kill -INT $pp
	wait $pp
	tail -n 2 /tmp/ping.out
	log "$overlapped of 20 cycles saw traffic"
	expect_eq "$overlapped" 20 "cycles during which xvb received packets"
	set -- $(sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) packets received.*/\1 \2/p' /tmp/ping.out)
	[ -n "${2:-}" ] || die "no ping summary"
	# at least 20 ms of traffic per cycle; losses: at most the one echo
	# in flight at SIGINT, plus one. Traffic lost at the swaps of the ops
	# table (40 of them, each overlapped by traffic) would exceed that.
	[ "$1" -ge 40 ] || die "only $1 pings sent"
	[ $(($1 - $2)) -le 2 ] || die "$(($1 - $2)) of $1 pings lost (allowed: 2)"
}

# the module as DKMS builds and installs it (test/host/deb.sh keeps a copy,
# test/vm/mkinitramfs.sh ships it as xdpmeta-dkms.ko): it loads on the
# stock kernel, hooks the NICs, its kfuncs work (key add runs the SYSCALL
# programs against them) and it unloads. make check runs host-deb before
# the VM, so the file must be there. (DKMS builds for the stock kernel: on
# the debug kernel of make check-debug this test is a skip.)
test_dkms_built_module_loads() {
	[ -e $X/debug-kernel ] &&
		skip "DKMS builds xdpmeta for the stock kernel; this is the debug kernel $(cat $X/debug-kernel)"
	[ -e $X/xdpmeta-dkms.ko ] ||
		die "no $X/xdpmeta-dkms.ko (test/host/deb.sh keeps build/dkms/xdpmeta.ko, mkinitramfs.sh ships it)"
	xm_loaded && die "xdpmeta already loaded"
	ok insmod $X/xdpmeta-dkms.ko
	dmesg | grep -q 'xdpmeta: loaded' || die "no 'loaded' message"
	hooked eth0 || die "eth0 not hooked by the DKMS-built module"
	expect_eq "$(dev_field eth0 driver)" virtio_net "eth0 driver"
	ok xdpmeta key add dkms_key 4
	expect_grep '^key dkms_key: id [0-9]+, size 4 ' /tmp/ok.out "key add through the DKMS-built module's kfuncs"
	ok xdpmeta key del dkms_key
	xm_unload || die "rmmod failed"
	[ -d $DBG ] && die "$DBG still there after rmmod"
	dmesg | grep -qE 'xdpmeta: unloaded, restored [0-9]+ devices' || die "no unload message"
}

test_cli_dev() {
	no xdpmeta dev
	expect_grep "^Couldn't read '/sys/kernel/debug/xdpmeta/devices': xdpmeta is not loaded \(insmod kmod/xdpmeta.ko\)" /tmp/no.out "CLI error"
	xm_load
	ns_add xn1
	veth_pair xva "" xvb xn1
	ok xdpmeta dev
	expect_grep 'xva' /tmp/ok.out "xdpmeta dev"
	expect_grep 'eth1' /tmp/ok.out "xdpmeta dev"
	ok xdpmeta dev --json
	expect_grep '"name": *"xvb"' /tmp/ok.out "xdpmeta dev --json"
	expect_grep '"driver": *"virtio_net"' /tmp/ok.out "xdpmeta dev --json"
}

# the guest helpers behind every counter check: a column the module does
# not print is -1 with a message (so ">= N" and "= N" checks fail), an
# unlisted device is empty (so hooked is false), never the whole line
test_helpers_missing_column_is_minus_one() {
	xm_load
	i=$(dev_field eth0 ifindex)
	[ "$i" -gt 0 ] 2>/dev/null || die "eth0 ifindex '$i'"
	expect_eq "$(dev_field eth0 no_such_column 2> /tmp/err)" -1 "missing column"
	expect_grep "has no column no_such_column" /tmp/err "helper's message"
	expect_eq "$(dev_field nosuchdev ifindex)" "" "unlisted device"
	hooked nosuchdev && die "hooked: an unlisted device"
	# a table without the netns column (as after a rename): -1, not hooked
	printf 'ifindex name\n3 eth0\n' > /tmp/fake_devices
	expect_eq "$(col_field /tmp/fake_devices eth0 ifindex 2> /dev/null)" -1 "table without netns"
	DBG=/tmp/fakedbg; mkdir -p $DBG; cp /tmp/fake_devices $DBG/devices
	hooked eth0 && die "hooked: a table without a netns column"
	return 0
}

# The races of this suite (stress, the data path against attach and
# unload) need two CPUs: run.sh gives -smp 2, and the kernel must use both
# (the debug kernel once ran on one: "Limiting to 1 possible CPUs").
test_vm_runs_on_two_cpus() {
	n=$(grep -c '^processor' /proc/cpuinfo)
	[ "$n" -ge 2 ] || die "the guest runs on $n CPU(s): $(dmesg | grep -m1 'possible CPUs')"
}
