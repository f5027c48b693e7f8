/* SPDX-License-Identifier: GPL-2.0 */
/* Shared between test/bpf/store_ops.bpf.c and the VM tests. */
#ifndef STORE_OPS_H
#define STORE_OPS_H

#define STORE_OPS_MAX	80
#define STORE_OP_BUF	32

enum {
	STORE_OP_SET = 1,
	STORE_OP_GET,
	STORE_OP_DEL,
	STORE_OP_IS_SET,
	STORE_OP_ADJ_META,	/* flags = delta */
	STORE_OP_ADJ_HEAD,	/* flags = delta */
	STORE_OP_META_WRITE,	/* val[0..7] -> data_meta[0..7] */
	STORE_OP_META_READ,	/* data_meta[0..7] -> out */
};

struct store_op {
	__u32 op;
	__u32 key;
	__u32 size;
	__u32 flags;
	__u8 val[STORE_OP_BUF];
	__s32 ret;
	__u32 pad;
	__u8 out[STORE_OP_BUF];
};

struct reuse_stats {
	__u64 iters;
	__u64 ok;
	__u64 badmsg;
	__u64 enokey;
	__u64 other;
	__s64 last_other;
	__u64 after;		/* runs that saw phase 1 */
	__u32 phase;		/* 0 run, 1 re-registered, 2 stop */
	__u32 key;
};

#endif
