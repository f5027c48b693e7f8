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

struct mb_rx_stats rx;

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
	__u64 linear = ctx->data_end - ctx->data;
	__u64 total = bpf_xdp_get_buff_len(ctx);

	if (total < 1000)	/* only the big test frames */
		return XDP_DROP;
	__sync_fetch_and_add(&rx.frames, 1);
	if (linear < total)
		__sync_fetch_and_add(&rx.partial, 1);
	if (linear > rx.max_linear)
		rx.max_linear = linear;
	if (total > rx.max_total)
		rx.max_total = total;
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
