// SPDX-License-Identifier: GPL-2.0
/*
 * store_bench: XDP programs for `make bench`, run with BPF_PROG_TEST_RUN.
 * kvN does N set+get pairs of 8-byte keys through the kfuncs; metaN moves
 * the same bytes through bpf_xdp_adjust_meta and direct stores and loads
 * (data_meta holds at most 32 bytes: meta1 and meta4 only), both with
 * a new value every run. Test-run repeats reuse the xdp_buff, so the meta
 * programs give the room back.
 */
#include "xdpmeta.h"

const volatile __u32 keys[16];
__u64 sink, seq;

SEC("xdp")
int empty(struct xdp_md *ctx)
{
	return XDP_PASS;
}

/* new values every run: each set changes the store (an overwrite after
 * the first repeat), as a per-packet value would */
static __always_inline int kv(struct xdp_md *ctx, int n)
{
	__u64 v = ++seq, out = 0;

	for (int i = 0; i < n; i++) {
		v += i;
		if (bpf_xdpmeta_set(ctx, keys[i], &v, sizeof(v), 0) ||
		    bpf_xdpmeta_get(ctx, keys[i], &out, sizeof(out)) != 8)
			return XDP_ABORTED;
		sink += out;
	}
	return XDP_PASS;
}

SEC("xdp") int kv1(struct xdp_md *ctx) { return kv(ctx, 1); }
SEC("xdp") int kv4(struct xdp_md *ctx) { return kv(ctx, 4); }
SEC("xdp") int kv16(struct xdp_md *ctx) { return kv(ctx, 16); }

static __always_inline int meta(struct xdp_md *ctx, int n)
{
	__u64 v = ++seq, *m;
	void *data;

	if (bpf_xdp_adjust_meta(ctx, -8 * n))
		return XDP_ABORTED;
	data = (void *)(long)ctx->data;
	m = (void *)(long)ctx->data_meta;
	if ((void *)(m + n) > data)
		return XDP_ABORTED;
	for (int i = 0; i < n; i++) {
		v += i;
		m[i] = v;
		sink += m[i];
	}
	if (bpf_xdp_adjust_meta(ctx, 8 * n))
		return XDP_ABORTED;
	return XDP_PASS;
}

SEC("xdp") int meta1(struct xdp_md *ctx) { return meta(ctx, 1); }
SEC("xdp") int meta4(struct xdp_md *ctx) { return meta(ctx, 4); }


/* pull: a frags program doing nothing vs one pulling the whole frame */
SEC("xdp.frags")
int frags_empty(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp.frags")
int frags_pull(struct xdp_md *ctx)
{
	return bpf_xdpmeta_pull(ctx, 0, XDPMETA_PULL_ALL) < 0 ? XDP_ABORTED : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
