// SPDX-License-Identifier: GPL-2.0
/*
 * hostile_refused: misuses the 6.12 verifier must refuse at load. None is
 * loaded by default; test/vm/t_hostile.c loads each one alone and asserts
 * the verifier's message.
 */
#include "hostile_bpf.h"

const volatile __u8 ro_val[16] = { 1, 2, 3, 4, 5, 6, 7, 8 };
const volatile char ro_name[32] = "h_rodata";

/* .rodata as the value of a set (mem args are checked for write too) */
SEC("?xdp")
int rx_set_rodata(struct xdp_md *ctx)
{
	return bpf_xdpmeta_set(ctx, keys.k8, (void *)ro_val, 8, 0);
}

/* .rodata as the buffer of a get */
SEC("?xdp")
int rx_get_rodata(struct xdp_md *ctx)
{
	return bpf_xdpmeta_get(ctx, keys.k8, (void *)ro_val, 8);
}

/* a read-only dynptr slice as val */
SEC("?xdp")
int rx_set_rdonly_slice(struct xdp_md *ctx)
{
	struct bpf_dynptr d;
	void *p;

	bpf_dynptr_from_xdp(ctx, 0, &d);
	p = bpf_dynptr_slice(&d, 0, NULL, 8);
	if (!p)
		return XDP_PASS;
	return bpf_xdpmeta_set(ctx, keys.k8, p, 8, 0);
}

/* a literal NULL with a non-zero size */
SEC("?xdp")
int rx_set_null_sz8(struct xdp_md *ctx)
{
	return bpf_xdpmeta_set(ctx, keys.k8, (void *)0, 8, 0);
}

/* packet bytes beyond the bounds check */
SEC("?xdp")
int rx_get_pkt_short_check(struct xdp_md *ctx)
{
	__u8 *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;

	if (data + 4 > end)
		return XDP_PASS;
	return bpf_xdpmeta_get(ctx, keys.k8, data, 8);
}

/* a map value too small for the size */
SEC("?xdp")
int rx_get_mapval_short(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u8 *v = bpf_map_lookup_elem(&arr, &k);

	if (!v)
		return XDP_PASS;
	return bpf_xdpmeta_get(ctx, keys.k16, v + 40, 16);
}

/* ring buffer memory after it was discarded */
SEC("?xdp")
int rx_ringbuf_after_discard(struct xdp_md *ctx)
{
	__u8 *p = bpf_ringbuf_reserve(&rb, 16, 0);

	if (!p)
		return XDP_PASS;
	bpf_ringbuf_discard(p, 0);
	return bpf_xdpmeta_get(ctx, keys.k8, p, 8);
}

/* a dynptr slice held across bpf_xdp_adjust_tail (a helper: invalidated) */
SEC("?xdp.frags")
int rx_slice_after_adjust_tail(struct xdp_md *ctx)
{
	struct bpf_dynptr d;
	__u64 *p;

	bpf_dynptr_from_xdp(ctx, 0, &d);
	p = bpf_dynptr_slice_rdwr(&d, 3600, NULL, 8);
	if (!p)
		return XDP_PASS;
	bpf_xdp_adjust_tail(ctx, -1000);
	*p = 1;
	return XDP_PASS;
}

/* the TC kfunc from XDP, the XDP kfunc from TC, registry kfuncs outside SYSCALL */
SEC("?xdp")
int rx_skb_get_from_xdp(struct xdp_md *ctx)
{
	__u8 out[8];

	return bpf_xdpmeta_skb_get((struct __sk_buff *)ctx, keys.k8, out, 8);
}

SEC("?tc")
int rt_set_from_tc(struct __sk_buff *skb)
{
	__u8 v[8] = {};

	return bpf_xdpmeta_set((struct xdp_md *)skb, keys.k8, v, 8, 0);
}

SEC("?tc")
int rt_register_from_tc(struct __sk_buff *skb)
{
	char n[8] = "h_tc";

	return bpf_xdpmeta_key_register(n, 8, 4, XDPMETA_KEY_CREATE, 0);
}

SEC("?tc")
int rt_get_rodata(struct __sk_buff *skb)
{
	return bpf_xdpmeta_skb_get(skb, keys.k8, (void *)ro_val, 8);
}

/* TC: the kfunc's ctx is not the skb */
SEC("?tc")
int rt_get_ctx_not_skb(struct __sk_buff *skb)
{
	__u32 k = 0;
	__u8 *v = bpf_map_lookup_elem(&arr, &k), out[8];

	if (!v)
		return TC_ACT_OK;
	return bpf_xdpmeta_skb_get((struct __sk_buff *)v, keys.k8, out, 8);
}

SEC("?syscall")
int rs_register_rodata(void *ctx)
{
	return bpf_xdpmeta_key_register((const char *)ro_name, 32, 4, XDPMETA_KEY_CREATE, 0);
}

SEC("?syscall")
int rs_unregister_rodata(void *ctx)
{
	return bpf_xdpmeta_key_unregister((const char *)ro_name, 32, 0);
}

/* a name buffer shorter than the size claimed */
SEC("?syscall")
int rs_register_short_buf(void *ctx)
{
	char n[8] = "h_short";

	return bpf_xdpmeta_key_register(n, 32, 4, XDPMETA_KEY_CREATE, 0);
}

char LICENSE[] SEC("license") = "GPL";
