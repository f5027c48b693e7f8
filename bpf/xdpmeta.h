/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * xdpmeta.h - the one header shared by xdpmeta.ko and the BPF programs that
 * call its kfuncs (like bpf_testmod_kfunc.h): constants, the errno contract
 * and the kfunc prototypes. The module includes it with __KERNEL__ defined;
 * a BPF program includes it after nothing (it pulls in vmlinux.h and
 * bpf_helpers.h itself).
 *
 * Per-packet store, in short (details: kmod/kv.h, kmod/store.c):
 *   - up to 64 keys per packet, ids 0..63, allocated by name in the
 *     module's registry (SYSCALL kfuncs below, or `xdpmeta key add`);
 *   - value sizes 0 (a flag), 2, 4, 8, 16 bytes, fixed per key at
 *     registration; a 16-byte key takes two ids (id and id + 1);
 *   - lives in the headroom right after struct xdp_frame, so it crosses
 *     XDP_REDIRECT (devmap into veth, cpumap) unchanged;
 *   - a packet that never had a set has no store: get returns -ENOENT even
 *     when its buffer still holds an earlier packet's bytes, and on NICs
 *     whose drivers keep the xdp_buff's flags across packets (i40e, ice:
 *     see the README's Security section for the one case left there).
 *
 * Errno contract of the XDP kfuncs (each kfunc's kernel-doc lists its own):
 *   -EINVAL   a NULL pointer argument (the verifier lets maybe-NULL ones
 *             through: an unchecked map lookup, ringbuf reserve or dynptr
 *             slice), key >= 64, unknown flag bits, or both NOEXIST and
 *             EXIST
 *   -ENOKEY   the key id is not registered
 *   -EMSGSIZE the buffer size does not match the key's registered size
 *             (set: must be equal; get: must be at least the size)
 *   -ENOENT   key absent (or the packet has no store); set with EXIST
 *   -EEXIST   set with NOEXIST on a present key
 *   -ENOSPC   set: not enough headroom between the store and data_meta
 *   -ESTALE   the program moved data_meta/data into the store's bytes after
 *             a set (bpf_xdp_adjust_meta/adjust_head): the store is no
 *             longer trustworthy and reads as damaged, never as valid
 *   -EBADMSG  the stored slot does not match the key's registered size (the
 *             id was re-registered with another size while this packet was
 *             in flight)
 *   -EOPNOTSUPP set on an AF_XDP zero-copy buffer: no store there (its
 *             headroom is user-space memory)
 * Hint kfuncs (kmod/hints.c) add:
 *   -EOPNOTSUPP import: the driver has no (working) op for the hint, or the
 *             program does not run in a hooked driver's receive path
 *   -ENODATA  import: the driver has no value for this packet
 * TC kfuncs (kmod/skb.c): as get/is_set; -ENOENT also when the skb has no
 * store, -ESTALE when its seal points at no intact store, -EINVAL when
 * the value buffer is NULL or lies in the skb's own packet buffer.
 * Registry kfuncs: -EINVAL also for a NULL name or one with characters
 * outside [A-Za-z0-9_.-]; -EOVERFLOW past 65535 references to one name.
 * Memory arguments (val, name) must be writable memory: the verifier
 * checks them for reading and writing, so .rodata is refused at load.
 */
#ifndef XDPMETA_H
#define XDPMETA_H

/*
 * User space (the CLI, tests, applications) includes it with
 * XDPMETA_UAPI_ONLY defined: constants and request structs, no kfuncs.
 */
#if defined(__KERNEL__) || defined(XDPMETA_UAPI_ONLY)
#define XDPMETA_NO_BPF_SIDE
#endif

#ifndef XDPMETA_NO_BPF_SIDE
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#else
#include <linux/types.h>
#ifndef __ksym
#define __ksym
#endif
#endif

#define XDPMETA_MAX_KEYS	64
#define XDPMETA_KEY_NAME_LEN	32	/* including the NUL */

/* bpf_xdpmeta_set() flags */
#define XDPMETA_NOEXIST		(1U << 0)	/* only if absent, else -EEXIST */
#define XDPMETA_EXIST		(1U << 1)	/* only if present, else -ENOENT */

/* bpf_xdpmeta_pull() flags */
#define XDPMETA_PULL_ALL	(1U << 0)	/* the whole frame, len ignored */
#define XDPMETA_PULL_HEADROOM	(1U << 1)	/* may move data toward the head */

/* bpf_xdpmeta_key_register() flags: exactly one of them */
#define XDPMETA_KEY_CREATE	(1U << 0)	/* allocate if the name is new */
#define XDPMETA_KEY_NO_CREATE	(1U << 1)	/* look up only, -ENOENT if new */

/*
 * Reserved, always-registered keys for hardware RX hints. Filled by
 * bpf_xdpmeta_import_hints() or the bpf_xdpmeta_hint_set_*() kfuncs, read
 * like any key, and applied to the skb when the packet becomes one on a
 * hooked device (skb->hash, the VLAN hw-accel tag, skb_hwtstamps()).
 */
#define XDPMETA_KEY_RX_HASH		0	/* u32 */
#define XDPMETA_KEY_RX_HASH_TYPE	1	/* u32, enum xdp_rss_hash_type */
#define XDPMETA_KEY_RX_VLAN		2	/* struct xdpmeta_vlan (4 bytes) */
#define XDPMETA_KEY_RX_TIMESTAMP	3	/* u64, ns */
#define XDPMETA_KEY_FIRST_FREE		4

/* The value of XDPMETA_KEY_RX_VLAN */
struct xdpmeta_vlan {
	__u16 tci;		/* host order, as skb->vlan_tci */
	__be16 proto;		/* ETH_P_8021Q or ETH_P_8021AD, network order */
};

/* bpf_xdpmeta_import_hints() mask bits (and its return value) */
#define XDPMETA_HINT_HASH	(1U << 0)	/* rx_hash + rx_hash_type */
#define XDPMETA_HINT_VLAN	(1U << 1)	/* rx_vlan */
#define XDPMETA_HINT_TIMESTAMP	(1U << 2)	/* rx_timestamp */
#define XDPMETA_HINT_ALL	0x7U

/*
 * The seal: when a packet gets a store, xdpmeta also puts these 8 bytes
 * at the end of the packet's metadata (right before data; data_meta moves
 * down by 8, anything the program had there moves down with it). It is
 * how the skb side finds and trusts the store: skb metadata is per
 * packet, the headroom bytes are not. It holds a keyed check of the whole
 * store (header and values). TC programs reading data_meta see it as the
 * last 8 bytes. It is the same for every packet of a flow that carries
 * the same keys and values (GRO still merges them; per-packet values such
 * as timestamps stop the merging).
 */
#define XDPMETA_SEAL_MAGIC	0x584dU		/* "XM" */
#define XDPMETA_SEAL_LEN	8

/*
 * Requirements a program declares, checked by xdpmeta when the program is
 * attached to a hooked device (refused with an extack message naming what
 * is missing) and by `xdpmeta check PROG.o DEV`. Declare them once per
 * object with XDPMETA_REQUIRE(needs, "redirect-target-device"):
 *	XDPMETA_REQUIRE(XDPMETA_NEED_REDIRECT | XDPMETA_NEED_HINT_HASH, "veth1");
 * It is a const volatile variable in .rodata, which every loader (libbpf,
 * bpftool, ip) binds to the program; the module finds it by its magic.
 */
#define XDPMETA_REQ_MAGIC		0x3171657274656d78ULL	/* "xmetreq1" */
#define XDPMETA_NEED_TX			(1U << 0)	/* XDP_TX */
#define XDPMETA_NEED_REDIRECT		(1U << 1)	/* XDP_REDIRECT from this device */
#define XDPMETA_NEED_MULTI_BUFFER	(1U << 2)	/* multi-buffer RX */
#define XDPMETA_NEED_HINT_HASH		(1U << 3)	/* RX hash hint */
#define XDPMETA_NEED_HINT_VLAN		(1U << 4)	/* RX VLAN hint */
#define XDPMETA_NEED_HINT_TIMESTAMP	(1U << 5)	/* RX timestamp hint */
#define XDPMETA_NEED_STORE		(1U << 6)	/* the xdpmeta store */
#define XDPMETA_NEED_ALL		0x7fU

struct xdpmeta_requirements {
	__u64 magic;			/* XDPMETA_REQ_MAGIC */
	__u32 version;			/* 1 */
	__u32 needs;			/* XDPMETA_NEED_* */
	char redirect_target[16];	/* must accept XDP_REDIRECT frames; "" = none */
};

#ifndef __KERNEL__
#define XDPMETA_REQUIRE(needs_, target_)					\
	const volatile struct xdpmeta_requirements xdpmeta_requirements = {	\
		.magic = XDPMETA_REQ_MAGIC, .version = 1,			\
		.needs = (needs_), .redirect_target = target_,			\
	}
#endif

/*
 * Context of the SYSCALL programs in bpf/xdpmeta_ctl.bpf.c (run with
 * BPF_PROG_RUN by the CLI and by applications at start-up).
 */
struct xdpmeta_key_req {
	char name[XDPMETA_KEY_NAME_LEN];	/* in: NUL-terminated */
	__u32 size;				/* in: 0, 2, 4, 8 or 16 */
	__u32 flags;				/* in: XDPMETA_KEY_* */
	__u64 expected_rev;			/* in: 0 = any revision */
	__s32 ret;				/* out: id, or -errno */
	__u32 pad;
	__u64 rev;				/* out: revision after the call */
};

/*
 * Multi-program chains (kmod/chain.h): a device runs xdpmeta's dispatcher
 * (bpf/xdpmeta_dispatch.bpf.c, which calls bpf_xdpmeta_chain_run()), and
 * the module runs the device's chain of up to XDPMETA_CHAIN_MAX programs
 * in order, with bpf_mprog's attach rules (before/after/replace, revision
 * and -ESTALE) plus first/last pins and per-entry continue actions.
 * Changed and queried through the SYSCALL program xdpmeta_chain in
 * bpf/xdpmeta_ctl.bpf.c, with a struct xdpmeta_chain_req as its context.
 */
#define XDPMETA_CHAIN_MAX	64

/* struct xdpmeta_chain_req.op */
#define XDPMETA_CHAIN_OP_ATTACH	1
#define XDPMETA_CHAIN_OP_DETACH	2
#define XDPMETA_CHAIN_OP_QUERY	3

/* struct xdpmeta_chain_req.flags (kmod/order.h says what each does) */
#define XDPMETA_CHAIN_BEFORE	(1U << 0)	/* before rel_id (0: first) */
#define XDPMETA_CHAIN_AFTER	(1U << 1)	/* after rel_id (0: last) */
#define XDPMETA_CHAIN_REPLACE	(1U << 2)	/* replace old_id */
#define XDPMETA_CHAIN_FIRST	(1U << 3)	/* pinned first while attached */
#define XDPMETA_CHAIN_LAST	(1U << 4)	/* pinned last while attached */
#define XDPMETA_CHAIN_CONT	(1U << 5)	/* .cont gives the continue actions */
#define XDPMETA_CHAIN_MB	(1U << 6)	/* .mb gives the multi-buffer policy */
#define XDPMETA_CHAIN_FLAGS	0x7fU

/* continue actions: bit n continues after XDP action n */
#define XDPMETA_CHAIN_CONT_DEFAULT	(1U << 2)	/* XDP_PASS */
#define XDPMETA_CHAIN_CONT_VALID	0x1fU

/*
 * What an entry whose program is not frags-aware gets when the frame has
 * frags (struct xdpmeta_chain_req.mb). The program never sees a partial
 * frame; each case is counted per entry.
 */
#define XDPMETA_CHAIN_MB_PULL	0	/* default: made linear in its buffer
					 * (bpf_xdpmeta_pull, all bytes), or
					 * dropped if it does not fit */
#define XDPMETA_CHAIN_MB_DROP	1	/* the chain ends with XDP_DROP */
#define XDPMETA_CHAIN_MB_PASS	2	/* the chain ends with XDP_PASS */
#define XDPMETA_CHAIN_MB_SKIP	3	/* the entry is not run, the chain goes on */
#define __XDPMETA_CHAIN_MB_MAX	4

/* struct xdpmeta_chain_info.pin */
#define XDPMETA_CHAIN_PIN_FIRST	1
#define XDPMETA_CHAIN_PIN_LAST	2

struct xdpmeta_chain_info {
	__u32 id;		/* program id */
	__u32 cont;		/* continue actions */
	__u8 pin;		/* 0, XDPMETA_CHAIN_PIN_FIRST or _LAST */
	__u8 mb;		/* XDPMETA_CHAIN_MB_* */
	__u8 frags;		/* the program is frags-aware */
	__u8 pad[5];
	__u64 mb_pulled;	/* frames made linear for it */
	__u64 mb_dropped;	/* ... dropped (policy, or no room to pull) */
	__u64 mb_passed;	/* ... passed by policy */
	__u64 mb_skipped;	/* ... that skipped it by policy */
};

struct xdpmeta_chain_req {
	__u32 size;		/* in: sizeof(struct xdpmeta_chain_req) */
	__u32 op;		/* in: XDPMETA_CHAIN_OP_* */
	__u32 ifindex;		/* in: the device, in the caller's netns */
	__s32 prog_fd;		/* in, attach: the program */
	__u32 flags;		/* in: XDPMETA_CHAIN_* */
	__u32 id;		/* in, detach: the program's id (0: by position) */
	__u32 rel_id;		/* in: relative program id, 0: none */
	__u32 old_id;		/* in, replace: the program replaced */
	__u32 cont;		/* in, with XDPMETA_CHAIN_CONT */
	__u32 mb;		/* in, with XDPMETA_CHAIN_MB */
	__u64 expected_revision;	/* in: 0 = any */
	__s32 ret;		/* out: attach: index; detach 0; query: count; -errno */
	__u32 count;		/* out: entries after the call */
	__u64 revision;		/* out: revision after the call */
	__u32 dispatcher_id;	/* out: the device's dispatcher program, 0: none */
	__u32 pad;
	__u64 runs;		/* out: chain runs (all CPUs) */
	__u64 recursions;	/* out: nested calls refused (XDP_ABORTED) */
	char msg[128];		/* out: why, when ret < 0 */
	struct xdpmeta_chain_info e[XDPMETA_CHAIN_MAX];	/* out: query */
};

#ifndef XDPMETA_NO_BPF_SIDE
/* BPF side. On failure each returns a negative errno (see above). */

/* XDP programs */
/* val: writable memory (stack, map value, packet), never .rodata or NULL */
extern int bpf_xdpmeta_set(struct xdp_md *ctx, __u32 key, const void *val,
			   __u32 val__sz, __u64 flags) __ksym;
extern int bpf_xdpmeta_get(struct xdp_md *ctx, __u32 key, void *val,
			   __u32 val__sz) __ksym;
extern int bpf_xdpmeta_del(struct xdp_md *ctx, __u32 key) __ksym;
extern int bpf_xdpmeta_is_set(struct xdp_md *ctx, __u32 key) __ksym;
/* does nothing, returns 0: the cost of a kfunc call (make bench) */
extern int bpf_xdpmeta_nop(struct xdp_md *ctx) __ksym;

/* Multi-buffer: make @len bytes (or all) linear; see kmod/mb.c */
extern int bpf_xdpmeta_pull(struct xdp_md *ctx, __u32 len, __u64 flags) __ksym;

/*
 * RX hints (kmod/hints.c). import reads the receiving driver's hints
 * (its xdp_metadata_ops) without a device-bound program; it returns the
 * mask of hints stored, or, when none was, the error of the lowest hint
 * asked for (ask for one hint to get that hint's own error).
 */
extern int bpf_xdpmeta_import_hints(struct xdp_md *ctx, __u32 mask) __ksym;
extern int bpf_xdpmeta_hint_set_hash(struct xdp_md *ctx, __u32 hash,
				     __u32 type) __ksym;
extern int bpf_xdpmeta_hint_set_vlan(struct xdp_md *ctx, __be16 proto,
				     __u16 tci) __ksym;
extern int bpf_xdpmeta_hint_set_timestamp(struct xdp_md *ctx, __u64 ns) __ksym;

/* TC (SCHED_CLS) programs: the store of an skb that came through XDP */
extern int bpf_xdpmeta_skb_get(struct __sk_buff *skb, __u32 key, void *val,
			       __u32 val__sz) __ksym;
extern int bpf_xdpmeta_skb_is_set(struct __sk_buff *skb, __u32 key) __ksym;

/* SYSCALL programs */
extern int bpf_xdpmeta_key_register(const char *name, __u32 name__sz,
				    __u32 size, __u32 flags,
				    __u64 expected_rev) __ksym;
extern int bpf_xdpmeta_key_unregister(const char *name, __u32 name__sz,
				      __u64 expected_rev) __ksym;
extern __u64 bpf_xdpmeta_key_revision(void) __ksym;
extern int bpf_xdpmeta_chain_ctl(void *req, __u32 req__sz) __ksym;

/* The dispatcher's kfunc: runs the device's chain, returns its verdict */
extern int bpf_xdpmeta_chain_run(struct xdp_md *ctx) __ksym;

/*
 * How a program gets its key ids into the fast path: declare them as
 *	const volatile __u32 my_key = XDPMETA_KEY_UNSET;
 * and let the loader write the id it registered into the skeleton's
 * .rodata before load (skel->rodata->my_key = id): the verifier then sees a
 * constant. A program that was loaded without its ids set bails out.
 */
#define XDPMETA_KEY_UNSET	((__u32)-1)

/*
 * Pull, then re-derive the packet pointers: with XDPMETA_PULL_HEADROOM
 * the bytes may have moved, and the verifier does not know it. Use it as
 *	if (xdpmeta_pull(ctx, 64, 0, &data, &data_end) < 0) return XDP_DROP;
 */
static __always_inline int xdpmeta_pull(struct xdp_md *ctx, __u32 len, __u64 flags,
					void **data, void **data_end)
{
	int ret = bpf_xdpmeta_pull(ctx, len, flags);

	*data = (void *)(long)ctx->data;
	*data_end = (void *)(long)ctx->data_end;
	return ret;
}

/* A flag key (size 0): the value pointer is required but never read. */
static __always_inline int xdpmeta_flag_set(struct xdp_md *ctx, __u32 key)
{
	char dummy = 0;

	return bpf_xdpmeta_set(ctx, key, &dummy, 0, 0);
}
#endif /* !XDPMETA_NO_BPF_SIDE */

#endif /* XDPMETA_H */
