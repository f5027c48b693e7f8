// SPDX-License-Identifier: GPL-2.0
/*
 * mb_redirect: a frags-aware program that redirects every IPv4 frame into
 * a devmap, and a plain (not frags-aware) receiver that records whether it
 * saw whole frames. No xdpmeta kfunc: the module can unload while these
 * programs run.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "mb_redirect.h"

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} mb_tx SEC(".maps");

struct mb_rx_stats rx, rxf;

static __always_inline int record(struct xdp_md *ctx, struct mb_rx_stats *st)
{
	__u64 linear = ctx->data_end - ctx->data;
	__u64 total = bpf_xdp_get_buff_len(ctx);

	if (total < 1000)	/* only the big test frames */
		return XDP_DROP;
	__sync_fetch_and_add(&st->frames, 1);
	if (linear < total)
		__sync_fetch_and_add(&st->partial, 1);
	if (linear > st->max_linear)
		st->max_linear = linear;
	if (total > st->max_total)
		st->max_total = total;
	return XDP_DROP;
}

SEC("xdp.frags")
int mb_redir(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(0x0800))
		return XDP_PASS;
	return bpf_redirect_map(&mb_tx, 0, 0);
}

SEC("xdp")
int mb_plain_rx(struct xdp_md *ctx)
{
	return record(ctx, &rx);
}

/* the same, frags-aware: sees multi-buffer frames as they are */
SEC("xdp.frags")
int mb_frags_rx(struct xdp_md *ctx)
{
	return record(ctx, &rxf);
}

char LICENSE[] SEC("license") = "GPL";
