// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * Example: keep the NIC's RX hints across XDP_REDIRECT. Imports the
 * receiving driver's hints (hash, VLAN tag, timestamp: whichever it has)
 * into the packet's store and forwards it through the devmap "fwd"
 * (key 0). Where the packet becomes an skb on a device xdpmeta hooks
 * (e.g. the veth of a container), xdpmeta puts the hints on the skb:
 * skb->hash, the VLAN tag, the hardware timestamp.
 *
 *   ip link set dev IN xdp obj xdp_hints_fwd.bpf.o sec xdp
 *   bpftool map update name fwd key 0 0 0 0 value <ifindex, 4 bytes LE>
 */
#include "xdpmeta.h"

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} fwd SEC(".maps");

/* the driver must offer at least one hint: checked at attach by xdpmeta */
SEC("xdp")
int xdp_hints_fwd(struct xdp_md *ctx)
{
	/* no hint for this packet (-ENODATA) is not an error: forward anyway */
	bpf_xdpmeta_import_hints(ctx, XDPMETA_HINT_ALL);
	return bpf_redirect_map(&fwd, 0, XDP_PASS);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
