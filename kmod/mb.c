// SPDX-License-Identifier: GPL-2.0
/*
 * mb.c - multi-buffer compatibility: the global mode, the per-device
 * redirect policy, and linearizing a multi-buffer xdp_frame.
 *
 * The problem (seed: 2021 multi-buffer backwards compatibility): the stock
 * kernel lets a multi-buffer frame be redirected into a veth whose peer
 * runs a program that is not frags-aware; that program then sees only the
 * linear part, silently. xdpmeta offers, from a module:
 *
 *  - mb_mode=strict: hooked devices refuse to attach a program that is not
 *    frags-aware (hook.c's ndo_bpf wrapper, with an extack message);
 *    switching to strict fails with -EBUSY while such programs are
 *    attached, and the kernel log lists each of them.
 *  - mb_mode=compat (default): frames sent into a veth whose peer runs a
 *    non-frags program get the device's policy (mb_policy):
 *	linearize (default): copied into one fresh page, metadata store and
 *		data_meta kept, the original released;
 *	drop: counted, never silent;
 *	pass: stock behaviour (counted).
 *  - mb_mode=off: stock behaviour everywhere.
 *
 * Known holes, not covered by the shim: XDP_TX from a frags program on one
 * veth reaches a plain program on its peer without ndo_xdp_xmit; frames
 * already queued in the peer's ring when its program changes were judged
 * when they were enqueued; generic (skb) XDP is not involved at all.
 *
 * Locking: xdpmeta_mb_mode is written under RTNL (so a switch to strict
 * and an attach cannot race) and read with READ_ONCE on the data path.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/moduleparam.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/gfp.h>
#include <linux/slab.h>
#include <linux/rcupdate.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <net/xdp.h>

#include "xdpmeta_int.h"
#include "kv.h"
#include "frags.h"

int xdpmeta_mb_mode = XDPMETA_MB_COMPAT;		/* RTNL; READ_ONCE */
int xdpmeta_mb_default_policy = XDPMETA_MB_LINEARIZE;	/* RTNL */

/* The words are parse.c's, which the CLI builds too. */
const char *xdpmeta_mb_policy_name(int policy)
{
	return policy >= 0 && policy < __XDPMETA_MB_NPOLICIES ?
	       xdpmeta_mb_policy_names[policy] : "?";
}

static int xdpmeta_mb_mode_set(const char *val, const struct kernel_param *kp)
{
	int mode = xdpmeta_parse_param(xdpmeta_mb_mode_names, val);
	int err = 0;

	if (mode < 0)
		return mode;
	rtnl_lock();
	/* every non-frags program on a hooked device blocks strict */
	if (mode == XDPMETA_MB_STRICT && __xdpmeta_hook_strict_blockers(true)) {
		pr_warn("mb_mode stays %s: detach the programs above, or load them with SEC(\"xdp.frags\") (BPF_F_XDP_HAS_FRAGS)\n",
			xdpmeta_mb_mode_names[xdpmeta_mb_mode]);
		err = -EBUSY;
	} else {
		WRITE_ONCE(xdpmeta_mb_mode, mode);
	}
	rtnl_unlock();
	return err;
}

static int xdpmeta_mb_mode_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n",
			  xdpmeta_mb_mode_names[READ_ONCE(xdpmeta_mb_mode)]);
}

static const struct kernel_param_ops xdpmeta_mb_mode_ops = {
	.set = xdpmeta_mb_mode_set,
	.get = xdpmeta_mb_mode_get,
};
module_param_cb(mb_mode, &xdpmeta_mb_mode_ops, NULL, 0644);
MODULE_PARM_DESC(mb_mode, "multi-buffer mode: strict, compat (default) or off");

static int xdpmeta_mb_policy_set(const char *val, const struct kernel_param *kp)
{
	int policy = xdpmeta_parse_param(xdpmeta_mb_policy_names, val);

	if (policy < 0)
		return policy;
	rtnl_lock();
	WRITE_ONCE(xdpmeta_mb_default_policy, policy);
	rtnl_unlock();
	return 0;
}

static int xdpmeta_mb_policy_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", xdpmeta_mb_policy_name(
				  READ_ONCE(xdpmeta_mb_default_policy)));
}

static const struct kernel_param_ops xdpmeta_mb_policy_ops = {
	.set = xdpmeta_mb_policy_set,
	.get = xdpmeta_mb_policy_get,
};
module_param_cb(mb_policy, &xdpmeta_mb_policy_ops, NULL, 0644);
MODULE_PARM_DESC(mb_policy,
		 "policy of veth devices hooked from now on for multi-buffer frames redirected to a non-frags peer: linearize (default), drop or pass");

/* debugfs "mb": the mode, the default policy, how many programs block strict. */
int xdpmeta_mb_show(struct seq_file *m, void *v)
{
	int blockers;

	rtnl_lock();
	blockers = __xdpmeta_hook_strict_blockers(false);
	seq_printf(m, "mode %s\ndefault_policy %s\nstrict_blockers %d\n",
		   xdpmeta_mb_mode_names[xdpmeta_mb_mode],
		   xdpmeta_mb_policy_name(xdpmeta_mb_default_policy), blockers);
	rtnl_unlock();
	return 0;
}

/*
 * Copy a multi-buffer frame into one fresh order-0 page:
 *
 *   | struct xdp_frame | headroom (store ... data_meta) | linear + frags | shinfo |
 *
 * The headroom is copied whole when it fits, so the metadata store stays at
 * data_hard_start + sizeof(struct xdp_frame) and data_meta stays in front
 * of data. Near the page limit the headroom shrinks, but never below the
 * store plus data_meta. mem.type MEM_TYPE_PAGE_ORDER0 (id 0, which is what
 * a registered order-0 model looks like) makes xdp_return_frame() and the
 * skb built from it put_page() the page. Runs in softirq context: the only
 * allocation on the data path, GFP_ATOMIC.
 *
 * Return: the new frame, or NULL (no memory, or the frame cannot fit one
 * page with its store and metadata). @f is left untouched either way.
 */
struct xdp_frame *xdpmeta_mb_linearize(const struct xdp_frame *f)
{
	const struct skb_shared_info *sinfo = xdpmeta_compat_frame_sinfo(f);
	const unsigned int tail = SKB_DATA_ALIGN(sizeof(struct skb_shared_info));
	const unsigned int len = f->len + sinfo->xdp_frags_size;
	const void *old_store = f->data - f->headroom;
	unsigned int head = f->headroom, store_len = 0, max_head, off, i;
	u32 flags = f->flags & ~(XDP_FLAGS_HAS_FRAGS | XDP_FLAGS_FRAGS_PF_MEMALLOC);
	struct xdp_frame *nf;
	struct page *page;
	void *base, *data;

	if (sizeof(*nf) + len + tail > PAGE_SIZE)
		return NULL;
	max_head = PAGE_SIZE - sizeof(*nf) - len - tail;
	if (xdpmeta_buff_marked(f->flags, f)) {	/* the frame is at data_hard_start */
		/* only an intact store is worth carrying */
		unsigned int room = f->headroom - (f->metasize & 0xff);

		store_len = xdpmeta_store_check(old_store, room, f->flags);
	}
	if (!store_len)
		flags &= ~XDPMETA_BUFF_BITS;
	if (head > max_head) {
		head = max_head;
		if (head < store_len + (f->metasize & 0xff))
			return NULL;
	}

	page = dev_alloc_page();
	if (!page)
		return NULL;
	nf = page_address(page);
	base = nf + 1;
	if (head == f->headroom) {
		memcpy(base, old_store, head);
	} else {
		memcpy(base, old_store, store_len);
		memcpy(base + store_len, f->data - (head - store_len),
		       head - store_len);
	}
	data = base + head;
	memcpy(data, f->data, f->len);
	off = f->len;
	/*
	 * Every 6.12 producer keeps xdp_frags_size equal to the sum of the
	 * frag sizes; bound the copy by it anyway, so the page bound checked
	 * above holds whatever the frags say.
	 */
	for (i = 0; i < sinfo->nr_frags && off < len; i++) {
		const skb_frag_t *frag = &sinfo->frags[i];
		unsigned int n = min(skb_frag_size(frag), len - off);

		memcpy(data + off, skb_frag_address(frag), n);
		off += n;
	}
	if (head != f->headroom && (flags & XDPMETA_BUFF_FLAG))
		xdpmeta_seal_moved(data, base);	/* data is nearer the store */

	memset(nf, 0, sizeof(*nf));
	nf->data = data;
	nf->len = off;
	nf->headroom = head;
	nf->metasize = f->metasize;
	nf->mem.type = MEM_TYPE_PAGE_ORDER0;
	nf->mem.id = 0;
	nf->dev_rx = f->dev_rx;
	nf->frame_sz = PAGE_SIZE;
	/* the copy is another buffer: its mark gets its tag */
	nf->flags = store_len ? (flags & ~XDPMETA_BUFF_TAG_MASK) | xdpmeta_buff_tag(nf) : flags;
	return nf;
}

/*
 * The compat shim for frames sent into @xd's device (a veth whose peer
 * runs a non-frags program): the ndo_xdp_xmit wrapper calls this instead
 * of the driver. Frames to hand over are moved to the front of @frames in
 * their order, the rest (dropped by policy) stay behind them; a linearized
 * frame takes its original's place, and the original is released only once
 * the driver has taken the copy. For frames the driver did not take, the
 * original goes back into the array and the copy is released, so the
 * caller frees exactly what it gave us (callers such as bond_xdp_xmit()
 * do not look at the array again). At most XDPMETA_MB_BULK frames of one
 * call are linearized (devmap flushes at most 16); multi-buffer frames
 * beyond that are dropped, counted. Softirq context, no locks.
 *
 * Return: the driver's return value for the frames handed over.
 */
#define XDPMETA_MB_BULK 16
int xdpmeta_mb_xmit(struct xdpmeta_dev *xd, struct net_device *dev, int n,
		    struct xdp_frame **frames, u32 flags)
{
	struct xdp_frame *lin_orig[XDPMETA_MB_BULK];
	int lin_pos[XDPMETA_MB_BULK];
	int policy = READ_ONCE(xd->mb_policy), i, j, m = 0, nlin = 0, sent;

	for (i = 0; i < n; i++) {
		struct xdp_frame *f = frames[i], *nf = NULL;

		if (likely(!xdp_frame_has_frags(f))) {
			/* single buffer: nothing to do */
		} else if (policy == XDPMETA_MB_PASS) {
			this_cpu_inc(xd->pcpu->mb_passed);
		} else if (policy == XDPMETA_MB_LINEARIZE && nlin < XDPMETA_MB_BULK &&
			   (nf = xdpmeta_mb_linearize(f)) != NULL) {
			this_cpu_inc(xd->pcpu->mb_linearized);
		} else {
			this_cpu_inc(xd->pcpu->mb_dropped);
			continue;	/* stays behind the kept ones */
		}
		swap(frames[m], frames[i]);
		if (nf) {
			lin_orig[nlin] = f;
			lin_pos[nlin++] = m;
			frames[m] = nf;
		}
		m++;
	}

	sent = xd->orig->ndo_xdp_xmit(dev, m, frames, flags);

	for (j = 0; j < nlin; j++) {
		if (sent > lin_pos[j]) {
			xdp_return_frame(lin_orig[j]);		/* the copy went */
		} else {
			xdp_return_frame(frames[lin_pos[j]]);	/* the copy stayed */
			frames[lin_pos[j]] = lin_orig[j];
		}
	}
	return sent;
}

/*
 * Frag pages a pull emptied. They are not released inside the kfunc: the
 * program may still hold bpf_dynptr_slice() pointers into them, which the
 * verifier does not invalidate after a module kfunc (only after helpers
 * that change packet data), and may write through them until it returns.
 * Every XDP program runs inside an RCU read-side critical section (NAPI
 * and generic XDP with BH disabled, BPF_PROG_TEST_RUN under
 * rcu_read_lock()), so the pages are released after a grace period, from
 * an RCU callback (softirq: page_pool's non-direct put is safe there).
 * Module exit's rcu_barrier() (hook.c) waits for the last callback.
 */
struct xdpmeta_mb_deferred {
	struct rcu_head rcu;
	unsigned int n;
	bool page_refs;		/* xdpmeta_mb_frags_page_refs() */
	struct page *pages[];
};

static void xdpmeta_mb_deferred_free(struct rcu_head *rcu)
{
	struct xdpmeta_mb_deferred *d = container_of(rcu, struct xdpmeta_mb_deferred, rcu);
	unsigned int i;

	for (i = 0; i < d->n; i++) {
		if (d->page_refs)
			put_page(d->pages[i]);
		else
			xdpmeta_compat_frag_page_put(d->pages[i]);
	}
	kfree(d);
	xdpmeta_obj_dec(XDPMETA_OBJ_PULL_RCU);
}

/*
 * Whether @xdp holds its frags as plain page references (released with
 * put_page()) rather than as what each page is (a page_pool page as a
 * pool reference: xdpmeta_compat_frag_page_put()). A pull must release a
 * frag the way its holder would have:
 *  - a buffer made from an xdp_frame, as xdp_return_frame() would: by
 *    the frame's memory model, read from the frame header at
 *    data_hard_start (where xdp_convert_frame_to_buff() leaves it, and
 *    which no program can reach). That is every unregistered rxq (devmap
 *    and cpumap programs: their rxq is made up on the stack) and veth's
 *    frame path (frames sent into a veth: the frags hold the get_page()
 *    references veth_xdp_get() took on the sender's page_pool pages);
 *  - veth's skb path, as the skb would: skb->pp_recycle;
 *  - anything else (drivers' own buffers, generic XDP's page_pool copies,
 *    test runs), by what the page is.
 * Releasing veth frame-path frags to their page_pool returned each page
 * to the sender's pool a second time (t_pull's
 * veth_redirected_frames_pull_then_teardown: page_pool_destroy() WARNed).
 */
static int xdpmeta_mb_frags_page_refs(const struct xdp_buff *xdp)
{
	const struct xdp_rxq_info *rxq = xdp->rxq;
	struct net_device *dev = READ_ONCE(rxq->dev);
	u32 state = READ_ONCE(rxq->reg_state);
	const struct xdp_frame *f;
	const struct sk_buff *skb;

	if (state == XDPMETA_RXQ_NEW)	/* devmap/cpumap: made up from a frame */
		goto frame;
	/*
	 * Unregistered (veth's XDP detach unregisters its rxq while a NAPI
	 * poll on another CPU may still run the old program, and clears dev
	 * after reg_state): whose buffer this is cannot be told.
	 */
	if (state != XDPMETA_RXQ_REGISTERED || !dev)
		return -1;
	/*
	 * veth's own NAPI rxq: a veth by its link kind (hooked or not), and a
	 * NAPI id (test runs and generic XDP use the core's rxqs, registered
	 * without one; compat.h pins the kernels where that holds)
	 */
	if (!rxq->napi_id || xdpmeta_driver_of(dev) != XDPMETA_DRV_VETH ||
	    !xdpmeta_compat_veth_skb(xdp, &skb))
		return 0;
	if (skb)
		return !skb->pp_recycle;
frame:
	/*
	 * A NEW rxq is also what a driver's own rxq is for a moment while it
	 * registers it again (veth's re-attach, under a poll that may still
	 * run): trust the header only if it is the frame this buffer was
	 * made from, as xdp_convert_frame_to_buff() leaves it.
	 */
	f = xdp->data_hard_start;
	if (f->data - f->headroom - sizeof(*f) != (void *)f || f->frame_sz != xdp->frame_sz)
		return -1;
	return f->mem.type != MEM_TYPE_PAGE_POOL;
}

/*
 * Where the store ends (or would start) in @xdp's headroom; NULL if the
 * packet has a store that is not intact: its extent is unknown then, and
 * a pull must not move bytes toward it.
 */
static void *xdpmeta_mb_store_end(struct xdp_buff *xdp, void *front)
{
	void *store = xdp->data_hard_start + sizeof(struct xdp_frame);
	unsigned int len;

	if (!xdpmeta_buff_marked(xdp->flags, xdp->data_hard_start))
		return store;
	len = xdpmeta_store_check(store, front - store, xdp->flags);
	return len ? store + len : NULL;
}

__bpf_kfunc_start_defs();

/**
 * bpf_xdpmeta_pull - make the first bytes of a multi-buffer frame linear
 * @ctx: the XDP context
 * @len: how many bytes from data must be linear (ignored with
 *       XDPMETA_PULL_ALL)
 * @flags: XDPMETA_PULL_ALL: the whole frame; XDPMETA_PULL_HEADROOM: when
 *         the linear buffer's tailroom is short, move data_meta and data
 *         toward the head (never into the metadata store)
 *
 * Like bpf_skb_pull_data(), for XDP: bytes move from the frags to the end
 * of the linear part. The frags are then left as bpf_xdp_adjust_tail()
 * would leave them, the only release drivers expect: when a frag is
 * emptied, the remaining frag bytes move forward within the frags' own
 * spans and the trailing frags left empty are released according to what
 * their page really is (page_pool or not; frags.h); when no frag is left
 * the frame becomes a single-buffer frame (XDP_FLAGS_HAS_FRAGS cleared)
 * and can go where multi-buffer frames are not accepted.
 *
 * Packet pointers: the verifier of 6.1/6.12 does not invalidate packet
 * pointers after a module kfunc, so this kfunc only ever grows the linear
 * area: pointers derived before the call still point into the buffer. With
 * XDPMETA_PULL_HEADROOM the bytes may move, though: re-derive data, data_end
 * and data_meta from @ctx after the call (xdpmeta_pull() in bpf/xdpmeta.h).
 * bpf_dynptr_slice() pointers into the frags stay valid until the program
 * returns (a released page goes after an RCU grace period, see struct
 * xdpmeta_mb_deferred), but after a pull they no longer show the bytes
 * they showed: re-take them.
 *
 * Return: the linear length (data_end - data) afterwards, at least @len or
 * the whole frame; a single-buffer frame, or one whose linear part is
 * already long enough, is left untouched;
 * -EINVAL if @flags has unknown bits or @len exceeds the frame (or the
 *  frame claims more than MAX_SKB_FRAGS frags);
 * -ENOSPC if the buffer has not enough room (the frame is unchanged);
 * -ESTALE if the room would come from the headroom but the packet's store
 *  is damaged (see bpf_xdpmeta_get()): where it ends is unknown, so
 *  nothing moves (the frame is unchanged);
 * -ENOMEM if the record of pages to release later cannot be allocated
 *  (the frame is unchanged);
 * -EBUSY if frags would be released while the receive queue is being
 *  unregistered or registered again (the driver is detaching or
 *  re-attaching XDP: how the frags are held cannot be told then; the
 *  frame is unchanged);
 * -EOPNOTSUPP on an AF_XDP zero-copy buffer (its frags are umem pages the
 * xsk pool tracks; only the pool may release them).
 */
__bpf_kfunc int bpf_xdpmeta_pull(struct xdp_md *ctx, u32 len, u64 flags)
{
	struct xdp_buff *xdp = (struct xdp_buff *)ctx;
	u32 linear = xdp->data_end - xdp->data, total = linear, target, need;
	struct xdpmeta_frag_span span[MAX_SKB_FRAGS];	/* 17 x 16 bytes */
	struct xdpmeta_mb_deferred *d = NULL;
	struct skb_shared_info *sinfo = NULL;
	u32 copied = 0, released, kept, i;
	long tailroom, shift = 0;
	void *front = NULL;

	if (flags & ~(u64)(XDPMETA_PULL_ALL | XDPMETA_PULL_HEADROOM))
		return -EINVAL;
	if (xdp_buff_has_frags(xdp)) {
		if (xdp->rxq->mem.type == MEM_TYPE_XSK_BUFF_POOL)
			return -EOPNOTSUPP;
		sinfo = xdp_get_shared_info_from_buff(xdp);
		total += sinfo->xdp_frags_size;
	}
	target = flags & XDPMETA_PULL_ALL ? total : len;
	if (target > total)
		return -EINVAL;
	if (target <= linear)
		return linear;

	need = target - linear;
	tailroom = (long)(xdp_data_hard_end(xdp) - xdp->data_end);
	if (need > tailroom) {
		bool meta = xdp->data_meta <= xdp->data;

		void *store_end;

		front = meta ? xdp->data_meta : xdp->data;
		shift = need - tailroom;
		if (!(flags & XDPMETA_PULL_HEADROOM))
			return -ENOSPC;
		store_end = xdpmeta_mb_store_end(xdp, front);
		if (!store_end)
			return -ESTALE;
		if (front - store_end < shift)
			return -ENOSPC;
	}

	/*
	 * The frags this pull empties: the trailing ones (frags.h), counted
	 * before anything changes, so that a failure leaves the frame as it
	 * was. sinfo->nr_frags is at most MAX_SKB_FRAGS for every producer.
	 */
	if (unlikely(sinfo->nr_frags > MAX_SKB_FRAGS))
		return -EINVAL;
	for (i = 0; i < sinfo->nr_frags; i++) {
		span[i].addr = skb_frag_address(&sinfo->frags[i]);
		span[i].size = skb_frag_size(&sinfo->frags[i]);
	}
	kept = xdpmeta_frags_kept(span, sinfo->nr_frags, need);
	released = sinfo->nr_frags - kept;
	if (released) {
		int refs = xdpmeta_mb_frags_page_refs(xdp);

		if (refs < 0)
			return -EBUSY;
		d = kmalloc(struct_size(d, pages, released), GFP_ATOMIC);
		if (!d)
			return -ENOMEM;
		d->n = 0;
		d->page_refs = refs;
	}

	if (shift) {
		bool meta = xdp->data_meta <= xdp->data;

		memmove(front - shift, front, xdp->data_end - front);
		xdp->data -= shift;
		xdp->data_end -= shift;
		if (meta)
			xdp->data_meta -= shift;
		if (meta && xdpmeta_buff_marked(xdp->flags, xdp->data_hard_start))
			xdpmeta_seal_moved(xdp->data, xdp->data_hard_start +
					   sizeof(struct xdp_frame));
	}

	/* the bytes into the linear part, then the frags give them up */
	for (i = 0; i < sinfo->nr_frags && copied < need; i++) {
		u32 n = min(span[i].size, need - copied);

		memcpy(xdp->data_end + copied, span[i].addr, n);
		copied += n;
	}
	xdpmeta_frags_consume(span, sinfo->nr_frags, need);
	for (i = 0; i < kept; i++) {
		skb_frag_t *frag = &sinfo->frags[i];

		skb_frag_off_add(frag, span[i].addr - (unsigned char *)skb_frag_address(frag));
		skb_frag_size_set(frag, span[i].size);
	}
	if (released) {
		for (i = kept; i < sinfo->nr_frags; i++)
			d->pages[d->n++] = skb_frag_page(&sinfo->frags[i]);
		sinfo->nr_frags = kept;
		xdpmeta_obj_inc(XDPMETA_OBJ_PULL_RCU);
		call_rcu(&d->rcu, xdpmeta_mb_deferred_free);
	}
	sinfo->xdp_frags_size -= copied;
	xdp->data_end += copied;
	if (!sinfo->nr_frags) {
		xdp_buff_clear_frags_flag(xdp);
		xdp_buff_clear_frag_pfmemalloc(xdp);
	}
	return xdp->data_end - xdp->data;
}

__bpf_kfunc_end_defs();
