// SPDX-License-Identifier: GPL-2.0
/*
 * hints_bench: programs of bench/hints_bench.c.
 *  - import: at xrb (veth, skb path: real driver hints), count test
 *    packets and drop, with or without bpf_xdpmeta_import_hints();
 *  - apply: a live-frames generator redirects into veth xrc, with no
 *    store, a store with one user key, or the three hints set; the
 *    receiver on xrd passes every frame, so the skb side (the ingress hook
 *    that applies hints) runs for each.
 */
#include "xdpmeta.h"
#include <bpf/bpf_endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} hb_tx SEC(".maps");

const volatile __u32 key = XDPMETA_KEY_UNSET;	/* a 4-byte user key */
__u64 seen, imported, rx_frames;

SEC("xdp")
int imp_plain(struct xdp_md *ctx)
{
	__sync_fetch_and_add(&seen, 1);
	return XDP_DROP;
}

SEC("xdp")
int imp_import(struct xdp_md *ctx)
{
	__sync_fetch_and_add(&seen, 1);
	if (bpf_xdpmeta_import_hints(ctx, XDPMETA_HINT_ALL) > 0)
		__sync_fetch_and_add(&imported, 1);
	return XDP_DROP;
}

SEC("xdp")
int gen_plain(struct xdp_md *ctx)
{
	return bpf_redirect_map(&hb_tx, 0, 0);
}

SEC("xdp")
int gen_key(struct xdp_md *ctx)
{
	__u32 one = 1;

	bpf_xdpmeta_set(ctx, key, &one, 4, 0);
	return bpf_redirect_map(&hb_tx, 0, 0);
}

SEC("xdp")
int gen_hints(struct xdp_md *ctx)
{
	bpf_xdpmeta_hint_set_hash(ctx, 0x5eed, 0x29);
	bpf_xdpmeta_hint_set_vlan(ctx, bpf_htons(0x8100), 7);
	bpf_xdpmeta_hint_set_timestamp(ctx, 1000);
	return bpf_redirect_map(&hb_tx, 0, 0);
}

SEC("xdp")
int rx_pass(struct xdp_md *ctx)
{
	__sync_fetch_and_add(&rx_frames, 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
