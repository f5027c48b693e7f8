// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * xdp_count: the simplest XDP program, counts packets and bytes (linear
 * and whole frame) and passes them. Two entry points: a plain one and an
 * xdp.frags (multi-buffer aware) one. Uses no xdpmeta kfunc, so it works
 * with or without the module loaded.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct xdp_count_stats {
	__u64 packets;
	__u64 linear_bytes;	/* data_end - data */
	__u64 frame_bytes;	/* bpf_xdp_get_buff_len() */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xdp_count_stats);
} xdp_count_map SEC(".maps");

static __always_inline int count(struct xdp_md *ctx)
{
	struct xdp_count_stats *s;
	__u32 k = 0;

	s = bpf_map_lookup_elem(&xdp_count_map, &k);
	if (s) {
		__sync_fetch_and_add(&s->packets, 1);
		__sync_fetch_and_add(&s->linear_bytes, ctx->data_end - ctx->data);
		__sync_fetch_and_add(&s->frame_bytes, bpf_xdp_get_buff_len(ctx));
	}
	return XDP_PASS;
}

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	return count(ctx);
}

SEC("xdp.frags")
int xdp_count_frags(struct xdp_md *ctx)
{
	return count(ctx);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
