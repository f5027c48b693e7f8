#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make demo`: xdpmeta at work, narrated. Runs in the VM (see init).
. /xdpmeta/lib.sh
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { echo "\$ $*"; "$@"; }

say "The VM: Debian's stock kernel $(uname -r), two virtio_net NICs (eth0, eth1) on a QEMU hub"
ip -br link show | grep -E '^eth'

say "Without the module the CLI says what is missing"
run xdpmeta dev

say "Load xdpmeta.ko: it hooks every veth and virtio_net device, in every netns"
ip netns add red; ip netns add blue
ip link add xva type veth peer name xvb
ip link add xvc type veth peer name xvd
ip link set xva netns red; ip link set xvd netns blue
ip -n red addr add 10.77.0.1/24 dev xva; ip -n blue addr add 10.77.0.2/24 dev xvd
ip -n red link set xva up; ip -n blue link set xvd up; ip link set xvb up; ip link set xvc up
run insmod /xdpmeta/xdpmeta.ko
run xdpmeta dev

say "Attach an XDP program to eth0 (virtio_net) and one to xvb (veth): the hook counts"
ip link set dev eth0 xdp obj $BPF/xdp_count.bpf.o sec xdp
ip link set dev xvb xdp obj $BPF/xdp_count.bpf.o sec xdp.frags
run xdpmeta dev

say "A refused attach keeps the driver's own message (MTU 9000 needs a frags-aware program)"
ip link set dev eth0 xdp off
ip link set eth0 mtu 9000
echo "\$ ip link set dev eth0 xdp obj xdp_count.bpf.o sec xdp"
ip link set dev eth0 xdp obj $BPF/xdp_count.bpf.o sec xdp
ip link set eth0 mtu 1500
ip link set dev xvb xdp off

say "Keys are allocated by name, in a registry shared by every program"
run xdpmeta key add flow_id 8
run xdpmeta key list
run xdpmeta key del flow_id

say "Unload: every device gets its driver's own ops back"
ip link set dev eth0 xdp off
echo "\$ rmmod xdpmeta    # (retried: the CLI's registry program is freed after an RCU grace period)"
xm_unload
dmesg | grep 'xdpmeta: unloaded'
ip netns del red; ip netns del blue; ip link del xvc 2>/dev/null

say "Metadata set at ingress survives XDP_REDIRECT into a container's veth and a cpumap"
cat <<'TXT'
test/vm/t_redirect.c loads xdpmeta, registers key 'seq' (8 bytes) and builds
   netns xr1          init netns                          netns xr2
   xra ---- xrb [xdp_tag_redirect] =devmap=> xrc ---- xrd [xdp_check]
                                   =cpumap=> [xdp_cpumap_check]
xdp_tag_redirect sets 'seq' to the ICMP echo sequence number; the programs
after the redirect read it back and compare. 20 pings each:
TXT
for t in devmap_into_veth_in_other_netns no_set_reads_enoent_despite_recycled_buffer cpumap_program_reads_store; do
	/xdpmeta/bin/t_redirect -t $t 2>&1 | sed -n "s/.*:$t:/$t: /p; /^ok\|^not ok/p"
done
echo "(tagged: set at ingress; rx: seen after the redirect; match: right value;"
echo " absent: -ENOENT on packets that had no set, although their recycled buffers"
echo " held an earlier packet's store; wrong: anything else)"

say "Multi-buffer frames redirected to a program that is not frags-aware"
cat <<'TXT'
test/vm/t_mb.c: a frags-aware program on veth xrb (MTU 9000) redirects 3522-byte
frames (3520 linear + 2 in a frag) into veth xrc; its peer xrd runs a plain
SEC("xdp") program that records how much of each frame it can see.
TXT
for t in pass_policy_shows_stock_partial_packets linearize_delivers_whole_packets; do
	/xdpmeta/bin/t_mb -t $t 2>&1 | sed -n "s/.*:$t:/$t: /p; /^ok\|^not ok/p"
done
echo "(pass = stock behaviour: max_linear 3520 of 3522, every frame partial;"
echo " linearize = xdpmeta compat, the default: 0 partial, whole 3522-byte frames)"
insmod /xdpmeta/xdpmeta.ko
run xdpmeta mb
echo "\$ xdpmeta mb mode strict; ip link set dev eth0 xdp obj xdp_count.bpf.o sec xdp"
xdpmeta mb mode strict
ip link set dev eth0 xdp obj $BPF/xdp_count.bpf.o sec xdp
xdpmeta mb mode compat
xm_unload
echo "XDPMETA-DONE" > /dev/ttyS1
