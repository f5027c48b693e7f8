// SPDX-License-Identifier: GPL-2.0
/*
 * hostile_tc: TC programs that the verifier accepts and that misuse the
 * TC kfuncs, on skbs that really carry a store: h_tc_setter (XDP, native
 * on a veth) sets keys k0 and k8 on the test's UDP packets and passes
 * them; one "?tc" program at a time runs at tc ingress of the same device
 * (before xdpmeta's netfilter hook consumes the seal).
 */
#include "hostile_bpf.h"

struct h_tc tcs;

static __always_inline int h_is_test_udp(void *data, void *end)
{
	__u8 *p = data;

	if ((void *)(p + 64) > end)
		return 0;
	/* IPv4, UDP, destination port H_PORT */
	return p[12] == 0x08 && p[13] == 0x00 && p[23] == 17 &&
	       p[36] == (H_PORT >> 8) && p[37] == (H_PORT & 0xff);
}

SEC("xdp")
int h_tc_setter(struct xdp_md *ctx)
{
	__u8 v[16];
	char d = 0;

	if (!h_is_test_udp((void *)(long)ctx->data, (void *)(long)ctx->data_end))
		return XDP_PASS;
	h_fill(v, 8);
	bpf_xdpmeta_set(ctx, keys.k8, v, 8, 0);
	bpf_xdpmeta_set(ctx, keys.k0, &d, 0, 0);
	return XDP_PASS;
}

#define TC_PROLOGUE							\
	if (!h_is_test_udp((void *)(long)skb->data, (void *)(long)skb->data_end)) \
		return TC_ACT_OK;					\
	__sync_fetch_and_add(&tcs.seen, 1)

/* baseline: the store is there and reads right */
SEC("?tc")
int t_get_stack(struct __sk_buff *skb)
{
	__u8 out[16] = {};

	TC_PROLOGUE;
	R(bpf_xdpmeta_skb_get(skb, keys.k8, out, 16));
	R(h_check(out, 8));
	R(bpf_xdpmeta_skb_is_set(skb, keys.k0));
	return TC_ACT_OK;
}

SEC("?tc")
int t_get_null(struct __sk_buff *skb)
{
	__u8 out[16] = {};

	TC_PROLOGUE;
	R(bpf_xdpmeta_skb_get(skb, keys.k8, h_null_lookup(), 8));
	R(bpf_xdpmeta_skb_get(skb, keys.k8, out, 16));
	R(h_check(out, 8));
	return TC_ACT_OK;
}

SEC("?tc")
int t_get_lit_null(struct __sk_buff *skb)
{
	char d = 0;

	TC_PROLOGUE;
	R(bpf_xdpmeta_skb_get(skb, keys.k0, (void *)0, 0));
	R(bpf_xdpmeta_skb_get(skb, keys.k0, &d, 0));
	return TC_ACT_OK;
}

SEC("?tc")
int t_get_ringbuf_null(struct __sk_buff *skb)
{
	__u8 *p;

	TC_PROLOGUE;
	p = bpf_ringbuf_reserve(&rb, RB_TOO_BIG, 0);
	R(bpf_xdpmeta_skb_get(skb, keys.k8, p, 8));
	if (p)
		bpf_ringbuf_discard(p, 0);
	return TC_ACT_OK;
}

SEC("?tc")
int t_get_slice_null(struct __sk_buff *skb)
{
	struct bpf_dynptr d;

	TC_PROLOGUE;
	R(bpf_dynptr_from_skb(skb, 0, &d));
	R(bpf_xdpmeta_skb_get(skb, keys.k8, bpf_dynptr_slice_rdwr(&d, 0xf000, NULL, 8), 8));
	return TC_ACT_OK;
}

SEC("?tc")
int t_get_mapval(struct __sk_buff *skb)
{
	__u32 k = 0;
	__u8 *v = bpf_map_lookup_elem(&arr, &k);

	TC_PROLOGUE;
	if (!v) {
		R(-1000);
		return TC_ACT_OK;
	}
	R(bpf_xdpmeta_skb_get(skb, keys.k8, v + 8, 16));
	R(h_check(v + 8, 8));
	return TC_ACT_OK;
}

SEC("?tc")
int t_get_ringbuf_ok(struct __sk_buff *skb)
{
	__u8 *p;

	TC_PROLOGUE;
	p = bpf_ringbuf_reserve(&rb, 16, 0);
	if (!p) {
		R(-1000);
		return TC_ACT_OK;
	}
	R(bpf_xdpmeta_skb_get(skb, keys.k8, p, 16));
	R(h_check(p, 8));
	bpf_ringbuf_discard(p, 0);
	return TC_ACT_OK;
}

/* val in the packet data (the UDP payload), after a bounds check */
SEC("?tc")
int t_get_pkt(struct __sk_buff *skb)
{
	__u8 *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;

	TC_PROLOGUE;
	if (data + 64 > end) {
		R(-1000);
		return TC_ACT_OK;
	}
	__builtin_memcpy(tcs.before, data + 42, 8);
	R(bpf_xdpmeta_skb_get(skb, keys.k8, data + 42, 8));
	__builtin_memcpy(tcs.after, data + 42, 8);
	return TC_ACT_OK;
}

/* val a dynptr slice of the packet data */
SEC("?tc")
int t_get_slice_pkt(struct __sk_buff *skb)
{
	struct bpf_dynptr d;
	__u8 *p;

	TC_PROLOGUE;
	R(bpf_dynptr_from_skb(skb, 0, &d));
	p = bpf_dynptr_slice_rdwr(&d, 42, NULL, 8);
	if (!p) {
		R(-1000);
		return TC_ACT_OK;
	}
	__builtin_memcpy(tcs.before, p, 8);
	R(bpf_xdpmeta_skb_get(skb, keys.k8, p, 8));
	__builtin_memcpy(tcs.after, p, 8);
	return TC_ACT_OK;
}

/* val the skb's metadata: the seal itself */
SEC("?tc")
int t_get_meta(struct __sk_buff *skb)
{
	__u8 *meta = (void *)(long)skb->data_meta, *data = (void *)(long)skb->data;

	TC_PROLOGUE;
	if (meta + 8 > data) {
		R(-1000);
		return TC_ACT_OK;
	}
	__builtin_memcpy(tcs.before, meta, 8);
	R(bpf_xdpmeta_skb_get(skb, keys.k8, meta, 8));
	__builtin_memcpy(tcs.after, meta, 8);
	R(bpf_xdpmeta_skb_is_set(skb, keys.k8));
	return TC_ACT_OK;
}

SEC("?tc")
int t_oob(struct __sk_buff *skb)
{
	__u8 out[16];

	TC_PROLOGUE;
	R(bpf_xdpmeta_skb_get(skb, 64, out, 16));		/* EINVAL */
	R(bpf_xdpmeta_skb_get(skb, 0xffffffff, out, 16));	/* EINVAL */
	R(bpf_xdpmeta_skb_get(skb, keys.gone, out, 16));	/* ENOKEY */
	R(bpf_xdpmeta_skb_get(skb, 63, out, 16));		/* ENOKEY */
	R(bpf_xdpmeta_skb_get(skb, keys.k8, out, 7));		/* EMSGSIZE */
	R(bpf_xdpmeta_skb_get(skb, keys.k8, out, 0));		/* 5 EMSGSIZE */
	R(bpf_xdpmeta_skb_get(skb, keys.k4, out, 16));		/* ENOENT */
	R(bpf_xdpmeta_skb_is_set(skb, 64));			/* EINVAL */
	R(bpf_xdpmeta_skb_is_set(skb, 0xffffffff));		/* EINVAL */
	R(bpf_xdpmeta_skb_is_set(skb, keys.gone));		/* ENOKEY */
	R(bpf_xdpmeta_skb_is_set(skb, keys.k4));		/* 10: 0 */
	R(bpf_xdpmeta_skb_is_set(skb, keys.k8));		/* 1 */
	R(bpf_xdpmeta_skb_get(skb, keys.k8, out, 16));		/* 8 */
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
