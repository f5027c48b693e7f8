// SPDX-License-Identifier: GPL-2.0
/*
 * safety: programs the verifier accepts that misused the kfuncs before
 * the kernel-safety fixes (review kmod-review-6.12.117, findings 1-4, 8,
 * 9, and the second review's findings 1-2), run by test/vm/t_safety.c. Each "?" program is loaded on its own.
 */
#include "xdpmeta.h"
#include <bpf/bpf_endian.h>
#include "safety.h"

#define ETH_P_IP	0x0800
#define ETH_P_8021Q	0x8100
#define IPPROTO_UDP	17
#define TC_ACT_OK	0

extern int bpf_dynptr_from_xdp(struct xdp_md *x, __u64 flags,
			       struct bpf_dynptr *ptr__uninit) __ksym __weak;
extern void *bpf_dynptr_slice(const struct bpf_dynptr *p, __u32 offset,
			      void *buffer__opt, __u32 buffer__szk) __ksym __weak;
extern void *bpf_dynptr_slice_rdwr(const struct bpf_dynptr *p, __u32 offset,
				   void *buffer__opt, __u32 buffer__szk) __ksym __weak;

const volatile __u32 key8 = XDPMETA_KEY_UNSET;	/* an 8-byte user key */
const volatile __u32 keyf = XDPMETA_KEY_UNSET;	/* a flag key */

/* always empty: every lookup returns NULL */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} empty SEC(".maps");

struct name32 {
	char c[32];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct name32);
} empty_name SEC(".maps");

/* results, read by the test */
__s64 r_set = 1, r_get = 1, r_get_set = 1, r_flag = 1, r_reg = 1, r_unreg = 1;
__s64 r_tc_null = 1, r_tc_pkt = 1, r_pull = 1, r_pull_set = 1;
__u64 tc_seen, xdp_seen, xdp_marked, forge_done, sock_seen, sock_hinted, sock_forged;
__u32 mode;
__u16 seal_off_before, seal_off_after;
__u64 data_before, data_after;

/* ---- finding 1: maybe-NULL memory arguments ----------------------------- */

SEC("?xdp")
int null_set(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&empty, &k);	/* no NULL check */

	r_set = bpf_xdpmeta_set(ctx, key8, v, 8, 0);
	return XDP_PASS;
}

SEC("?xdp")
int null_get(struct xdp_md *ctx)
{
	__u64 x = SAFETY_MAGIC;
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&empty, &k);

	r_get_set = bpf_xdpmeta_set(ctx, key8, &x, 8, 0);	/* a store exists */
	r_get = bpf_xdpmeta_get(ctx, key8, v, 8);
	return XDP_PASS;
}

SEC("?xdp")
int null_flag(struct xdp_md *ctx)
{
	r_flag = bpf_xdpmeta_set(ctx, keyf, (void *)0, 0, 0);
	return XDP_PASS;
}

SEC("?syscall")
int null_name(void *ctx)
{
	__u32 k = 0;
	struct name32 *n = bpf_map_lookup_elem(&empty_name, &k);

	r_reg = bpf_xdpmeta_key_register((const char *)n, sizeof(*n), 8,
					 XDPMETA_KEY_CREATE, 0);
	r_unreg = bpf_xdpmeta_key_unregister((const char *)n, sizeof(*n), 0);
	return 0;
}

/* ---- finding 9: reference counts --------------------------------------- */

SEC("?syscall")
int reg_many(struct safety_reg *r)
{
	__u32 i;

	for (i = 0; i < 1024; i++) {
		if (i >= r->n)
			break;
		r->ret = r->del ? bpf_xdpmeta_key_unregister(r->name, sizeof(r->name), 0) :
			 bpf_xdpmeta_key_register(r->name, sizeof(r->name), 4,
						  XDPMETA_KEY_CREATE, 0);
		if (r->ret < 0)
			break;
		r->done++;
	}
	return 0;
}

/* ---- finding 2: pull while a dynptr slice into a frag is held ----------- */

SEC("?xdp.frags")
int pull_slice(struct xdp_md *ctx)
{
	__u64 len = bpf_xdp_get_buff_len(ctx);
	struct bpf_dynptr d;
	__u64 *p;

	if (len < 64 || bpf_dynptr_from_xdp(ctx, 0, &d))
		return XDP_DROP;
	p = bpf_dynptr_slice_rdwr(&d, len - 8, NULL, 8);	/* in the last frag */
	if (!p) {
		r_pull = -10000;
		return XDP_DROP;
	}
	r_pull = bpf_xdpmeta_pull(ctx, 0, XDPMETA_PULL_ALL | XDPMETA_PULL_HEADROOM);
	*p = 0x4141414141414141ULL;	/* into the frag's page: after the pull */
	return XDP_PASS;
}

/*
 * ---- review 2, finding 1: a pull may release only trailing frags -------
 * Frame: 64 linear + frags 4096, 4096, 100 (BPF_PROG_TEST_RUN). A partial
 * pull leaves frag 0 with 696 bytes; adjust_head frees headroom; a second
 * pull (796 bytes, via the headroom) empties frag 0 and takes 100 bytes
 * of frag 1. Drivers expect what bpf_xdp_adjust_tail() leaves: frag 0
 * still frag 0 (its 696 bytes, now the next ones), the last frag gone.
 * Seen from the program: an 8-byte slice across offset 696 of the frags
 * spans two frags (copied into the buffer) only in that layout; with frag
 * 0 dropped from the front it lies inside one frag (a direct pointer).
 */
__s64 r_lay_pull1 = 1, r_lay_head = 1, r_lay_pull2 = 1, r_lay_split = -1;
__u64 r_lay_len = 0;

static __always_inline void pull_layout_pulls(struct xdp_md *ctx)
{
	r_lay_pull1 = bpf_xdpmeta_pull(ctx, 3464, 0);
	r_lay_head = bpf_xdp_adjust_head(ctx, 3000);
	r_lay_pull2 = bpf_xdpmeta_pull(ctx, 464 + 796, XDPMETA_PULL_HEADROOM);
	r_lay_len = bpf_xdp_get_buff_len(ctx);
}

/* the pulls and the frame's bytes, on every kernel */
SEC("?xdp.frags")
int pull_layout(struct xdp_md *ctx)
{
	pull_layout_pulls(ctx);
	return r_lay_pull2 == 1260 ? XDP_PASS : XDP_DROP;
}

/* the same, and the frag layout seen through a slice (6.3+: dynptrs) */
SEC("?xdp.frags")
int pull_layout_slice(struct xdp_md *ctx)
{
	struct bpf_dynptr d;
	__u8 buf[8];
	__u8 *p;

	pull_layout_pulls(ctx);
	if (r_lay_pull2 != 1260 || bpf_dynptr_from_xdp(ctx, 0, &d))
		return XDP_DROP;
	p = bpf_dynptr_slice(&d, 1260 + 692, buf, sizeof(buf));
	if (!p)
		return XDP_DROP;
	r_lay_split = p == buf;		/* copied: the 8 bytes span two frags */
	return XDP_PASS;
}

/*
 * ---- review 2, finding 2: drivers that keep an xdp_buff's flags --------
 * Run by the xdpmeta_ringsim test module (test/kmod/): packet i (its first
 * 4 bytes) sets the 8-byte key to RS_VAL(i) when i % rs_every == 0; the
 * others read it if rs_touch is 1, only those with i % rs_every ==
 * rs_every / 2 if it is 2. Every packet of the ring is a fresh one: none
 * has a store unless it set one.
 */
#define RS_VAL(i)	(0x5afe000000000000ULL | (i))
#define RS_ENOENT	2
#define RS_ESTALE	116
__u32 rs_every = 16, rs_touch = 1;
__u64 rs_sets, rs_set_err, rs_self, rs_gets, rs_enoent, rs_estale, rs_other, rs_mine, rs_foreign;
__s32 rs_first_err = 0;

SEC("?xdp")
int ringsim(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	__u64 v = 0;
	__u32 i;
	int r;

	if (data + 4 > end)
		return XDP_DROP;
	i = *(__u32 *)data;
	if (!(i % rs_every)) {
		v = RS_VAL(i);
		if (bpf_xdpmeta_set(ctx, key8, &v, 8, 0))
			rs_set_err++;
		else
			rs_sets++;
		v = 0;		/* the control: its own store reads back */
		r = bpf_xdpmeta_get(ctx, key8, &v, 8);
		if (r == 8 && v == RS_VAL(i))
			rs_self++;
		else if (!rs_first_err)
			rs_first_err = r == 8 ? 1000 : r;
		return XDP_PASS;
	}
	if (!rs_touch || (rs_touch == 2 && i % rs_every != rs_every / 2))
		return XDP_PASS;
	rs_gets++;
	r = bpf_xdpmeta_get(ctx, key8, &v, 8);
	if (r == -RS_ENOENT) {
		rs_enoent++;
	} else if (r == -RS_ESTALE) {
		rs_estale++;
	} else if (r != 8) {
		rs_other++;
	} else if (v == RS_VAL(i)) {
		rs_mine++;	/* cannot happen: packet i set nothing */
	} else {
		rs_foreign++;	/* an earlier packet's value, read as this one's */
	}
	if (r != -RS_ENOENT && !rs_first_err)
		rs_first_err = r;
	return XDP_PASS;
}

/* ---- finding 8: a headroom pull moves data, the seal must follow ------- */

/* the seal's offset; the programs here put no metadata of their own */
static __always_inline int seal_off(struct xdp_md *ctx, __u16 *off)
{
	void *data = (void *)(long)ctx->data;
	__u16 *s = (void *)(long)ctx->data_meta;

	if ((void *)(s + 4) > data || (void *)(s + 5) <= data)
		return -1;	/* metadata is not exactly the seal */
	if (s[0] != XDPMETA_SEAL_MAGIC)
		return -1;
	*off = s[1] & 0x7fff;
	return 0;
}

SEC("?xdp.frags")
int pull_reseal(struct xdp_md *ctx)
{
	__u64 x = SAFETY_MAGIC;

	r_pull_set = bpf_xdpmeta_set(ctx, key8, &x, 8, 0);
	if (r_pull_set || seal_off(ctx, &seal_off_before))
		return XDP_DROP;
	data_before = (__u64)(long)ctx->data;
	r_pull = bpf_xdpmeta_pull(ctx, 0, XDPMETA_PULL_ALL | XDPMETA_PULL_HEADROOM);
	data_after = (__u64)(long)ctx->data;
	if (seal_off(ctx, &seal_off_after))
		return XDP_DROP;
	return XDP_PASS;
}

/* ---- findings 3 and 4: packets through a hooked device ----------------- */

/* the UDP header of a test packet (optionally behind one 802.1Q tag), or NULL */
static __always_inline void *udp_of(void *data, void *end, bool vlan)
{
	__u16 *proto = data + 12;
	__u8 *ip = data + 14;

	if (vlan) {
		if ((void *)(proto + 1) > end || *proto != bpf_htons(ETH_P_8021Q))
			return NULL;
		proto += 2;
		ip += 4;
	}
	if ((void *)(ip + 28) > end || *proto != bpf_htons(ETH_P_IP) ||
	    ip[9] != IPPROTO_UDP || (ip[0] & 0xf) != 5 ||
	    *(__u16 *)(ip + 22) != bpf_htons(SAFETY_PORT))
		return NULL;
	return ip + 20;
}

/*
 * Rewrite the bytes of the rx_hash value inside the store by hand: the
 * store (hash + type: 16-byte header, then 4 + 4 bytes) starts at
 * data_hard_start + 40, the seal says where it is from data. Move data
 * to store + 32 (the seal moves along, just past the store), expose the
 * 8 value bytes below it as metadata, write, and put everything back.
 */
static __always_inline int forge(struct xdp_md *ctx)
{
	__u16 off = 0;
	void *data, *meta;
	int delta;

	if (seal_off(ctx, &off) || off < 40 || off > 400)
		return -1;
	delta = 32 - (int)off;
	if (bpf_xdp_adjust_head(ctx, delta))
		return -2;
	if (bpf_xdp_adjust_meta(ctx, -8))
		return -3;
	data = (void *)(long)ctx->data;
	meta = (void *)(long)ctx->data_meta;
	if (meta + 16 > data)
		return -4;
	*(__u32 *)meta = SAFETY_FORGED;
	if (bpf_xdp_adjust_meta(ctx, 8))
		return -5;
	if (bpf_xdp_adjust_head(ctx, -delta))
		return -6;
	return 0;
}

SEC("?xdp")
int xdp_mark(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	__u64 x = SAFETY_MAGIC;

	if (!udp_of(data, end, mode == SM_HINT_ODD))
		return XDP_PASS;
	if (mode == SM_HINT_ODD) {
		if (__sync_fetch_and_add(&xdp_seen, 1) & 1)
			return XDP_PASS;
		if (!bpf_xdpmeta_hint_set_hash(ctx, SAFETY_HASH, 0x29))
			__sync_fetch_and_add(&xdp_marked, 1);
		return XDP_PASS;
	}
	__sync_fetch_and_add(&xdp_seen, 1);
	if (bpf_xdpmeta_set(ctx, key8, &x, 8, 0) ||
	    bpf_xdpmeta_hint_set_hash(ctx, SAFETY_HASH, 0x29))
		return XDP_PASS;
	__sync_fetch_and_add(&xdp_marked, 1);
	if (mode == SM_FORGE && !forge(ctx))
		__sync_fetch_and_add(&forge_done, 1);
	return XDP_PASS;
}

/* tc ingress: skb_get with the packet's own payload as the buffer */
SEC("?tc")
int tc_into_packet(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	__u8 *udp = udp_of(data, end, false);

	if (!udp || (void *)(udp + 16) > end)
		return TC_ACT_OK;
	__sync_fetch_and_add(&tc_seen, 1);
	r_tc_pkt = bpf_xdpmeta_skb_get(skb, key8, udp + 8, 8);
	return TC_ACT_OK;
}

/* tc ingress: skb_get with a maybe-NULL buffer on a sealed skb */
SEC("?tc")
int tc_null(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	__u32 k = 0;
	__u64 *v;

	if (!udp_of(data, end, false))
		return TC_ACT_OK;
	__sync_fetch_and_add(&tc_seen, 1);
	v = bpf_map_lookup_elem(&empty, &k);
	r_tc_null = bpf_xdpmeta_skb_get(skb, key8, v, 8);
	return TC_ACT_OK;
}

/* the receiving socket's filter: what skb->hash the test packets carry */
SEC("socket")
int sock_hash(struct __sk_buff *skb)
{
	__u32 hash = skb->hash;	/* one ctx load (clang would offset the pointer) */
	__u8 ip[24];

	if (skb->protocol != bpf_htons(ETH_P_IP) ||
	    bpf_skb_load_bytes_relative(skb, 0, ip, sizeof(ip), BPF_HDR_START_NET) ||
	    ip[9] != IPPROTO_UDP || ip[22] != SAFETY_PORT >> 8 ||
	    ip[23] != (SAFETY_PORT & 0xff))
		return skb->len;
	__sync_fetch_and_add(&sock_seen, 1);
	if (hash == SAFETY_HASH)
		__sync_fetch_and_add(&sock_hinted, 1);
	if (hash == SAFETY_FORGED)
		__sync_fetch_and_add(&sock_forged, 1);
	return skb->len;
}

char LICENSE[] SEC("license") = "GPL";
