// SPDX-License-Identifier: GPL-2.0
/*
 * store_ops: runs a script of store operations on one packet, for the VM
 * tests (BPF_PROG_TEST_RUN). User space fills ops[0..nops) and reads each
 * op's return value and output back.
 */
#include "xdpmeta.h"
#include "store_ops.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, STORE_OPS_MAX);
	__type(key, __u32);
	__type(value, struct store_op);
} ops SEC(".maps");

__u32 nops;

static __always_inline int run_ops(struct xdp_md *ctx)
{
	__u8 buf[STORE_OP_BUF];
	__u32 i;

	for (i = 0; i < STORE_OPS_MAX; i++) {
		struct store_op *o;
		__u32 sz;
		__u32 k = i;

		if (i >= nops)
			break;
		o = bpf_map_lookup_elem(&ops, &k);
		if (!o)
			break;
		sz = o->size;
		if (sz > STORE_OP_BUF)
			sz = STORE_OP_BUF;
		__builtin_memcpy(buf, o->val, sizeof(buf));
		switch (o->op) {
		case STORE_OP_SET:
			o->ret = bpf_xdpmeta_set(ctx, o->key, buf, sz, o->flags);
			break;
		case STORE_OP_GET:
			o->ret = bpf_xdpmeta_get(ctx, o->key, buf, sz);
			__builtin_memcpy(o->out, buf, sizeof(buf));
			break;
		case STORE_OP_DEL:
			o->ret = bpf_xdpmeta_del(ctx, o->key);
			break;
		case STORE_OP_IS_SET:
			o->ret = bpf_xdpmeta_is_set(ctx, o->key);
			break;
		case STORE_OP_ADJ_META:
			o->ret = bpf_xdp_adjust_meta(ctx, (int)o->flags);
			break;
		case STORE_OP_ADJ_HEAD:
			o->ret = bpf_xdp_adjust_head(ctx, (int)o->flags);
			break;
		case STORE_OP_META_WRITE: {
			/* write val[0..7] at data_meta + flags (0, 8, 16 or 24) */
			void *data = (void *)(long)ctx->data;
			__u8 *meta = (void *)(long)ctx->data_meta;
			__u32 off = o->flags & 24;

			o->ret = -1;
			meta += off;
			if (meta + 8 <= (__u8 *)data) {
				__builtin_memcpy(meta, o->val, 8);
				o->ret = 0;
			}
			break;
		}
		case STORE_OP_META_READ: {
			void *data = (void *)(long)ctx->data;
			__u8 *meta = (void *)(long)ctx->data_meta;

			o->ret = -1;
			if (meta + 8 <= (__u8 *)data) {
				__builtin_memcpy(o->out, meta, 8);
				o->ret = 0;
			}
			break;
		}
		default:
			o->ret = -9999;
		}
	}
	return XDP_PASS;
}

SEC("xdp")
int store_ops_run(struct xdp_md *ctx)
{
	return run_ops(ctx);
}

/* the same on multi-buffer frames; frame_len reports the whole length */
__u32 frame_len;

SEC("xdp.frags")
int store_ops_run_frags(struct xdp_md *ctx)
{
	frame_len = bpf_xdp_get_buff_len(ctx);
	return run_ops(ctx);
}

/*
 * store_reuse: BPF_PROG_TEST_RUN keeps one xdp_buff (and its flags) for
 * all repeats of one run, so a store set in the first repeat is still
 * there while user space re-registers the key id with another size.
 */
struct reuse_stats reuse;

SEC("xdp")
int store_reuse(struct xdp_md *ctx)
{
	__u64 v = 0x1122334455667788ULL, out = 0;
	int r;

	if (reuse.phase == 2)
		return XDP_PASS;
	reuse.iters++;
	if (reuse.phase == 1)
		reuse.after++;
	if (bpf_xdpmeta_is_set(ctx, reuse.key) != 1)
		bpf_xdpmeta_set(ctx, reuse.key, &v, sizeof(v), 0);
	r = bpf_xdpmeta_get(ctx, reuse.key, &out, sizeof(out));
	if (r == 8 && out == v)
		reuse.ok++;
	else if (r == -74 /* EBADMSG */)
		reuse.badmsg++;
	else if (r == -126 /* ENOKEY: between unregister and register */)
		reuse.enokey++;
	else {
		reuse.other++;
		reuse.last_other = r;
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
