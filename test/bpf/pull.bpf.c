// SPDX-License-Identifier: GPL-2.0
/*
 * pull: bpf_xdpmeta_pull() under BPF_PROG_TEST_RUN (pull_run, driven by
 * cfg) and on received frames (pull_rx: pull everything, then pass).
 */
#include "xdpmeta.h"
#include "pull.h"

struct pull_cfg cfg;
struct pull_res res;
struct pull_rx_stats rxs;

SEC("xdp.frags")
int pull_run(struct xdp_md *ctx)
{
	__u8 v[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	void *data, *data_end;
	__u8 *meta;

	res.linear_before = ctx->data_end - ctx->data;
	res.total_before = bpf_xdp_get_buff_len(ctx);
	if (cfg.set_meta) {
		if (bpf_xdp_adjust_meta(ctx, -8))
			return XDP_ABORTED;
		meta = (void *)(long)ctx->data_meta;
		if ((void *)(meta + 8) > (void *)(long)ctx->data)
			return XDP_ABORTED;
		__builtin_memset(meta, 0xab, 8);
	}
	if (cfg.set_store)
		res.set_ret = bpf_xdpmeta_set(ctx, cfg.key, v, sizeof(v), 0);
	res.ret = xdpmeta_pull(ctx, cfg.len, cfg.flags, &data, &data_end);
	res.linear_after = data_end - data;
	res.total_after = bpf_xdp_get_buff_len(ctx);
	if (cfg.set_store) {
		res.get_ret = bpf_xdpmeta_get(ctx, cfg.key, res.val, sizeof(res.val));
		res.store_ok = 1;
		for (int i = 0; i < 16; i++)
			if (res.val[i] != v[i])
				res.store_ok = 0;
	}
	if (cfg.set_meta) {
		meta = (void *)(long)ctx->data_meta;
		if ((void *)(meta + 8) > (void *)(long)ctx->data)
			return XDP_ABORTED;
		res.meta_ok = *(__u64 *)meta == 0xababababababababULL;
	}
	/* test runs return the metadata before the data: drop ours and the
	 * store's seal (bpf/xdpmeta.h), so the output is the frame alone */
	if (ctx->data_meta < ctx->data &&
	    bpf_xdp_adjust_meta(ctx, ctx->data - ctx->data_meta))
		return XDP_ABORTED;
	return XDP_PASS;
}

SEC("xdp.frags")
int pull_rx(struct xdp_md *ctx)
{
	int total = bpf_xdp_get_buff_len(ctx), ret;

	if (total < 1000)
		return XDP_PASS;
	__sync_fetch_and_add(&rxs.frames, 1);
	if (ctx->data_end - ctx->data < total)
		__sync_fetch_and_add(&rxs.multi, 1);
	ret = bpf_xdpmeta_pull(ctx, 0, XDPMETA_PULL_ALL | XDPMETA_PULL_HEADROOM);
	if (ret == total && ctx->data_end - ctx->data == total &&
	    bpf_xdp_get_buff_len(ctx) == total)
		__sync_fetch_and_add(&rxs.whole, 1);
	else if (ret == -28 /* ENOSPC */)
		__sync_fetch_and_add(&rxs.enospc, 1);
	else
		rxs.last_other = ret;
	return XDP_PASS;
}

/* pull_fwd: redirects everything through fwd[0] (frames for pull_rx) */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} fwd SEC(".maps");

SEC("xdp.frags")
int pull_fwd(struct xdp_md *ctx)
{
	return bpf_redirect_map(&fwd, 0, 0);
}

char LICENSE[] SEC("license") = "GPL";
