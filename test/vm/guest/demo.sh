#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make demo`: xdpmeta at work, narrated. Runs in the VM (see init).
. /xdpmeta/lib.sh
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { echo "\$ $*"; "$@"; }

say "The VM: Debian's stock kernel $(uname -r), eight virtio_net NICs (eth2 with RSS, eth4 with small buffers, eth6 with hash reports on a tap)"
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

say "RX hints: imported where a packet arrives, carried through XDP_REDIRECT into a container, applied to its skb"
cat <<'TXT'
   netns xr1                    init netns                        netns xr2 (the container)
   xra.7 (VLAN 7) - xra ---- xrb [xdp_hints_fwd] =devmap=> xrc ---- xrd [tc_hints_show] - xrd.7 (10.78.0.2)
xra.7 sends tagged packets: veth keeps the tag in the skb, not in the bytes
XDP sees, and a stock XDP_REDIRECT loses it (and skb->hash). xdp_hints_fwd
imports hash and VLAN into the store; at xrd xdpmeta puts them back on the
skb, so the packets reach xrd.7. tc ingress at xrd reads the store.
TXT
insmod /xdpmeta/xdpmeta.ko
ip netns add xr1; ip netns add xr2
ip link add xra type veth peer name xrb; ip link add xrc type veth peer name xrd
ip link set xra netns xr1; ip link set xrd netns xr2
ip -n xr1 link add link xra name xra.7 type vlan id 7
ip -n xr2 link add link xrd name xrd.7 type vlan id 7
ip -n xr1 addr add 10.78.0.1/24 dev xra.7; ip -n xr2 addr add 10.78.0.2/24 dev xrd.7
for l in xra xra.7; do ip -n xr1 link set $l up; done
for l in xrd xrd.7; do ip -n xr2 link set $l up; done
ip link set xrb up; ip link set xrc up
ip -n xr1 neigh add 10.78.0.2 lladdr "$(ip -n xr2 -br link show xrd | awk '{print $3}')" dev xra.7
run ip link set dev xrb xdp obj $BPF/xdp_hints_fwd.bpf.o sec xdp
xrc=$(cat /sys/class/net/xrc/ifindex)
run bpftool map update name fwd key 0 0 0 0 value $((xrc & 255)) $((xrc >> 8 & 255)) 0 0
echo "\$ ip -n xr2 link set dev xrd xdp obj xdp_count.bpf.o sec xdp   # veth takes redirected frames only then"
ip -n xr2 link set dev xrd xdp obj $BPF/xdp_count.bpf.o sec xdp
run /usr/local/sbin/tc -n xr2 qdisc add dev xrd clsact
run /usr/local/sbin/tc -n xr2 filter add dev xrd ingress bpf da obj $BPF/tc_hints_show.bpf.o sec tc
echo 1 > /sys/kernel/tracing/tracing_on; : > /sys/kernel/tracing/trace
run ip netns exec xr1 ping -c 3 -i 0.2 -W 1 10.78.0.2 | grep -E 'transmitted' || true
echo "(no replies: nothing routes them back; what counts is what arrived)"
run ip -n xr2 -s link show xrd.7 | sed -n '/RX:/{p;n;p}'
echo "(RX packets on xrd.7: the VLAN tag was restored on the skb after the redirect)"
grep -o 'xdpmeta store at tc.*' /sys/kernel/tracing/trace | head -3
awk 'NR==1{for(i=1;i<=NF;i++)c[$i]=i} NR==1||$c["name"]=="xrd"{print $c["name"], $c["skb_stores"], $c["skb_hints"], $c["skb_bad_seal"]}' \
	/sys/kernel/debug/xdpmeta/devices
ip link set dev xrb xdp off; ip netns del xr1; ip netns del xr2; ip link del xrc 2>/dev/null
xm_unload

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
