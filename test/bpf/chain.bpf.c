// SPDX-License-Identifier: GPL-2.0
/*
 * Chain entries for t_chain: each records that it ran, in which order,
 * and what it saw of the frame (a plain program must never see a partial
 * one); what each returns is set by the test.
 */
#include "xdpmeta.h"

#define NPROG	8

__u32 act[NPROG];		/* what entry i returns */
__u32 seq;			/* entries run since the test reset it */
__u32 order[16];		/* entry tags in run order */
__u64 runs[NPROG];
__u64 partial[NPROG];		/* runs that saw data_end - data < the frame */
__u64 big[NPROG];		/* runs on frames over 3000 bytes */
__u64 sink_runs;

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} tx SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} jmp SEC(".maps");

static __always_inline int rec(struct xdp_md *ctx, __u32 i)
{
	__u32 s = seq;	/* not atomic: order[] is for test runs, one at a time */
	__u32 lin = ctx->data_end - ctx->data;
	__u32 tot = bpf_xdp_get_buff_len(ctx);

	seq = s + 1;
	if (s < 16)
		order[s] = i;
	if (i >= NPROG)
		return XDP_ABORTED;
	__sync_fetch_and_add(&runs[i], 1);
	if (lin < tot)
		__sync_fetch_and_add(&partial[i], 1);
	if (tot > 3000)
		__sync_fetch_and_add(&big[i], 1);
	return act[i];
}

/* plain entries 0..3, frags-aware 4..5 */
SEC("xdp") int p0(struct xdp_md *ctx) { return rec(ctx, 0); }
SEC("xdp") int p1(struct xdp_md *ctx) { return rec(ctx, 1); }
SEC("xdp") int p2(struct xdp_md *ctx) { return rec(ctx, 2); }
SEC("xdp") int p3(struct xdp_md *ctx) { return rec(ctx, 3); }
SEC("xdp.frags") int f4(struct xdp_md *ctx) { return rec(ctx, 4); }
SEC("xdp.frags") int f5(struct xdp_md *ctx) { return rec(ctx, 5); }

/* entry 6: redirect through tx[0] */
SEC("xdp.frags")
int redir(struct xdp_md *ctx)
{
	rec(ctx, 6);
	return bpf_redirect_map(&tx, 0, 0);
}

/* entry 7: tail-call jmp[0] (the test puts the dispatcher there) */
SEC("xdp.frags")
int tail(struct xdp_md *ctx)
{
	rec(ctx, 7);
	bpf_tail_call(ctx, &jmp, 0);
	return XDP_PASS;
}

/* where redirected frames end up: counts IPv4 only (the pings) */
SEC("xdp.frags")
int sink(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	unsigned char *eth = data;

	if (data + 14 <= end && eth[12] == 0x08 && eth[13] == 0x00)
		__sync_fetch_and_add(&sink_runs, 1);
	return XDP_DROP;
}

/* not an ingress program: refused as an entry */
SEC("xdp/devmap")
int devprog(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
