// SPDX-License-Identifier: GPL-2.0
/*
 * hostile_xdp: XDP programs that the verifier accepts and that misuse the
 * XDP kfuncs (store, pull, hints). None is loaded by default ("?xdp"): the
 * VM test (test/vm/t_hostile.c) loads each one alone, runs it with
 * BPF_PROG_TEST_RUN, compares r[] with the documented errnos and checks
 * the packet bytes that come out. doc/hostile.md has one row per program.
 *
 * Every program ends with h_strip(): a test run returns the metadata in
 * front of the data, so the store's seal is dropped to compare the frame.
 */
#include "hostile_bpf.h"

__u32 cfg_off, cfg_len;		/* xf_pull_slice*: slice offset, pull length */
__u64 cfg_flags;		/* ... pull flags */
__u64 cfg_repeat_write;		/* ... write through the slice again after the pull */

/* data - data_meta, with loads the compiler cannot merge (ctx offsets must be constant) */
static __always_inline long h_metalen(struct xdp_md *ctx)
{
	__u32 m = *(volatile __u32 *)&ctx->data_meta;
	__u32 d = *(volatile __u32 *)&ctx->data;

	return (long)d - (long)m;
}

static __always_inline int h_strip(struct xdp_md *ctx)
{
	long meta = h_metalen(ctx);

	if (meta > 0 && meta <= 32)
		bpf_xdp_adjust_meta(ctx, (int)meta);
	return XDP_PASS;
}

/* ---- NULL and maybe-NULL pointers ----------------------------------- */

/* set: val from a lookup in an empty hash map, not checked */
SEC("?xdp")
int x_null_set(struct xdp_md *ctx)
{
	__u8 out[16];

	R(bpf_xdpmeta_set(ctx, keys.k8, h_null_lookup(), 8, 0));
	R(bpf_xdpmeta_is_set(ctx, keys.k8));
	R(bpf_xdpmeta_get(ctx, keys.k8, out, 16));
	return h_strip(ctx);
}

/* get into an unchecked lookup, with the key present */
SEC("?xdp")
int x_null_get(struct xdp_md *ctx)
{
	__u8 v[16], out[16] = {};

	h_fill(v, 8);
	R(bpf_xdpmeta_set(ctx, keys.k8, v, 8, 0));
	R(bpf_xdpmeta_get(ctx, keys.k8, h_null_lookup(), 8));
	R(bpf_xdpmeta_get(ctx, keys.k8, out, 16));
	R(h_check(out, 8));
	return h_strip(ctx);
}

/* a literal NULL with size 0 for a flag key */
SEC("?xdp")
int x_null_lit_set(struct xdp_md *ctx)
{
	R(bpf_xdpmeta_set(ctx, keys.k0, (void *)0, 0, 0));
	R(bpf_xdpmeta_is_set(ctx, keys.k0));
	return h_strip(ctx);
}

SEC("?xdp")
int x_null_lit_get(struct xdp_md *ctx)
{
	char d = 0;

	R(bpf_xdpmeta_set(ctx, keys.k0, &d, 0, 0));
	R(bpf_xdpmeta_get(ctx, keys.k0, (void *)0, 0));
	R(bpf_xdpmeta_get(ctx, keys.k0, &d, 0));
	return h_strip(ctx);
}

/* a ring buffer reservation that fails (NULL), used unchecked */
SEC("?xdp")
int x_ringbuf_null(struct xdp_md *ctx)
{
	__u8 v[16], out[16] = {};
	__u8 *p;

	h_fill(v, 8);
	R(bpf_xdpmeta_set(ctx, keys.k8, v, 8, 0));
	p = bpf_ringbuf_reserve(&rb, RB_TOO_BIG, 0);
	R(bpf_xdpmeta_set(ctx, keys.k8, p, 8, 0));
	R(bpf_xdpmeta_get(ctx, keys.k8, p, 8));
	if (p)
		bpf_ringbuf_discard(p, 0);
	R(bpf_xdpmeta_get(ctx, keys.k8, out, 16));
	R(h_check(out, 8));
	return h_strip(ctx);
}

/* a dynptr slice beyond the packet (NULL), used unchecked */
SEC("?xdp")
int x_slice_null(struct xdp_md *ctx)
{
	__u8 v[16], out[16] = {};
	struct bpf_dynptr d;
	__u8 *p;

	h_fill(v, 8);
	R(bpf_dynptr_from_xdp(ctx, 0, &d));
	R(bpf_xdpmeta_set(ctx, keys.k8, v, 8, 0));
	p = bpf_dynptr_slice_rdwr(&d, 0xf000, NULL, 8);
	R(bpf_xdpmeta_set(ctx, keys.k8, p, 8, 0));
	R(bpf_xdpmeta_get(ctx, keys.k8, p, 8));
	R(bpf_xdpmeta_get(ctx, keys.k8, out, 16));
	R(h_check(out, 8));
	return h_strip(ctx);
}

/* ---- valid pointers of every kind ----------------------------------- */

/* ring buffer memory: a legal buffer */
SEC("?xdp")
int x_ringbuf_ok(struct xdp_md *ctx)
{
	__u8 *p = bpf_ringbuf_reserve(&rb, 32, 0);

	if (!p) {
		R(-1000);
		return h_strip(ctx);
	}
	h_fill(p, 8);
	R(bpf_xdpmeta_set(ctx, keys.k8, p, 8, 0));
	R(bpf_xdpmeta_get(ctx, keys.k8, p + 16, 16));
	R(h_check(p + 16, 8));
	bpf_ringbuf_discard(p, 0);
	return h_strip(ctx);
}

/* map values, at an offset */
SEC("?xdp")
int x_mapval(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u8 *v = bpf_map_lookup_elem(&arr, &k);

	if (!v) {
		R(-1000);
		return h_strip(ctx);
	}
	h_fill(v, 8);
	h_fill(v + 16, 16);
	R(bpf_xdpmeta_set(ctx, keys.k8, v, 8, 0));
	R(bpf_xdpmeta_set(ctx, keys.k16, v + 16, 16, 0));
	R(bpf_xdpmeta_get(ctx, keys.k8, v + 32, 16));
	R(h_check(v + 32, 8));
	R(bpf_xdpmeta_get(ctx, keys.k16, v + 32, 16));
	R(h_check(v + 32, 16));
	return h_strip(ctx);
}

/*
 * Packet data as val: the value comes from the packet, and get writes the
 * same 8 bytes back where they came from (the frame must come out equal).
 */
SEC("?xdp")
int x_pkt(struct xdp_md *ctx)
{
	__u8 *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;

	if (data + 64 > end) {
		R(-1000);
		return h_strip(ctx);
	}
	R(bpf_xdpmeta_set(ctx, keys.k8, data + 14, 8, 0));
	R(bpf_xdpmeta_get(ctx, keys.k8, data + 14, 8));
	R(bpf_xdpmeta_set(ctx, keys.k16, data + 30, 16, 0));
	R(bpf_xdpmeta_get(ctx, keys.k16, data + 30, 16));
	return h_strip(ctx);
}

/* a dynptr slice into the packet as val, written back the same */
SEC("?xdp")
int x_slice_pkt(struct xdp_md *ctx)
{
	struct bpf_dynptr d;
	__u8 *p;

	R(bpf_dynptr_from_xdp(ctx, 0, &d));
	p = bpf_dynptr_slice_rdwr(&d, 14, NULL, 8);
	if (!p) {
		R(-1000);
		return h_strip(ctx);
	}
	R(bpf_xdpmeta_set(ctx, keys.k8, p, 8, 0));
	R(bpf_xdpmeta_get(ctx, keys.k8, p, 8));
	return h_strip(ctx);
}

/*
 * data_meta as val. The set inserts the seal at the end of the metadata
 * and moves the program's metadata down by 8: a pointer derived before
 * then points at the seal, and the program may write its own metadata.
 */
SEC("?xdp")
int x_meta(struct xdp_md *ctx)
{
	__u8 *meta, *data, out[16] = {};

	R(bpf_xdp_adjust_meta(ctx, -16));
	meta = (void *)(long)ctx->data_meta;
	data = (void *)(long)ctx->data;
	if (meta + 16 > data) {
		R(-1000);
		return h_strip(ctx);
	}
	h_fill(meta, 8);
	R(bpf_xdpmeta_set(ctx, keys.k8, meta, 8, 0));
	R(h_metalen(ctx));			/* 24: 16 + the seal */
	R(bpf_xdpmeta_get(ctx, keys.k8, out, 16));
	R(h_check(out, 8));
	/* the old pointer + 8 is now the seal: overwrite it with the value */
	R(bpf_xdpmeta_get(ctx, keys.k8, meta + 8, 8));
	R(bpf_xdpmeta_is_set(ctx, keys.k8));
	R(bpf_xdpmeta_get(ctx, keys.k8, out, 16));
	R(bpf_xdpmeta_set(ctx, keys.k4, out, 4, 0));	/* re-seals */
	R(h_metalen(ctx));
	return h_strip(ctx);
}

/*
 * val aliasing the store itself: data moved down to the store, data_meta
 * grown over the store's last bytes, and those bytes passed as val.
 */
SEC("?xdp")
int x_alias_store(struct xdp_md *ctx)
{
	__u8 v[16], out[16] = {};
	__u8 *meta, *data;

	h_fill(v, 16);
	R(bpf_xdpmeta_set(ctx, keys.k16, v, 16, 0));	/* store: +40..+72 */
	R(bpf_xdp_adjust_head(ctx, -168));		/* data +88, seal +80 */
	R(bpf_xdp_adjust_meta(ctx, -16));		/* data_meta +64 */
	meta = (void *)(long)ctx->data_meta;
	data = (void *)(long)ctx->data;
	if (meta + 16 > data) {
		R(-1000);
		return h_strip(ctx);
	}
	R(bpf_xdpmeta_set(ctx, keys.k16, meta, 16, 0));
	R(bpf_xdpmeta_get(ctx, keys.k16, meta, 16));
	R(bpf_xdpmeta_del(ctx, keys.k16));
	R(bpf_xdpmeta_is_set(ctx, keys.k16));
	R(bpf_xdpmeta_hint_set_hash(ctx, 1, 0));
	R(bpf_xdpmeta_pull(ctx, 0, XDPMETA_PULL_ALL) == (int)(ctx->data_end - ctx->data));
	R(bpf_xdp_adjust_meta(ctx, 16));
	R(bpf_xdp_adjust_head(ctx, 168));
	R(bpf_xdpmeta_get(ctx, keys.k16, out, 16));
	R(h_check(out, 16));
	return h_strip(ctx);
}

/* ---- out-of-range keys, sizes, flags, masks, lengths ---------------- */

static __always_inline void h_oob(struct xdp_md *ctx)
{
	__u8 v[16], out[16];
	__u32 len = bpf_xdp_get_buff_len(ctx);

	h_fill(v, 8);
	R(bpf_xdpmeta_set(ctx, 64, v, 8, 0));			/* 0 EINVAL */
	R(bpf_xdpmeta_set(ctx, 0xffffffff, v, 8, 0));		/* EINVAL */
	R(bpf_xdpmeta_set(ctx, keys.gone, v, 4, 0));		/* ENOKEY */
	R(bpf_xdpmeta_set(ctx, 63, v, 8, 0));			/* ENOKEY */
	R(bpf_xdpmeta_set(ctx, keys.k8, v, 4, 0));		/* EMSGSIZE */
	R(bpf_xdpmeta_set(ctx, keys.k8, v, 16, 0));		/* 5 EMSGSIZE */
	R(bpf_xdpmeta_set(ctx, keys.k0, v, 8, 0));		/* EMSGSIZE */
	R(bpf_xdpmeta_set(ctx, keys.k8, v, 8, 4));		/* EINVAL */
	R(bpf_xdpmeta_set(ctx, keys.k8, v, 8, 1ULL << 32));	/* EINVAL */
	R(bpf_xdpmeta_set(ctx, keys.k8, v, 8, 1ULL << 63));	/* EINVAL */
	R(bpf_xdpmeta_set(ctx, keys.k8, v, 8, 3));		/* 10 EINVAL */
	R(bpf_xdpmeta_set(ctx, keys.k8, v, 8, XDPMETA_EXIST));	/* ENOENT */
	R(bpf_xdpmeta_set(ctx, keys.k8, v, 8, XDPMETA_NOEXIST));	/* 0 */
	R(bpf_xdpmeta_set(ctx, keys.k8, v, 8, XDPMETA_NOEXIST));	/* EEXIST */
	R(bpf_xdpmeta_get(ctx, 64, out, 16));			/* EINVAL */
	R(bpf_xdpmeta_get(ctx, 0xffffffff, out, 16));		/* 15 EINVAL */
	R(bpf_xdpmeta_get(ctx, keys.gone, out, 16));		/* ENOKEY */
	R(bpf_xdpmeta_get(ctx, keys.k8, out, 7));		/* EMSGSIZE */
	R(bpf_xdpmeta_get(ctx, keys.k8, out, 0));		/* EMSGSIZE */
	R(bpf_xdpmeta_get(ctx, keys.k8, out, 16));		/* 8 */
	R(bpf_xdpmeta_get(ctx, keys.k4, out, 16));		/* 20 ENOENT */
	R(bpf_xdpmeta_del(ctx, 64));				/* EINVAL */
	R(bpf_xdpmeta_del(ctx, 0xffffffff));			/* EINVAL */
	R(bpf_xdpmeta_del(ctx, keys.gone));			/* ENOKEY */
	R(bpf_xdpmeta_del(ctx, keys.k4));			/* ENOENT */
	R(bpf_xdpmeta_is_set(ctx, 64));				/* 25 EINVAL */
	R(bpf_xdpmeta_is_set(ctx, keys.gone));			/* ENOKEY */
	R(bpf_xdpmeta_is_set(ctx, keys.k4));			/* 0 */
	R(bpf_xdpmeta_hint_set_hash(ctx, 1, 0x80000000));	/* EINVAL */
	R(bpf_xdpmeta_hint_set_hash(ctx, 1, 0xffffffff));	/* EINVAL */
	R(bpf_xdpmeta_hint_set_vlan(ctx, bpf_htons(0x0800), 1));	/* 30 EINVAL */
	R(bpf_xdpmeta_hint_set_vlan(ctx, 0, 0));		/* EINVAL */
	R(bpf_xdpmeta_hint_set_timestamp(ctx, 0));		/* EINVAL */
	R(bpf_xdpmeta_import_hints(ctx, 0));			/* EINVAL */
	R(bpf_xdpmeta_import_hints(ctx, 8));			/* EINVAL */
	R(bpf_xdpmeta_import_hints(ctx, 0xffffffff));		/* 35 EINVAL */
	R(bpf_xdpmeta_import_hints(ctx, XDPMETA_HINT_ALL));	/* EOPNOTSUPP */
	R(bpf_xdpmeta_pull(ctx, 0, 4));				/* EINVAL */
	R(bpf_xdpmeta_pull(ctx, 0, 1ULL << 63));		/* EINVAL */
	R(bpf_xdpmeta_pull(ctx, 0xffffffff, 0));		/* EINVAL */
	R(bpf_xdpmeta_pull(ctx, len + 1, 0));			/* 40 EINVAL */
	R(bpf_xdpmeta_pull(ctx, 0xffffffff, XDPMETA_PULL_HEADROOM));	/* EINVAL */
	R(bpf_xdpmeta_get(ctx, keys.k8, out, 16));		/* 8: untouched */
	R(h_check(out, 8));					/* 1 */
}

SEC("?xdp")
int x_oob(struct xdp_md *ctx)
{
	h_oob(ctx);
	return h_strip(ctx);
}

SEC("?xdp.frags")
int xf_oob(struct xdp_md *ctx)
{
	h_oob(ctx);
	return h_strip(ctx);
}

/* ---- scripts: adjust_head/meta/tail around every call ---------------- */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, H_OPS_MAX);
	__type(key, __u32);
	__type(value, struct h_op);
} ops SEC(".maps");

__u32 nops;

static __always_inline void h_ops(struct xdp_md *ctx)
{
	__u8 buf[16];

	for (__u32 i = 0; i < H_OPS_MAX; i++) {
		__u32 k = i, sz;
		struct h_op *o;

		if (i >= nops)
			break;
		o = bpf_map_lookup_elem(&ops, &k);
		if (!o)
			break;
		sz = o->size;
		if (sz > 16)
			sz = 16;
		h_fill(buf, sz);
		switch (o->op) {
		case H_SET:
			o->ret = bpf_xdpmeta_set(ctx, o->key, buf, sz, o->flags);
			break;
		case H_GET:
			__builtin_memset(buf, 0, sizeof(buf));
			o->ret = bpf_xdpmeta_get(ctx, o->key, buf, sz);
			__builtin_memcpy(o->out, buf, sizeof(buf));
			break;
		case H_DEL:
			o->ret = bpf_xdpmeta_del(ctx, o->key);
			break;
		case H_IS_SET:
			o->ret = bpf_xdpmeta_is_set(ctx, o->key);
			break;
		case H_PULL:
			o->ret = bpf_xdpmeta_pull(ctx, (__u32)o->arg, o->flags);
			break;
		case H_ADJ_HEAD:
			o->ret = bpf_xdp_adjust_head(ctx, (int)o->arg);
			break;
		case H_ADJ_META:
			o->ret = bpf_xdp_adjust_meta(ctx, (int)o->arg);
			break;
		case H_ADJ_TAIL:
			o->ret = bpf_xdp_adjust_tail(ctx, (int)o->arg);
			break;
		case H_HINT_HASH:
			o->ret = bpf_xdpmeta_hint_set_hash(ctx, (__u32)o->arg, (__u32)o->flags);
			break;
		case H_HINT_VLAN:
			o->ret = bpf_xdpmeta_hint_set_vlan(ctx, (__be16)o->flags, (__u16)o->arg);
			break;
		case H_HINT_TS:
			o->ret = bpf_xdpmeta_hint_set_timestamp(ctx, (__u64)o->arg);
			break;
		case H_IMPORT:
			o->ret = bpf_xdpmeta_import_hints(ctx, (__u32)o->flags);
			break;
		case H_LEN:
			o->ret = ctx->data_end - ctx->data;
			o->out32 = bpf_xdp_get_buff_len(ctx);
			break;
		default:
			o->ret = -9999;
		}
	}
}

SEC("?xdp")
int x_ops(struct xdp_md *ctx)
{
	h_ops(ctx);
	return h_strip(ctx);
}

SEC("?xdp.frags")
int xf_ops(struct xdp_md *ctx)
{
	h_ops(ctx);
	return h_strip(ctx);
}

/* ---- pull while a dynptr slice into a frag is held ------------------- */

/*
 * Slice at cfg_off (in a frag), pull, then write through the slice: the
 * frag may have been copied and released by the pull. The write must not
 * land in a freed page (page_poison reports it) nor in the frame.
 */
SEC("?xdp.frags")
int xf_pull_slice(struct xdp_md *ctx)
{
	struct bpf_dynptr d;
	__u64 *p;

	R(bpf_dynptr_from_xdp(ctx, 0, &d));
	p = bpf_dynptr_slice_rdwr(&d, cfg_off, NULL, 8);
	R(!!p);
	if (!p)
		return h_strip(ctx);
	R(bpf_xdpmeta_pull(ctx, cfg_len, cfg_flags));
	*p = 0x4141414141414141ULL;
	if (cfg_repeat_write)
		for (int i = 0; i < 64; i++)
			*(volatile __u64 *)p = 0x4242424242424242ULL + i;
	R(ctx->data_end - ctx->data);
	R(bpf_xdp_get_buff_len(ctx));
	return h_strip(ctx);
}

/* the same, the write being bpf_xdpmeta_get() into the stale slice */
SEC("?xdp.frags")
int xf_pull_slice_get(struct xdp_md *ctx)
{
	struct bpf_dynptr d;
	__u8 v[16];
	__u8 *p;

	h_fill(v, 8);
	R(bpf_xdpmeta_set(ctx, keys.k8, v, 8, 0));
	R(bpf_dynptr_from_xdp(ctx, 0, &d));
	p = bpf_dynptr_slice_rdwr(&d, cfg_off, NULL, 8);
	R(!!p);
	if (!p)
		return h_strip(ctx);
	R(bpf_xdpmeta_pull(ctx, cfg_len, cfg_flags));
	R(bpf_xdpmeta_get(ctx, keys.k8, p, 8));
	R(bpf_xdpmeta_set(ctx, keys.k8, p, 8, 0));
	R(ctx->data_end - ctx->data);
	return h_strip(ctx);
}

/* ---- keys re-registered with other sizes under traffic --------------- */

struct h_churn churn;

static __always_inline void h_churn_get(struct xdp_md *ctx)
{
	__u8 out[16] = {};
	int ret = bpf_xdpmeta_get(ctx, churn.key, out, 16);

	if (ret == 0 || ret == 2 || ret == 4 || ret == 8 || ret == 16) {
		churn.sizes_seen |= 1U << ret;
		if (h_check(out, ret))
			churn.ok++;
		else
			churn.misread++;
	} else if (ret == -ENOKEY) {
		churn.enokey++;
	} else if (ret == -ENOENT) {
		churn.enoent++;
	} else if (ret == -EBADMSG) {
		churn.ebadmsg++;
	} else {
		churn.other++;
		churn.last_other = ret;
		churn.last_other_op = H_GET;
	}
}

static __always_inline void h_churn_count(int ret, __u32 op)
{
	if (ret == 0 || (op == H_IS_SET && ret == 1))
		churn.ok++;
	else if (ret == -ENOKEY)
		churn.enokey++;
	else if (ret == -EMSGSIZE && op == H_SET)
		churn.emsgsize++;
	else if (ret == -EBADMSG && op != H_IS_SET)
		churn.ebadmsg++;
	else if (ret == -ENOENT && op == H_DEL)
		churn.enoent++;
	else {
		churn.other++;
		churn.last_other = ret;
		churn.last_other_op = op;
	}
}

SEC("?xdp")
int x_churn(struct xdp_md *ctx)
{
	__u8 v[16];
	__u64 it;
	int ret;

	if (churn.stop)
		return XDP_PASS;
	it = churn.iters++;
	switch (it & 3) {
	case 0:
		h_fill(v, 0);
		ret = bpf_xdpmeta_set(ctx, churn.key, v, 0, 0);
		break;
	case 1:
		h_fill(v, 2);
		ret = bpf_xdpmeta_set(ctx, churn.key, v, 2, 0);
		break;
	case 2:
		h_fill(v, 4);
		ret = bpf_xdpmeta_set(ctx, churn.key, v, 4, 0);
		break;
	default:
		h_fill(v, 8);
		ret = bpf_xdpmeta_set(ctx, churn.key, v, 8, 0);
		break;
	}
	h_churn_count(ret, H_SET);
	h_churn_get(ctx);
	h_churn_count(bpf_xdpmeta_is_set(ctx, churn.key), H_IS_SET);
	if ((it & 7) == 7)
		h_churn_count(bpf_xdpmeta_del(ctx, churn.key), H_DEL);
	return h_strip(ctx);
}

char LICENSE[] SEC("license") = "GPL";
