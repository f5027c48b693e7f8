/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xdpmeta - module-internal interfaces between the rooms of kmod/.
 *
 * Design
 * ======
 * xdpmeta is an out-of-tree module for stock kernels. It cannot change
 * struct net_device, the drivers or the verifier, so it works through the
 * few doors a module has:
 *
 *  - BTF kfuncs (store.c, registry.c): registered per program type with
 *    register_btf_kfunc_id_set(). They need the module's own BTF; main.c
 *    refuses to load without it (registration would silently do nothing).
 *
 *  - The device hook (hook.c): every veth and virtio_net device, in every
 *    netns, gets dev->netdev_ops pointed at a module-owned copy of its
 *    driver's ops (struct xdpmeta_dev::ops) whose ndo_bpf and
 *    ndo_xdp_xmit call the driver's own. Because the copy is embedded in
 *    the per-device record, a wrapper finds its record with container_of()
 *    on the ops pointer: no lookup on the data path.
 *
 *  - A netfilter ingress hook per hooked device (skb.c): the first place
 *    where a module sees every skb a driver built, used to apply RX hints
 *    from the store (found through the seal store.c keeps at the end of
 *    data_meta) to the skb.
 *
 *  - debugfs (debugfs.c): read-only views of every room.
 *
 * Locking
 * =======
 *  - RTNL protects the hooked-device list (xdpmeta_devs), each record's
 *    control-plane fields (attached program, attach counters), and every
 *    write of dev->netdev_ops. The netdevice notifier and ndo_bpf already
 *    run under RTNL; debugfs readers take it.
 *  - Data-path counters are per-CPU (this_cpu_inc from NAPI/softirq
 *    context); readers sum them without a lock and may see a count that is
 *    a few packets behind.
 *  - Unhooking first makes the copy identical to the driver's table, then
 *    writes the driver's ops back with WRITE_ONCE() under RTNL, and frees
 *    the record a minute later after an RCU grace period (call_rcu). Most
 *    callers of ndo_* hold RTNL or run in an RCU read-side / BH-disabled
 *    section (ndo_xdp_xmit from NAPI); the few that do neither (sysfs
 *    iflink) find the driver's own functions in the retired copy. A
 *    wrapper entered through the copy after the swap-back detects it and
 *    calls the driver directly.
 *  - The ingress hooks are registered and unregistered under RTNL (hook.c's
 *    notifier: on NETDEV_REGISTER, and on every NETDEV_UNREGISTER, which a
 *    netns move sends too); they run under RCU in the receive path and
 *    touch only the skb and per-CPU counters.
 *  - Module exit: debugfs first (its readers take RTNL), then the
 *    notifier (which replays NETDEV_UNREGISTER for every device and so
 *    restores every hooked device), then rcu_barrier() so that no
 *    call_rcu callback of ours runs after the module text is gone.
 */
#ifndef XDPMETA_INT_H
#define XDPMETA_INT_H

#include <linux/netdevice.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/bpf.h>
#include <linux/netfilter.h>
#include <linux/siphash.h>
#include <linux/hash.h>

#include "compat.h"	/* before the rest: <linux/unaligned.h> and probes */
#include "kv.h"
#include "parse.h"
#include "xdpmeta.h"

#define XDPMETA_NAME "xdpmeta"

/* ---- hook.c ------------------------------------------------------------ */

/* Which drivers xdpmeta hooks. */
enum xdpmeta_driver {
	XDPMETA_DRV_VETH,
	XDPMETA_DRV_VIRTIO_NET,
	__XDPMETA_DRV_MAX,
};

/* Data-path counters of one device, per CPU. */
struct xdpmeta_dev_pcpu {
	u64 xmit_calls;		/* ndo_xdp_xmit calls */
	u64 xmit_frames;	/* frames the driver accepted */
	u64 xmit_errors;	/* frames the driver refused (caller frees) */
	u64 mb_linearized;	/* multi-buffer frames copied into one page */
	u64 mb_dropped;		/* ... dropped by policy or for lack of memory */
	u64 mb_passed;		/* ... let through to a non-frags peer (pass) */
	u64 skb_stores;		/* skbs with a sealed store (skb.c) */
	u64 skb_hints;		/* ... of which had hints applied */
	u64 skb_bad_seal;	/* seal found, store not (moved, clobbered) */
	u64 chain_runs;		/* bpf_xdpmeta_chain_run() walks (chain.c) */
	u64 chain_recursions;	/* ... refused: called from inside a walk */
};

/*
 * One hooked device. @ops is what dev->netdev_ops points at while hooked:
 * the wrappers get back to the record with container_of().
 */
struct xdpmeta_dev {
	struct net_device_ops ops;
	const struct net_device_ops *orig;	/* the driver's own table */
	struct net_device *dev;			/* valid while on the list */
	enum xdpmeta_driver drv;
	struct list_head node;			/* xdpmeta_devs or retired, RTNL */
	struct rcu_head rcu;
	unsigned long retired;			/* jiffies, once unhooked */

	/* control plane, RTNL */
	u32 prog_id;				/* native XDP program, 0 = none */
	bool prog_frags;			/* ... loaded with XDP frags */
	char prog_name[BPF_OBJ_NAME_LEN];
	u64 n_attach;
	u64 n_detach;
	u64 n_refused;				/* XDP_SETUP_PROG that failed */

	/*
	 * Redirect shim (mb.c), veth only. Written under RTNL, read with
	 * READ_ONCE by the ndo_xdp_xmit wrapper.
	 */
	int mb_policy;				/* enum xdpmeta_mb_policy */
	bool peer_plain;			/* peer runs a non-frags program */

	struct xdpmeta_dev_pcpu __percpu *pcpu;

	/*
	 * Hints the driver's xdp_metadata_ops declare but cannot deliver
	 * (XDPMETA_HINT_*), set at hook time: virtio_net registers
	 * xmo_rx_hash when the device has RSS, but only hash reports
	 * (VIRTIO_NET_F_HASH_REPORT) put a hash in the header it reads;
	 * without them it reads packet bytes as the hash (6.12).
	 */
	u32 hints_missing;
#define XDPMETA_HINT_HDR	(1U << 31)	/* hints_missing: the hash is read
						 * from the bytes below data */
	/*
	 * hints.c, set at hook time: where data starts in a fresh RX buffer
	 * of this device's driver (data - data_hard_start; 0 = not a
	 * header-below-data driver). virtio_net's hash lies right below it,
	 * so the hash is read only while data is still there.
	 */
	u32 rx_headroom;
	/*
	 * store.c: an skb this driver builds on XDP_PASS has its head at the
	 * XDP buffer's data_hard_start (veth; virtio_net with mergeable
	 * buffers, not its small-buffer path), so a sealed store may be
	 * looked for there too (XDPMETA_SEAL_HEAD).
	 */
	bool skb_head_is_hard_start;

	/*
	 * chain.c: the device's program chain (control side, RTNL) and the
	 * array the dispatcher walks (RCU; see chain.h).
	 */
	struct xdpmeta_chain *chain;
	struct xdpmeta_chain_run __rcu *chain_run;

	/* skb.c: netfilter ingress hook applying hints, RTNL */
	struct nf_hook_ops nfo;
	struct net *nf_net;			/* where it is registered, or NULL */
};

int xdpmeta_ndo_bpf(struct net_device *dev, struct netdev_bpf *bpf);

/*
 * Whether @dev is hooked right now: its ops are one of our copies. Lock-
 * free (one load); the answer may be stale by one unhook, which is fine for
 * the data path (a retired copy stays valid for a minute).
 */
static __always_inline bool xdpmeta_hook_owns(const struct net_device *dev)
{
	return READ_ONCE(dev->netdev_ops)->ndo_bpf == xdpmeta_ndo_bpf;
}

static __always_inline struct xdpmeta_dev *xdpmeta_hook_dev_of(const struct net_device *dev)
{
	return container_of(READ_ONCE(dev->netdev_ops), struct xdpmeta_dev, ops);
}

int xdpmeta_hook_init(void);
unsigned int xdpmeta_hook_exit(void);
const char *xdpmeta_driver_name(enum xdpmeta_driver drv);
/* enum xdpmeta_driver of @dev, or -ENODEV: not one xdpmeta hooks */
int xdpmeta_driver_of(const struct net_device *dev);
/* @dev's native (or @mode) XDP program as the core records it, or NULL. RTNL. */
struct bpf_prog *__xdpmeta_drv_prog(struct net_device *dev);
struct bpf_prog *__xdpmeta_mode_prog(struct net_device *dev, enum bpf_xdp_mode mode);
void __xdpmeta_hook_peer_sync(struct xdpmeta_dev *xd);
int xdpmeta_hook_devices_show(struct seq_file *m, void *v);
int xdpmeta_hook_chains_show(struct seq_file *m, void *v);

/* ---- registry.c -------------------------------------------------------- */

#define XDPMETA_SIZE_NONE	0xff	/* xdpmeta_key_size[]: unregistered */
extern u8 xdpmeta_key_size[XDPMETA_MAX_KEYS];

/*
 * Registered value size of @key (< XDPMETA_MAX_KEYS), or -1. Lock-free:
 * one byte written with WRITE_ONCE under the registry mutex; see
 * "Id reuse" in registry.c for why a stale read is harmless.
 */
static __always_inline int xdpmeta_registry_size(u32 key)
{
	u8 size = READ_ONCE(xdpmeta_key_size[key]);

	return size == XDPMETA_SIZE_NONE ? -1 : size;
}

int xdpmeta_registry_init(void);
int xdpmeta_registry_keys_show(struct seq_file *m, void *v);

/* ---- objects.c ---------------------------------------------------------- */

enum xdpmeta_obj {
	XDPMETA_OBJ_RECORDS,
	XDPMETA_OBJ_HOOKED,
	XDPMETA_OBJ_RETIRED,
	XDPMETA_OBJ_NF_HOOKS,
	XDPMETA_OBJ_PULL_RCU,
	XDPMETA_OBJ_CHAINS,
	XDPMETA_OBJ_CHAIN_ENTRIES,
	XDPMETA_OBJ_N
};

extern atomic_long_t xdpmeta_objects[XDPMETA_OBJ_N];

static inline void xdpmeta_obj_inc(enum xdpmeta_obj o)
{
	atomic_long_inc(&xdpmeta_objects[o]);
}

static inline void xdpmeta_obj_dec(enum xdpmeta_obj o)
{
	atomic_long_dec(&xdpmeta_objects[o]);
}

int xdpmeta_objects_show(struct seq_file *m, void *v);
void xdpmeta_objects_check(void);

/* ---- store.c ------------------------------------------------------------ */

/*
 * "This packet has a store": a bit of xdp_buff->flags (and
 * xdp_frame->flags) the kernel does not use (asserted in store.c), and
 * beside it a 12-bit tag of the buffer it was set for.
 *
 * The tag, because not every driver gives a packet fresh flags: i40e and
 * ice keep one xdp_buff per ring and never reset its flags for a
 * single-buffer frame, ixgbe, igb, ena and mlx4 reset them once per NAPI
 * poll (6.12: xdp_init_buff() outside the packet loop). The mark set for
 * one packet would otherwise stay on the next ones, in other buffers.
 * The tag is a hash of the buffer's data_hard_start, the one thing that
 * tells the packets of a ring apart and survives everything a store
 * survives: xdp_convert_buff_to_frame() puts the frame at data_hard_start
 * and xdp_convert_frame_to_buff() gives it back (devmap, cpumap, veth),
 * and xdpmeta's own copies (mb.c) retag. A mark with another buffer's tag
 * (true with probability 1 - 2^-12) is no store, and any kfunc that sees
 * one clears it. What it cannot catch: the same buffer coming back round
 * an i40e/ice ring with no xdpmeta call on any packet in between, which
 * then finds the earlier packet's store intact (README, Security).
 * Bit 2 is left to the kernel (newer kernels took it for frags flags).
 */
#define XDPMETA_BUFF_FLAG	BIT(15)
#define XDPMETA_BUFF_TAG_SHIFT	3
#define XDPMETA_BUFF_TAG_BITS	12
#define XDPMETA_BUFF_TAG_MASK	GENMASK(XDPMETA_BUFF_TAG_SHIFT + XDPMETA_BUFF_TAG_BITS - 1, \
					XDPMETA_BUFF_TAG_SHIFT)

static __always_inline u32 xdpmeta_buff_tag(const void *hard_start)
{
	return (u32)hash_ptr(hard_start, XDPMETA_BUFF_TAG_BITS) << XDPMETA_BUFF_TAG_SHIFT;
}

/* Whether flags @flags mark a store in the buffer at @hard_start. */
static __always_inline bool xdpmeta_buff_marked(u32 flags, const void *hard_start)
{
	return (flags & (XDPMETA_BUFF_FLAG | XDPMETA_BUFF_TAG_MASK)) ==
	       (XDPMETA_BUFF_FLAG | xdpmeta_buff_tag(hard_start));
}

/*
 * The most metadata xdpmeta lets a packet carry with its seal: the limit
 * of bpf_xdp_adjust_meta() up to 6.7 (6.12 allows 252 bytes); kept on
 * every kernel, so a program's metadata budget does not change with it.
 */
#define XDPMETA_META_MAX	32

/*
 * The store's integrity check on the XDP side: a 16-bit sum of the whole
 * store in the upper half of xdp_buff->flags (and xdp_frame->flags, which
 * the kernel copies both ways; its own flags are the low bits: asserted
 * in store.c). The flags are per packet and no program can write them;
 * every change to the store rewrites the sum, and every access checks it,
 * so bytes that a program's bpf_xdp_adjust_head()/adjust_meta() moved
 * the metadata over and back read as -ESTALE, not as values (missed with
 * probability 2^-16). Not keyed: it guards against accidents on the
 * program's own packet; the skb side has the seal's keyed check.
 */
#define XDPMETA_BUFF_SUM_SHIFT	16

/* Every bit of xdp_buff->flags that is xdpmeta's: mark, tag and sum. */
#define XDPMETA_BUFF_BITS	(XDPMETA_BUFF_FLAG | XDPMETA_BUFF_TAG_MASK | \
				 (~0U << XDPMETA_BUFF_SUM_SHIFT))

/* Mark @xdp's store present in its buffer (the sum is written apart). */
static __always_inline void xdpmeta_buff_mark(struct xdp_buff *xdp)
{
	xdp->flags = (xdp->flags & ~(XDPMETA_BUFF_FLAG | XDPMETA_BUFF_TAG_MASK)) |
		     XDPMETA_BUFF_FLAG | xdpmeta_buff_tag(xdp->data_hard_start);
}

/*
 * A multiply-rotate chain over the store's 8-byte words (and its last 4
 * bytes: kv.h lengths are multiples of 4), seeded with the length, 16 bits
 * from the top. The rotation brings high bits down where the next multiply
 * spreads them, so one flipped bit is always caught, and a flip in one
 * word is not undone by the same flip in the next (it was in the plain
 * multiply chain before). Not every pair is caught: a flip of bit 34 of
 * one word and of bit 63 of the next cancel (review: two-bit errors in
 * adjacent words pass with about 2^-11); bytes a memmove of metadata left
 * over the store, the case it is for, pass with about 2^-16.
 */
#define XDPMETA_SUM_MUL	0xff51afd7ed558ccdULL

static __always_inline u32 xdpmeta_store_sum(const void *store, unsigned int len)
{
	u64 h = len * 0x9e3779b97f4a7c15ULL;
	unsigned int i;

	for (i = 0; i + 8 <= len; i += 8)
		h = rol64(h ^ get_unaligned((const u64 *)(store + i)), 29) * XDPMETA_SUM_MUL;
	if (len & 4)
		h = rol64(h ^ get_unaligned((const u32 *)(store + i)), 29) * XDPMETA_SUM_MUL;
	return (h ^ (h << 21)) >> 48;
}

/* The length of the store at @store (kv.h), from its header, inline. */
static __always_inline unsigned int xdpmeta_store_len(const void *store)
{
	return xdpmeta_kv_hdr_len(get_unaligned((const u64 *)store),
				  get_unaligned((const u64 *)(store + 8)));
}

/*
 * The length of the store at @store if it is intact for packet flags
 * @flags (with XDPMETA_BUFF_FLAG set) within @room bytes: a header, a
 * length that fits, and the sum; 0 if not (no store is shorter than its
 * header). The header is read once, and only if @room holds it.
 */
static __always_inline unsigned int xdpmeta_store_check(const void *store, long room, u32 flags)
{
	unsigned int len;

	if (room < XDPMETA_KV_HDR_LEN)
		return 0;
	len = xdpmeta_store_len(store);
	if (len > room || xdpmeta_store_sum(store, len) != flags >> XDPMETA_BUFF_SUM_SHIFT)
		return 0;
	return len;
}

/*
 * The seal at the end of a packet's metadata (bpf/xdpmeta.h): the skb
 * side's only per-packet proof that bytes in the headroom are this
 * packet's store (skb.c). @off locates the store from data as it was when
 * sealed; XDPMETA_SEAL_HEAD in it says that the store may also be looked
 * for at skb->head + sizeof(struct xdp_frame) (set only where the skb
 * head is known to be the XDP buffer's data_hard_start, store.c). @check
 * is a keyed PRF (SipHash, key random per load) of the whole store,
 * header and values, so bytes anywhere else are accepted only if they
 * are, byte for byte, what xdpmeta wrote for this packet.
 */
struct xdpmeta_seal {
	u16 magic;	/* XDPMETA_SEAL_MAGIC */
	u16 off;	/* data - store start, when sealed; | XDPMETA_SEAL_HEAD */
	u32 check;	/* xdpmeta_seal_check(store, its length) */
};
static_assert(sizeof(struct xdpmeta_seal) == XDPMETA_SEAL_LEN);
#define XDPMETA_SEAL_HEAD	0x8000U		/* off: store also at the head */
#define XDPMETA_SEAL_OFF_MAX	0x7fffU

extern siphash_key_t xdpmeta_seal_key;

/* @len: the store's length (xdpmeta_kv_len()), checked by the caller. */
static __always_inline u32 xdpmeta_seal_check(const void *store, unsigned int len)
{
	u64 h = siphash(store, len, &xdpmeta_seal_key);

	return h ^ (h >> 32);
}

int __xdpmeta_store_set(struct xdp_buff *xdp, u32 key, const void *val,
			u32 size, u64 flags);
void xdpmeta_seal_moved(void *data, const void *store);


/* ---- hints.c / skb.c ------------------------------------------------- */

void xdpmeta_hints_dev_init(struct xdpmeta_dev *xd);
bool xdpmeta_hints_hash_usable(const struct net_device *dev);
int xdpmeta_skb_hook(struct xdpmeta_dev *xd);
void xdpmeta_skb_unhook(struct xdpmeta_dev *xd);
/* kfunc, also named by features.c: a program calling it needs an RX hint */
int bpf_xdpmeta_import_hints(struct xdp_md *ctx, u32 mask);

/* ---- mb.c -------------------------------------------------------------- */

/* enum xdpmeta_mb_mode, enum xdpmeta_mb_policy and their words: parse.h */
extern int xdpmeta_mb_mode;		/* RTNL; READ_ONCE on the data path */
extern int xdpmeta_mb_default_policy;	/* RTNL */

const char *xdpmeta_mb_policy_name(int policy);
int xdpmeta_mb_show(struct seq_file *m, void *v);
struct xdp_frame *xdpmeta_mb_linearize(const struct xdp_frame *f);
/* kfunc, also called by chain.c for an entry that is not frags-aware */
int bpf_xdpmeta_pull(struct xdp_md *ctx, u32 len, u64 flags);
int xdpmeta_mb_xmit(struct xdpmeta_dev *xd, struct net_device *dev, int n,
		    struct xdp_frame **frames, u32 flags);

/*
 * Whether a batch sent into a device whose peer runs a plain program needs
 * the shim (xdpmeta_mb_xmit()): only if a frame in it has frags. The
 * wrapper asks first, so that single-buffer traffic, the common case even
 * on a jumbo-MTU link, costs two loads and an or per frame, not the
 * shim's reordering (xdp_frame_has_frags() is this flag's test).
 */
static __always_inline bool xdpmeta_mb_wanted(struct xdp_frame **frames, int n)
{
	struct xdp_frame **p = frames, **end = frames + n;
	u32 any = 0;

	/* the flags of all frames or-ed, four at a time: no branch per frame */
	for (; end - p >= 4; p += 4)
		any |= p[0]->flags | p[1]->flags | p[2]->flags | p[3]->flags;
	for (; p < end; p++)
		any |= p[0]->flags;
	return unlikely(any & XDP_FLAGS_HAS_FRAGS);
}

/* hook.c, for mb.c and debugfs.c */
int __xdpmeta_hook_strict_blockers(bool log);
int xdpmeta_hook_set_mb_policy(unsigned int netns, int ifindex, int policy);

/* ---- features.c ------------------------------------------------------- */

void __xdpmeta_features_header(struct seq_file *m);
void __xdpmeta_features_show_dev(struct seq_file *m, struct xdpmeta_dev *xd,
				 struct net_device *peer);
int xdpmeta_hook_features_show(struct seq_file *m, void *v);	/* hook.c */
int __xdpmeta_features_check(struct net_device *dev, struct bpf_prog *prog,
			     struct netlink_ext_ack *extack);
int __xdpmeta_features_check_entry(struct net_device *dev, struct bpf_prog *prog,
				   char *why, size_t len);
bool xdpmeta_features_prog_calls(const struct bpf_prog *prog, const void *kfunc);

/* ---- chain.c ----------------------------------------------------------- */

/* kfuncs (kfuncs.c lists them) */
int bpf_xdpmeta_chain_run(struct xdp_md *ctx);
int bpf_xdpmeta_chain_ctl(void *req, u32 req__sz);
/* hook.c's ndo_bpf wrapper, around the driver's XDP_SETUP_PROG. RTNL. */
int __xdpmeta_chain_setup(struct xdpmeta_dev *xd, struct bpf_prog *prog,
			  struct netlink_ext_ack *extack);
void __xdpmeta_chain_setup_done(struct xdpmeta_dev *xd, struct bpf_prog *prog,
				int err);
/* hook.c, when a device is unhooked: releases its chain. RTNL. */
void __xdpmeta_chain_dev_gone(struct xdpmeta_dev *xd);
void __xdpmeta_chain_show_dev(struct seq_file *m, struct xdpmeta_dev *xd);
/* Whether @xd's chain has a plain entry that pulls (hook.c's veth shim). RTNL. */
bool __xdpmeta_chain_wants_linear(const struct xdpmeta_dev *xd);
int xdpmeta_chain_init(void);
void xdpmeta_chain_exit(void);

/* ---- kfuncs.c ---------------------------------------------------------- */

int xdpmeta_kfuncs_init(void);

/* ---- debugfs.c --------------------------------------------------------- */

int xdpmeta_debugfs_init(void);
void xdpmeta_debugfs_exit(void);

#endif /* XDPMETA_INT_H */
