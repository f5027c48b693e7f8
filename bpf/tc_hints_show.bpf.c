// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * Example: read the XDP store from tc. tc ingress runs before xdpmeta
 * applies the hints to the skb, so a tc program reads them from the store
 * (bpf_xdpmeta_skb_get), not from skb->hash. Prints them to the trace
 * buffer (/sys/kernel/tracing/trace).
 *
 *   tc qdisc add dev DEV clsact
 *   tc filter add dev DEV ingress bpf da obj tc_hints_show.bpf.o sec tc
 */
#include "xdpmeta.h"

SEC("tc")
int tc_hints_show(struct __sk_buff *skb)
{
	struct xdpmeta_vlan vlan = {};
	__u32 hash = 0, type = 0;

	if (bpf_xdpmeta_skb_get(skb, XDPMETA_KEY_RX_HASH, &hash, 4) < 0)
		return 0;	/* TC_ACT_OK: no store, or no hash in it */
	bpf_xdpmeta_skb_get(skb, XDPMETA_KEY_RX_HASH_TYPE, &type, 4);
	bpf_xdpmeta_skb_get(skb, XDPMETA_KEY_RX_VLAN, &vlan, sizeof(vlan));
	bpf_printk("xdpmeta store at tc: rx_hash %x type %x vlan %u", hash, type,
		   vlan.tci & 0xfff);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
