// SPDX-License-Identifier: GPL-2.0
/*
 * store_redirect: a value set at one device's XDP program is read after
 * XDP_REDIRECT by the program at the other end: a veth peer in another
 * netns (devmap) or a cpumap program. ICMP echo requests carry the
 * sequence number the value is checked against.
 */
#include "xdpmeta.h"
#include <bpf/bpf_endian.h>

#define MAGIC 0x5a5a000000000000ULL

const volatile __u32 key = XDPMETA_KEY_UNSET;	/* an 8-byte key */
const volatile __u32 set_odd_only;		/* stale test: even seqs get no set */
const volatile __u32 use_cpumap;

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} tx_port SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct bpf_cpumap_val);
} cpu_map SEC(".maps");

#include "store_redirect.h"

struct redirect_stats stats;

static __always_inline int echo_seq(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct icmphdr *icmp = (void *)(ip + 1);

	if ((void *)(icmp + 1) > end || eth->h_proto != bpf_htons(0x0800) ||
	    ip->ihl != 5 || ip->protocol != 1 || icmp->type != 8)
		return -1;
	return bpf_ntohs(icmp->un.echo.sequence);
}

static __always_inline int tag_redirect(struct xdp_md *ctx)
{
	int seq = echo_seq(ctx);
	__u64 v;

	if (seq < 0 || key == XDPMETA_KEY_UNSET)
		return XDP_PASS;
	if (set_odd_only && !(seq & 1)) {
		__sync_fetch_and_add(&stats.untagged, 1);
	} else {
		v = MAGIC | seq;
		if (bpf_xdpmeta_set(ctx, key, &v, sizeof(v), 0))
			__sync_fetch_and_add(&stats.set_errors, 1);
		else
			__sync_fetch_and_add(&stats.tagged, 1);
	}
	if (use_cpumap)
		return bpf_redirect_map(&cpu_map, 1, 0);
	return bpf_redirect_map(&tx_port, 0, 0);
}

SEC("xdp")
int xdp_tag_redirect(struct xdp_md *ctx)
{
	return tag_redirect(ctx);
}

/* the same on multi-buffer frames (the redirect compat shim tests) */
SEC("xdp.frags")
int xdp_tag_redirect_frags(struct xdp_md *ctx)
{
	return tag_redirect(ctx);
}

/*
 * Whether the headroom right after struct xdp_frame (where a store would
 * be) holds a store header with the key's bit set: data is pushed down to
 * there (no metadata here, so nothing moves but data), the 16 bytes read,
 * and data moved back. The precondition of the stale test.
 */
static __always_inline bool stale_store_below(struct xdp_md *ctx)
{
	int moved = 0, i;
	bool stale = false;
	void *data, *end;
	__u64 *hdr;

	for (i = 0; i < 64; i++) {
		if (bpf_xdp_adjust_head(ctx, -8))
			break;
		moved += 8;
	}
	for (i = 0; i < 7; i++) {
		if (bpf_xdp_adjust_head(ctx, -1))
			break;
		moved += 1;
	}
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	hdr = data;
	if ((void *)(hdr + 2) <= end && key < 64)
		stale = ((hdr[0] | hdr[1]) >> key) & 1;
	bpf_xdp_adjust_head(ctx, moved);
	return stale;
}

static __always_inline int check(struct xdp_md *ctx)
{
	int seq, ret;
	__u64 v = 0, total = bpf_xdp_get_buff_len(ctx);

	if (total > 1000) {
		__sync_fetch_and_add(&stats.big, 1);
		if (ctx->data_end - ctx->data == total)
			__sync_fetch_and_add(&stats.whole, 1);
	}
	seq = echo_seq(ctx);
	if (seq < 0)
		return XDP_PASS;
	__sync_fetch_and_add(&stats.rx, 1);
	ret = bpf_xdpmeta_get(ctx, key, &v, sizeof(v));
	if (set_odd_only && !(seq & 1) && stale_store_below(ctx))
		__sync_fetch_and_add(&stats.stale, 1);
	if (set_odd_only && !(seq & 1) && ret == -2 /* ENOENT */)
		__sync_fetch_and_add(&stats.absent_ok, 1);
	else if ((!set_odd_only || (seq & 1)) && ret == 8 && v == (MAGIC | seq))
		__sync_fetch_and_add(&stats.match, 1);
	else {
		__sync_fetch_and_add(&stats.wrong, 1);
		stats.last_wrong = ret;
	}
	return XDP_DROP;
}

SEC("xdp")
int xdp_check(struct xdp_md *ctx)
{
	return check(ctx);
}

SEC("xdp/cpumap")
int xdp_cpumap_check(struct xdp_md *ctx)
{
	return check(ctx);
}

char LICENSE[] SEC("license") = "GPL";
