// SPDX-License-Identifier: GPL-2.0
/*
 * store.c - where a packet's key/value store lives and the XDP kfuncs on
 * it. The encoding itself is kv.c's.
 *
 * Place: the headroom right after struct xdp_frame,
 *
 *   data_hard_start
 *   | struct xdp_frame | store: hdr + values | free | data_meta | data ...
 *                      ^ store start          store end ^ room ends here
 *
 * When a driver turns the xdp_buff into an xdp_frame (XDP_REDIRECT into a
 * devmap or cpumap) the frame header is written below the store and the
 * store's bytes travel untouched; xdp_convert_frame_to_buff() on the far
 * side gives back the same data_hard_start, so the receiving program (veth
 * peer, cpumap program) finds the same store.
 *
 * Presence: the bytes alone prove nothing (page_pool recycles buffers with
 * an earlier packet's store in them), so a packet has a store only if
 * XDPMETA_BUFF_FLAG is set in xdp_buff->flags with this buffer's tag
 * (xdpmeta_int.h: drivers that keep one xdp_buff per ring or per poll
 * leave an earlier packet's flags on the next). The kernel copies the
 * flags into xdp_frame->flags and back, so the mark follows the packet
 * through redirects. Known limits:
 *  - generic (skb) XDP rebuilds the xdp_buff for every skb: the bit does
 *    not survive a generic-mode redirect and the store reads as absent;
 *  - BPF_PROG_TEST_RUN resets the flags once per syscall, and live-frames
 *    mode recycles pages with their flags: a store persists across
 *    repeats there.
 *
 * Clobbering: bpf_xdp_adjust_meta() and bpf_xdp_adjust_head() only keep
 * clear of struct xdp_frame, not of the store. Every access checks that
 * the store still ends at or below data_meta (or data), and its sum in
 * the packet's flags (xdpmeta_store_check()): a program that grew its
 * metadata or head into the store's bytes, or moved the metadata over
 * them and back (adjust_head memmoves it), gets -ESTALE from then on.
 * Set never grows the store into data_meta (-ENOSPC). The sum is 16 bits
 * and not keyed: changed bytes pass with probability 2^-16.
 *
 * The data path takes no lock and allocates nothing; the registry is read
 * through xdpmeta_registry_size() (one byte, lock-free).
 */
#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <net/xdp.h>

#include "xdpmeta_int.h"
#include "kv.h"

static_assert(!(XDPMETA_BUFF_FLAG & XDPMETA_COMPAT_KERNEL_XDP_FLAGS),
	      "XDPMETA_BUFF_FLAG collides with a kernel xdp_buff flag");
static_assert(!((~0U << XDPMETA_BUFF_SUM_SHIFT) & (XDPMETA_COMPAT_KERNEL_XDP_FLAGS | XDPMETA_BUFF_FLAG)),
	      "the store sum collides with an xdp_buff flag");
static_assert(!(XDPMETA_BUFF_TAG_MASK & (XDPMETA_COMPAT_KERNEL_XDP_FLAGS | XDPMETA_BUFF_FLAG |
					(~0U << XDPMETA_BUFF_SUM_SHIFT))),
	      "the buffer tag collides with a flag or the sum");
static_assert(XDPMETA_NOEXIST == XDPMETA_KV_NOEXIST &&
	      XDPMETA_EXIST == XDPMETA_KV_EXIST, "flag values differ");

siphash_key_t xdpmeta_seal_key __read_mostly;	/* main.c sets it at load */

static __always_inline void *xdpmeta_store(const struct xdp_buff *xdp)
{
	return xdp->data_hard_start + sizeof(struct xdp_frame);
}

/*
 * Bytes from the store's start to data_meta (data when the driver has no
 * metadata support: then data_meta is data + 1). Negative if the headroom
 * cannot even hold struct xdp_frame.
 */
static __always_inline long xdpmeta_store_room(const struct xdp_buff *xdp)
{
	const void *end = xdp->data_meta <= xdp->data ? xdp->data_meta : xdp->data;

	return end - xdpmeta_store(xdp);
}

/*
 * Whether the packet has a store: the mark, with this buffer's tag
 * (xdpmeta_int.h). A mark left by a driver's earlier packet in another
 * buffer is cleared here, so that it cannot come back with its buffer.
 */
static __always_inline bool xdpmeta_store_present(struct xdp_buff *xdp)
{
	if (likely(xdpmeta_buff_marked(xdp->flags, xdp->data_hard_start)))
		return true;
	if (unlikely(xdp->flags & XDPMETA_BUFF_FLAG))
		xdp->flags &= ~XDPMETA_BUFF_BITS;
	return false;
}

/* The registered size of @key, or -EINVAL / -ENOKEY. */
static __always_inline int xdpmeta_store_key_size(u32 key)
{
	int size;

	if (unlikely(key >= XDPMETA_MAX_KEYS))
		return -EINVAL;
	size = xdpmeta_registry_size(key);
	return unlikely(size < 0) ? -ENOKEY : size;
}

/*
 * The packet's store if it has one and it is intact, in *@store; its
 * length, or -ENOENT, -ESTALE. Checked on every call, not once per
 * packet: nothing tells a kfunc that the program moved data_meta or data
 * over the store and back since the last call (doc/benchmarks.md).
 */
static __always_inline int xdpmeta_store_open(struct xdp_buff *xdp,
					      void **store)
{
	unsigned int len;

	if (!xdpmeta_store_present(xdp))
		return -ENOENT;
	*store = xdpmeta_store(xdp);
	len = xdpmeta_store_check(*store, xdpmeta_store_room(xdp), xdp->flags);
	return likely(len) ? (int)len : -ESTALE;
}

/* After a change to the store of length @len: its sum into the flags. */
static __always_inline void xdpmeta_store_resum(struct xdp_buff *xdp, const void *store,
						unsigned int len)
{
	xdp->flags = (xdp->flags & ~(~0U << XDPMETA_BUFF_SUM_SHIFT)) |
		     xdpmeta_store_sum(store, len) << XDPMETA_BUFF_SUM_SHIFT;
}

/*
 * Prologue of del and is_set: @key's registered size, with the packet's
 * intact store in *@store; or -EINVAL, -ENOKEY, -ENOENT, -ESTALE.
 */
static __always_inline int xdpmeta_store_key_open(struct xdp_buff *xdp,
						  u32 key, void **store)
{
	int size = xdpmeta_store_key_size(key), err;

	if (unlikely(size < 0))
		return size;
	err = xdpmeta_store_open(xdp, store);
	return err < 0 ? err : size;
}

/*
 * The seal (bpf/xdpmeta.h): the last XDPMETA_SEAL_LEN bytes of data_meta,
 * written with the store and refreshed by every change, so that the skb
 * side (skb.c) can find the store and know it is this packet's. Only when
 * the driver supports metadata; a packet whose metadata cannot take 8 more
 * bytes (the kernel's limit is XDPMETA_META_MAX) gets no store (-ENOSPC).
 */
static __always_inline bool xdpmeta_seal_wanted(const struct xdp_buff *xdp)
{
	return xdp->data_meta <= xdp->data;
}

/* Room needed for the seal if it has to be inserted now. */
static __always_inline long xdpmeta_seal_need(const struct xdp_buff *xdp,
					      bool create)
{
	long metalen = xdp->data - xdp->data_meta;

	if (!xdpmeta_seal_wanted(xdp))
		return 0;
	if (!create && metalen >= XDPMETA_SEAL_LEN &&
	    get_unaligned((const u16 *)(xdp->data - XDPMETA_SEAL_LEN)) == XDPMETA_SEAL_MAGIC)
		return 0;
	if (metalen + XDPMETA_SEAL_LEN > XDPMETA_META_MAX)
		return LONG_MAX;
	return XDPMETA_SEAL_LEN;
}

/*
 * Whether an skb built from @xdp on XDP_PASS will have its head at
 * data_hard_start (struct xdpmeta_dev::skb_head_is_hard_start): only
 * known for the drivers xdpmeta hooks, and only in their own receive path
 * (napi_id != 0; elsewhere the packet becomes an skb, if at all, after a
 * redirect, which always builds it around the frame: XDPMETA_SEAL_HEAD is
 * then merely not set, and the store is found through seal.off).
 */
static __always_inline bool xdpmeta_seal_head_ok(const struct xdp_buff *xdp)
{
	/* xdp->rxq is never NULL: drivers, test_run, cpumap, devmap and
	 * generic XDP all set it before running a program (and the XSK
	 * check in __xdpmeta_store_set() relies on it as well) */
	const struct xdp_rxq_info *rxq = xdp->rxq;
	const struct net_device_ops *ops;

	if (!rxq->napi_id || !rxq->dev)
		return false;
	ops = READ_ONCE(rxq->dev->netdev_ops);	/* once: see xdpmeta_hook_owns() */
	if (ops->ndo_bpf != xdpmeta_ndo_bpf)
		return false;
	return container_of(ops, struct xdpmeta_dev, ops)->skb_head_is_hard_start;
}

/*
 * Write the seal for @store, inserting it at the end of the metadata if
 * it is not there (@need from xdpmeta_seal_need(), room already checked).
 * A store too far from data for seal.off keeps no seal (XDP-only).
 */
static __always_inline void xdpmeta_seal_write(struct xdp_buff *xdp,
					       const void *store, long need,
					       unsigned int len)
{
	struct xdpmeta_seal seal;
	long off;

	if (!xdpmeta_seal_wanted(xdp))
		return;
	off = xdp->data - store;
	if (unlikely(off > XDPMETA_SEAL_OFF_MAX))
		return;
	if (need) {
		memmove(xdp->data_meta - XDPMETA_SEAL_LEN, xdp->data_meta,
			xdp->data - xdp->data_meta);
		xdp->data_meta -= XDPMETA_SEAL_LEN;
		seal.off = off | (xdpmeta_seal_head_ok(xdp) ? XDPMETA_SEAL_HEAD : 0);
	} else {
		/* keep the HEAD bit of the seal written at creation */
		seal.off = off | (get_unaligned((const u16 *)(xdp->data - XDPMETA_SEAL_LEN + 2)) &
				  XDPMETA_SEAL_HEAD);
	}
	seal.magic = XDPMETA_SEAL_MAGIC;
	seal.check = xdpmeta_seal_check(store, len);
	memcpy(xdp->data - XDPMETA_SEAL_LEN, &seal, sizeof(seal));
}

/*
 * After a change to the store (of length @len now): refresh the seal
 * (re-insert it if the program removed it).
 */
static __always_inline void xdpmeta_seal_refresh(struct xdp_buff *xdp,
						 const void *store, unsigned int len)
{
	long need = xdpmeta_seal_need(xdp, false);

	if (need == LONG_MAX || (need && xdpmeta_store_room(xdp) - len < need))
		return;	/* program removed the seal, no room: XDP-only store */
	xdpmeta_seal_write(xdp, store, need, len);
}

/**
 * xdpmeta_seal_moved - data moved, the store did not: fix the seal's offset
 * @data: where data starts now (the seal, if any, ends there)
 * @store: where the store is
 *
 * For mb.c (a pull that shifts data toward the head, a linearized copy
 * with a shorter headroom): the store's bytes are unchanged, so the check
 * stands and only @off moves. Does nothing if @data carries no seal.
 */
void xdpmeta_seal_moved(void *data, const void *store)
{
	void *p = data - XDPMETA_SEAL_LEN + 2;
	long off = data - store;

	if (get_unaligned((const u16 *)(data - XDPMETA_SEAL_LEN)) != XDPMETA_SEAL_MAGIC)
		return;
	if (off > XDPMETA_SEAL_OFF_MAX) {	/* unreachable within a page */
		put_unaligned((u16)0, (u16 *)(data - XDPMETA_SEAL_LEN));
		return;
	}
	put_unaligned((u16)(off | (get_unaligned((const u16 *)p) & XDPMETA_SEAL_HEAD)),
		      (u16 *)p);
}

/*
 * Set @key in @xdp's store, creating the store (and its seal) on first
 * use; the body of bpf_xdpmeta_set() and of the hint kfuncs (hints.c),
 * after the key and size checks. Errors as bpf_xdpmeta_set().
 */
int __xdpmeta_store_set(struct xdp_buff *xdp, u32 key, const void *val,
			u32 size, u64 flags)
{
	bool create = !xdpmeta_store_present(xdp);
	void *store = xdpmeta_store(xdp);
	long room = xdpmeta_store_room(xdp), need = 0;
	unsigned int len = 0;	/* the store's, once checked or changed */
	int err;

	if (create) {
		if (flags & XDPMETA_EXIST)
			return -ENOENT;
		/*
		 * AF_XDP zero-copy: the headroom is UMEM, which user space may
		 * write while we read it, and XDP_PASS copies only data_meta
		 * into a new skb. No store there.
		 */
		if (unlikely(xdp->rxq->mem.type == MEM_TYPE_XSK_BUFF_POOL))
			return -EOPNOTSUPP;
		need = xdpmeta_seal_need(xdp, true);
		if (need == LONG_MAX ||
		    room - need < (long)(XDPMETA_KV_HDR_LEN + xdpmeta_kv_slot_len(size)))
			return -ENOSPC;
		xdpmeta_kv_init(store);
		room -= need;	/* the seal goes into the last @need bytes */
	} else {
		len = xdpmeta_store_check(store, room, xdp->flags);
		if (unlikely(!len))
			return -ESTALE;
	}
	err = xdpmeta_kv_update(store, room, key, val, size, flags);
	if (unlikely(err)) {
		if (err < 0)
			return err;	/* a new store is not marked present: no change */
		/*
		 * The same bytes (never on create: an empty store has no key):
		 * the sum and the seal's check stand. What a set still owes the
		 * seal (README: "call any set after the move to re-seal"): put
		 * it back if the program removed it, and fix its offset if
		 * bpf_xdp_adjust_head() moved it with data since
		 * (xdpmeta_seal_moved(); seal_need() 0 with a seal wanted means
		 * its magic ends the metadata). A check the program overwrote
		 * while keeping the magic is not noticed here; the skb side
		 * counts such a seal in skb_bad_seal and ignores it.
		 */
		if (unlikely(xdpmeta_seal_need(xdp, false)))
			xdpmeta_seal_refresh(xdp, store, len);
		else if (xdpmeta_seal_wanted(xdp))
			xdpmeta_seal_moved(xdp->data, store);
		return 0;
	}
	len = xdpmeta_store_len(store);
	xdpmeta_store_resum(xdp, store, len);
	if (create) {
		/* once per packet: inserted and written in one go */
		xdpmeta_seal_write(xdp, store, need, len);
		xdpmeta_buff_mark(xdp);
	} else {
		xdpmeta_seal_refresh(xdp, store, len);
	}
	return 0;
}

__bpf_kfunc_start_defs();

/**
 * bpf_xdpmeta_set - set a key's value in the packet's store
 * @ctx: the XDP context
 * @key: a registered key id
 * @val: the value
 * @val__sz: the value's size: must equal the key's registered size (for a
 *           flag key, 0 with any valid non-NULL pointer)
 * @flags: 0 (insert or overwrite), XDPMETA_NOEXIST or XDPMETA_EXIST
 *
 * Creates the packet's store on first use, and its seal (the last 8 bytes
 * of the metadata, see bpf/xdpmeta.h). Works on multi-buffer frames (the
 * store lives in the linear part's headroom). A set that finds the key
 * with the same bytes writes nothing but the seal's place (after a
 * bpf_xdp_adjust_head(), or if the program removed it); a seal whose
 * check the program overwrote is rewritten only by a set that changes
 * the store.
 *
 * Return: 0 on success;
 * -EINVAL if @val is NULL, @key >= 64, @flags has unknown bits or both
 *  flags;
 * -ENOKEY if @key is not registered;
 * -EMSGSIZE if @val__sz is not the key's registered size;
 * -EEXIST if XDPMETA_NOEXIST and the key is present;
 * -ENOENT if XDPMETA_EXIST and the key is absent;
 * -ENOSPC if the value does not fit between the store and data_meta, or
 *  a new store's seal does not fit (metadata already over 24 bytes);
 * -ESTALE if the program moved data_meta or data into the store, or its
 *  bytes changed since xdpmeta last wrote them (bpf_xdp_adjust_head() or
 *  adjust_meta() moving the metadata over them and back);
 * -EBADMSG if the key is stored with another size (id reused meanwhile);
 * -EOPNOTSUPP on an AF_XDP zero-copy buffer (its headroom is user memory).
 * On any error the packet is unchanged.
 */
__bpf_kfunc int bpf_xdpmeta_set(struct xdp_md *ctx, u32 key, const void *val,
				u32 val__sz, u64 flags)
{
	struct xdp_buff *xdp = (struct xdp_buff *)ctx;
	int size;

	/*
	 * The verifier lets a maybe-NULL pointer through as a mem/size
	 * argument (a kfunc without KF_TRUSTED_ARGS: an unchecked map
	 * lookup, ringbuf reserve or dynptr slice), and a literal NULL with
	 * size 0: check it here, first.
	 */
	if (unlikely(!val))
		return -EINVAL;
	if (unlikely(flags & ~(u64)(XDPMETA_NOEXIST | XDPMETA_EXIST) ||
		     flags == (XDPMETA_NOEXIST | XDPMETA_EXIST)))
		return -EINVAL;
	size = xdpmeta_store_key_size(key);
	if (unlikely(size < 0))
		return size;
	if (unlikely(val__sz != size))
		return -EMSGSIZE;
	return __xdpmeta_store_set(xdp, key, val, size, flags);
}

/**
 * bpf_xdpmeta_get - read a key's value from the packet's store
 * @ctx: the XDP context
 * @key: a registered key id
 * @val: where to copy the value
 * @val__sz: size of @val: at least the key's registered size
 *
 * Return: the value's size (0 for a flag) on success;
 * -EINVAL if @val is NULL (see bpf_xdpmeta_set()) or @key >= 64;
 * -ENOKEY if @key is not registered;
 * -EMSGSIZE if @val__sz is smaller than the key's size;
 * -ENOENT if the key is absent, or the packet has no store;
 * -ESTALE if the program moved data_meta or data into the store;
 * -EBADMSG if the key is stored with another size (id reused meanwhile).
 * On error @val is untouched.
 */
__bpf_kfunc int bpf_xdpmeta_get(struct xdp_md *ctx, u32 key, void *val,
				u32 val__sz)
{
	struct xdp_buff *xdp = (struct xdp_buff *)ctx;
	void *store;
	int size, err;

	if (unlikely(!val))
		return -EINVAL;
	size = xdpmeta_store_key_size(key);
	if (unlikely(size < 0))
		return size;
	if (unlikely(val__sz < size))
		return -EMSGSIZE;
	err = xdpmeta_store_open(xdp, &store);
	if (unlikely(err < 0))
		return err;
	return xdpmeta_kv_get(store, key, val, size);
}

/**
 * bpf_xdpmeta_del - remove a key from the packet's store
 * @ctx: the XDP context
 * @key: a registered key id
 *
 * Return: 0 on success;
 * -EINVAL if @key >= 64;
 * -ENOKEY if @key is not registered;
 * -ENOENT if the key is absent, or the packet has no store;
 * -ESTALE if the program moved data_meta or data into the store;
 * -EBADMSG if the key is stored with another size (id reused meanwhile).
 */
__bpf_kfunc int bpf_xdpmeta_del(struct xdp_md *ctx, u32 key)
{
	struct xdp_buff *xdp = (struct xdp_buff *)ctx;
	void *store;
	int size = xdpmeta_store_key_open(xdp, key, &store);

	if (size < 0)
		return size;
	size = xdpmeta_kv_del(store, key, size);
	if (!size) {
		unsigned int len = xdpmeta_store_len(store);

		xdpmeta_store_resum(xdp, store, len);
		xdpmeta_seal_refresh(xdp, store, len);
	}
	return size;
}

/**
 * bpf_xdpmeta_is_set - whether a key is present in the packet's store
 * @ctx: the XDP context
 * @key: a registered key id
 *
 * Return: 1 if present, 0 if absent or the packet has no store;
 * -EINVAL if @key >= 64;
 * -ENOKEY if @key is not registered;
 * -ESTALE if the program moved data_meta or data into the store.
 */
__bpf_kfunc int bpf_xdpmeta_is_set(struct xdp_md *ctx, u32 key)
{
	struct xdp_buff *xdp = (struct xdp_buff *)ctx;
	void *store;
	int size = xdpmeta_store_key_open(xdp, key, &store);

	if (size < 0)
		return size == -ENOENT ? 0 : size;
	return xdpmeta_kv_code(store, key) != XDPMETA_KV_ABSENT;
}

__bpf_kfunc_end_defs();
