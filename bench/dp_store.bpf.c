// SPDX-License-Identifier: GPL-2.0
/*
 * dp_store: dp_plain with the metadata store on both sides: the generator
 * sets an 8-byte key before the redirect, the receiver reads it back.
 */
#include "xdpmeta.h"

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} dp_tx SEC(".maps");

const volatile __u32 key = XDPMETA_KEY_UNSET;
__u64 rx_frames, rx_match;

SEC("xdp")
int gen_redirect_store(struct xdp_md *ctx)
{
	__u64 v = 42;

	bpf_xdpmeta_set(ctx, key, &v, sizeof(v), 0);
	/*
	 * Live-frames test runs keep a pre-built xdp_frame per page and
	 * refresh it from the xdp_buff only when data/data_meta/data_end
	 * moved: move data_meta so that the buff's flags (with the store's
	 * presence bit) reach the frame, as a driver's conversion would.
	 */
	bpf_xdp_adjust_meta(ctx, -4);
	return bpf_redirect_map(&dp_tx, 0, 0);
}

SEC("xdp")
int rx_count_store(struct xdp_md *ctx)
{
	__u64 v = 0;

	__sync_fetch_and_add(&rx_frames, 1);
	if (bpf_xdpmeta_get(ctx, key, &v, sizeof(v)) == 8 && v == 42)
		__sync_fetch_and_add(&rx_match, 1);
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
