/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared between the hostile-program corpus (test/bpf/hostile_*.bpf.c)
 * and its VM test (test/vm/t_hostile.c). Every corpus program writes the
 * return values of its kfunc calls into r[] (in call order) and the
 * number of calls it made into nr; the test compares them with the
 * documented errnos.
 */
#ifndef HOSTILE_H
#define HOSTILE_H

#define H_NR		64	/* results per program (a power of 2) */
#define H_OPS_MAX	40	/* script length (hostile_ops) */
#define H_PORT		4790	/* UDP port of the TC tests' packets */
#define H_PAT		0x5aU	/* value pattern: byte i of a value of n bytes */

/* what a key's value looks like: byte i of an n-byte value */
#define H_VAL_BYTE(n, i)	((__u8)(0xa0 + (n) * 16 + (i)))

/* keys, written by the loader into .bss before load */
struct h_keys {
	__u32 k0, k2, k4, k8, k16;	/* registered with these sizes */
	__u32 gone;			/* registered, then unregistered */
};

/* hostile_ops: a script of calls on one packet */
enum {
	H_SET = 1,	/* key, size, flags: value H_VAL_BYTE(size, i) */
	H_GET,		/* key, size (buffer size): out[] gets the value */
	H_DEL,		/* key */
	H_IS_SET,	/* key */
	H_PULL,		/* arg = len, flags */
	H_ADJ_HEAD,	/* arg = delta */
	H_ADJ_META,	/* arg = delta */
	H_ADJ_TAIL,	/* arg = delta */
	H_HINT_HASH,	/* arg = hash, flags = type */
	H_HINT_VLAN,	/* arg = tci, flags = proto (network order) */
	H_HINT_TS,	/* arg = ns */
	H_IMPORT,	/* flags = mask */
	H_LEN,		/* ret = linear length, out32 = total length */
};

struct h_op {
	__u32 op;
	__u32 key;
	__u32 size;
	__u32 pad;
	__s64 arg;
	__u64 flags;
	__s32 ret;
	__u32 out32;
	__u8 out[16];
};

/* hostile_churn: set/get/del/is_set while the key id is re-registered */
struct h_churn {
	__u32 key;
	__u32 stop;
	__u64 iters;
	__u64 ok;		/* documented result, value right */
	__u64 enokey, emsgsize, ebadmsg, enoent, other;
	__u64 misread;		/* get returned a size whose bytes are wrong */
	__s64 last_other;
	__u32 last_other_op;
	__u32 sizes_seen;	/* bit n: a get returned n bytes */
};

/* hostile_tc: what the TC programs saw */
struct h_tc {
	__u64 seen;		/* test packets at tc ingress */
	__u8 before[8], after[8];	/* the bytes val pointed at */
	__u8 val[16];
};

#endif
