// SPDX-License-Identifier: GPL-2.0
/*
 * dp_plain: a live-frames traffic generator (BPF_PROG_TEST_RUN with
 * BPF_F_TEST_XDP_LIVE_FRAMES) that redirects every frame into a veth, and
 * the counting receiver on its peer. No xdpmeta kfunc: the same programs
 * run with the module unloaded and loaded.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} dp_tx SEC(".maps");

__u64 rx_frames;

SEC("xdp")
int gen_redirect(struct xdp_md *ctx)
{
	return bpf_redirect_map(&dp_tx, 0, 0);
}

SEC("xdp")
int rx_count(struct xdp_md *ctx)
{
	__sync_fetch_and_add(&rx_frames, 1);
	return XDP_DROP;
}

/* the same count, then XDP_PASS: each frame becomes an skb (the skb path) */
SEC("xdp")
int rx_count_pass(struct xdp_md *ctx)
{
	__sync_fetch_and_add(&rx_frames, 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
