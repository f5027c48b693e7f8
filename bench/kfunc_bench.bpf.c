// SPDX-License-Identifier: GPL-2.0
/*
 * kfunc_bench: one XDP program per kfunc case of bench/kfunc_bench.c, run
 * with BPF_PROG_TEST_RUN. Each does the same prologue and then the one
 * call it measures, so a case minus its base (same prologue, no call) is
 * that call's cost, argument set-up and result check included.
 *
 * Repeat cases (r_*): test runs keep one xdp_buff for every repeat of a
 * syscall and clear its flags once, so the store is absent at repeat 0
 * only. `primed` (zeroed by user space before each syscall) makes repeat
 * 0 create what the case needs; the prologue is that one load and branch.
 * Single cases (s_*): one repeat per syscall, on a fresh packet.
 */
#include "xdpmeta.h"

const volatile __u32 k0 = XDPMETA_KEY_UNSET, k1 = XDPMETA_KEY_UNSET;	/* 8-byte */
const volatile __u32 k16 = XDPMETA_KEY_UNSET;				/* 16-byte */
__u32 primed;
__u64 seq, sink;

#define PASS_IF(c) ((c) ? XDP_PASS : XDP_ABORTED)

/* repeat 0 of a syscall: make the store hold @n 8-byte keys (k0, k1) and k16 */
static __always_inline int prime(struct xdp_md *ctx, int n, bool with16)
{
	__u64 v[2] = { 1, 2 };

	if (primed)
		return 0;
	primed = 1;
	if (n > 0 && bpf_xdpmeta_set(ctx, k0, v, 8, 0))
		return -1;
	if (n > 1 && bpf_xdpmeta_set(ctx, k1, v, 8, 0))
		return -1;
	if (with16 && bpf_xdpmeta_set(ctx, k16, v, 16, 0))
		return -1;
	return 0;
}

SEC("xdp") int r_empty(struct xdp_md *ctx) { return XDP_PASS; }

SEC("xdp")
int r_base(struct xdp_md *ctx)
{
	return PASS_IF(!prime(ctx, 1, true));
}

SEC("xdp")
int r_nop(struct xdp_md *ctx)
{
	if (prime(ctx, 1, true))
		return XDP_ABORTED;
	return PASS_IF(!bpf_xdpmeta_nop(ctx));
}

SEC("xdp")
int r_get_hit(struct xdp_md *ctx)
{
	__u64 v;

	if (prime(ctx, 1, true))
		return XDP_ABORTED;
	return PASS_IF(bpf_xdpmeta_get(ctx, k0, &v, 8) == 8);
}

SEC("xdp")
int r_get_hit16(struct xdp_md *ctx)
{
	__u64 v[2];

	if (prime(ctx, 1, true))
		return XDP_ABORTED;
	return PASS_IF(bpf_xdpmeta_get(ctx, k16, v, 16) == 16);
}

/* the store holds k0 and k16, not k1 */
SEC("xdp")
int r_get_miss(struct xdp_md *ctx)
{
	__u64 v;

	if (prime(ctx, 1, true))
		return XDP_ABORTED;
	return PASS_IF(bpf_xdpmeta_get(ctx, k1, &v, 8) == -2 /* ENOENT */);
}

SEC("xdp")
int r_is_set(struct xdp_md *ctx)
{
	if (prime(ctx, 1, true))
		return XDP_ABORTED;
	return PASS_IF(bpf_xdpmeta_is_set(ctx, k0) == 1);
}

/* an overwrite with a new value every time: the store's bytes change */
SEC("xdp")
int r_set_over(struct xdp_md *ctx)
{
	__u64 v = ++seq;

	if (prime(ctx, 1, true))
		return XDP_ABORTED;
	return PASS_IF(!bpf_xdpmeta_set(ctx, k0, &v, 8, 0));
}

/* base of the two above: the same prologue and value */
SEC("xdp")
int r_base_seq(struct xdp_md *ctx)
{
	__u64 v = ++seq;

	if (prime(ctx, 1, true))
		return XDP_ABORTED;
	sink = v;
	return XDP_PASS;
}

/* an overwrite with the value already there */
SEC("xdp")
int r_set_same(struct xdp_md *ctx)
{
	__u64 v = 1;

	if (prime(ctx, 1, true))
		return XDP_ABORTED;
	return PASS_IF(!bpf_xdpmeta_set(ctx, k0, &v, 8, 0));
}

SEC("xdp")
int r_set_over16(struct xdp_md *ctx)
{
	__u64 v[2] = { ++seq, 0 };

	if (prime(ctx, 1, true))
		return XDP_ABORTED;
	return PASS_IF(!bpf_xdpmeta_set(ctx, k16, v, 16, 0));
}

/* insert k1 into a store holding k0 and k16, and delete it again */
SEC("xdp")
int r_ins_del(struct xdp_md *ctx)
{
	__u64 v = 7;

	if (prime(ctx, 1, true))
		return XDP_ABORTED;
	if (bpf_xdpmeta_set(ctx, k1, &v, 8, 0))
		return XDP_ABORTED;
	return PASS_IF(!bpf_xdpmeta_del(ctx, k1));
}

/* a set and a get of one key: the pair of the traits comparison */
SEC("xdp")
int r_pair(struct xdp_md *ctx)
{
	__u64 v = ++seq, out = 0;

	if (prime(ctx, 1, true))
		return XDP_ABORTED;
	if (bpf_xdpmeta_set(ctx, k0, &v, 8, 0) || bpf_xdpmeta_get(ctx, k0, &out, 8) != 8)
		return XDP_ABORTED;
	sink = out;
	return XDP_PASS;
}

/*
 * The breakdown: calls that stop at each of the kfunc's checks in turn
 * (store.c), so that consecutive differences are what each stage costs.
 */
SEC("xdp")
int r_get_einval(struct xdp_md *ctx)	/* key >= 64: the first check */
{
	__u64 v;

	if (prime(ctx, 1, true))
		return XDP_ABORTED;
	return PASS_IF(bpf_xdpmeta_get(ctx, 64, &v, 8) == -22 /* EINVAL */);
}

SEC("xdp")
int r_get_emsgsize(struct xdp_md *ctx)	/* + the registry's size, compared */
{
	__u32 v;

	if (prime(ctx, 1, true))
		return XDP_ABORTED;
	return PASS_IF(bpf_xdpmeta_get(ctx, k0, &v, 4) == -90 /* EMSGSIZE */);
}

SEC("xdp")
int r_set_eexist(struct xdp_md *ctx)	/* + presence, store check, key lookup */
{
	__u64 v = ++seq;

	if (prime(ctx, 1, true))
		return XDP_ABORTED;
	return PASS_IF(bpf_xdpmeta_set(ctx, k0, &v, 8, XDPMETA_NOEXIST) == -17 /* EEXIST */);
}

/* single runs: a fresh packet, no store */
SEC("xdp") int s_empty(struct xdp_md *ctx) { return XDP_PASS; }

SEC("xdp")
int s_get_nostore(struct xdp_md *ctx)
{
	__u64 v;

	return PASS_IF(bpf_xdpmeta_get(ctx, k0, &v, 8) == -2 /* ENOENT */);
}

/* the first set of a packet: store and seal created */
SEC("xdp")
int s_create(struct xdp_md *ctx)
{
	__u64 v = 1;

	return PASS_IF(!bpf_xdpmeta_set(ctx, k0, &v, 8, 0));
}

/* s_create, then an insert into the store it made */
SEC("xdp")
int s_insert(struct xdp_md *ctx)
{
	__u64 v = 1;

	if (bpf_xdpmeta_set(ctx, k0, &v, 8, 0))
		return XDP_ABORTED;
	return PASS_IF(!bpf_xdpmeta_set(ctx, k1, &v, 8, 0));
}

/* s_insert, then the delete of what it inserted */
SEC("xdp")
int s_delete(struct xdp_md *ctx)
{
	__u64 v = 1;

	if (bpf_xdpmeta_set(ctx, k0, &v, 8, 0) || bpf_xdpmeta_set(ctx, k1, &v, 8, 0))
		return XDP_ABORTED;
	return PASS_IF(!bpf_xdpmeta_del(ctx, k1));
}

/* TC side, an skb without a store (test runs give skbs no metadata) */
SEC("tc") int t_empty(struct __sk_buff *skb) { return 0; }

SEC("tc")
int t_get_nostore(struct __sk_buff *skb)
{
	__u64 v;

	return bpf_xdpmeta_skb_get(skb, k0, &v, 8) == -2 /* ENOENT */ ? 0 : 2;
}

char LICENSE[] SEC("license") = "GPL";
