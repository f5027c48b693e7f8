// SPDX-License-Identifier: GPL-2.0
/*
 * hints.c - hardware RX hints into the store: imported from the receiving
 * driver, or set explicitly (seed: 2024 "xdp_rx_meta"; the Cloudflare
 * decap case restores the inner packet's hash and VLAN by hand).
 *
 * Upstream, a program reads hints through the bpf_xdp_metadata_rx_*()
 * kfuncs only if it was loaded bound to one device: the verifier then
 * calls that driver's xdp_metadata_ops, whose functions assume that the
 * xdp_buff is embedded in the driver's own wrapper (veth reads the skb
 * pointer stored right after it). Device binding guarantees that: bound
 * programs cannot be test-run, attached in generic mode or run in
 * devmap/cpumap. xdpmeta calls the same ops from an ordinary program, so
 * it must prove the same thing at run time before each call:
 *
 *  - the receiving device is one we hook (veth or virtio_net, whose ops we
 *    have read: see below), and
 *  - the rxq is one the driver registered for NAPI (napi_id != 0). Every
 *    other place that runs an XDP program builds its own rxq with napi_id
 *    0: generic XDP and BPF_PROG_TEST_RUN (netdev_rx_queue's rxq, or
 *    test_run's live-frames rxq), devmap and cpumap programs (an rxq on
 *    their stack).
 *
 * veth: veth_xdp_rcv_skb() and veth_xdp_rcv_one() both run the program on
 * a struct veth_xdp_buff (skb = NULL for frames that came by
 * XDP_REDIRECT: all hints -ENODATA). virtio_net: only xmo_rx_hash, which
 * reads the virtio header below xdp->data (within the headroom) and
 * returns -ENODATA unless NETIF_F_RXHASH is on.
 *
 * Values go to the reserved keys of bpf/xdpmeta.h through
 * __xdpmeta_store_set(), so they cross redirects and reach the skb like
 * any key (skb.c applies them).
 */
#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/if_vlan.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <uapi/linux/virtio_net.h>
#include <net/xdp.h>

#include "xdpmeta_int.h"

/* enum xdp_rss_hash_type: every bit defined by 6.12 */
#define XDPMETA_RSS_BITS	(XDP_RSS_L3_IPV4 | XDP_RSS_L3_IPV6 | XDP_RSS_L3_DYNHDR | \
				 XDP_RSS_L4 | XDP_RSS_L4_TCP | XDP_RSS_L4_UDP |	\
				 XDP_RSS_L4_SCTP | XDP_RSS_L4_IPSEC | XDP_RSS_L4_ICMP)

/*
 * What xdpmeta needs to know of @xd's driver's receive path, read once
 * at hook time (RTNL; the features read here are fixed at probe):
 *
 *  - hints_missing: the hints its xdp_metadata_ops declare but cannot
 *    deliver. virtio_net registers xmo_rx_hash whenever the device has
 *    RSS or hash reports, and virtnet_xdp_rx_hash() reads a struct
 *    virtio_net_hdr_v1_hash right below xdp->data; without
 *    VIRTIO_NET_F_HASH_REPORT the header is only 12 bytes long, and the
 *    "hash" it returns is the packet's first 4 bytes. (QEMU offers hash
 *    reports only with a backend that has a vnet header: tap, vhost.)
 *  - rx_headroom: where data starts in a fresh virtio_net RX buffer
 *    (data - data_hard_start), so that the hash is read only while data
 *    is still right above the header: XDP_PACKET_HEADROOM on the small-
 *    buffer path (hard_start is past the header there), plus the header
 *    length with mergeable buffers (hard_start is below it).
 *  - skb_head_is_hard_start (store.c's XDPMETA_SEAL_HEAD): veth builds
 *    its skbs around the XDP buffer (both paths), virtio_net's mergeable
 *    path too (build_skb_from_xdp_buff()); its small-buffer path builds
 *    the skb at the buffer's start, VIRTNET_RX_PAD + header length below
 *    data_hard_start.
 */
void xdpmeta_hints_dev_init(struct xdpmeta_dev *xd)
{
	struct net_device *dev = xd->dev;
	struct virtio_device *vdev;
	bool mrg;

	xd->hints_missing = 0;
	xd->rx_headroom = 0;
	xd->skb_head_is_hard_start = xd->drv == XDPMETA_DRV_VETH;
	if (xd->drv != XDPMETA_DRV_VIRTIO_NET || !dev->dev.parent)
		return;
	vdev = dev_to_virtio(dev->dev.parent);
	mrg = virtio_has_feature(vdev, VIRTIO_NET_F_MRG_RXBUF);
	xd->skb_head_is_hard_start = mrg;
	if (!virtio_has_feature(vdev, VIRTIO_NET_F_HASH_REPORT)) {
		xd->hints_missing = XDPMETA_HINT_HASH;
		return;
	}
	xd->hints_missing = XDPMETA_HINT_HDR;
	xd->rx_headroom = XDP_PACKET_HEADROOM +
			  (mrg ? sizeof(struct virtio_net_hdr_v1_hash) : 0);
}

/* Whether @dev (hooked, RTNL) can deliver a hash at all (features.c). */
bool xdpmeta_hints_hash_usable(const struct net_device *dev)
{
	const struct xdp_metadata_ops *mo = xdpmeta_compat_xmo(dev);

	if (!mo || !mo->xmo_rx_hash || !xdpmeta_hook_owns(dev))
		return false;
	return !(xdpmeta_hook_dev_of(dev)->hints_missing & XDPMETA_HINT_HASH);
}

/*
 * The driver's metadata ops if it is safe to call them on @xdp (see the
 * top of the file), else NULL; *@missing: hints not to ask it for.
 */
static __always_inline const struct xdp_metadata_ops *
xdpmeta_hints_ops(const struct xdp_buff *xdp, const struct xdpmeta_dev **xdp_dev)
{
	const struct xdp_rxq_info *rxq = xdp->rxq;
	const struct net_device_ops *ops;
	const struct net_device *dev;

	if (!rxq || !rxq->napi_id)
		return NULL;
	dev = rxq->dev;
	if (!dev)
		return NULL;
	/* one load: the record and the ownership test must agree */
	ops = READ_ONCE(dev->netdev_ops);
	if (ops->ndo_bpf != xdpmeta_ndo_bpf)
		return NULL;
	*xdp_dev = container_of(ops, struct xdpmeta_dev, ops);
	return xdpmeta_compat_xmo(dev);
}

static int xdpmeta_hints_store_hash(struct xdp_buff *xdp, u32 hash, u32 type)
{
	int err = __xdpmeta_store_set(xdp, XDPMETA_KEY_RX_HASH, &hash, 4, 0);

	return err ?: __xdpmeta_store_set(xdp, XDPMETA_KEY_RX_HASH_TYPE, &type, 4, 0);
}

static int xdpmeta_hints_store_vlan(struct xdp_buff *xdp, __be16 proto, u16 tci)
{
	struct xdpmeta_vlan v = { .tci = tci, .proto = proto };

	return __xdpmeta_store_set(xdp, XDPMETA_KEY_RX_VLAN, &v, sizeof(v), 0);
}

static int xdpmeta_hints_store_ts(struct xdp_buff *xdp, u64 ns)
{
	return __xdpmeta_store_set(xdp, XDPMETA_KEY_RX_TIMESTAMP, &ns, 8, 0);
}

/* The error to return when no hint was stored: the lowest one's. */
static __always_inline void xdpmeta_hints_err(int *first, int err)
{
	if (!*first)
		*first = err;
}

__bpf_kfunc_start_defs();

/**
 * bpf_xdpmeta_import_hints - store the driver's RX hints for this packet
 * @ctx: the XDP context
 * @mask: XDPMETA_HINT_HASH, XDPMETA_HINT_VLAN, XDPMETA_HINT_TIMESTAMP
 *
 * Reads each asked-for hint through the receiving driver's
 * xdp_metadata_ops (no device-bound program needed) into the reserved
 * keys: rx_hash + rx_hash_type, rx_vlan, rx_timestamp. Only in the
 * driver's own receive path of a device xdpmeta hooks (see hints.c).
 *
 * Return: the mask of hints stored (> 0) if any was; otherwise the error
 * of the lowest hint asked for:
 * -EINVAL if @mask is 0 or has unknown bits;
 * -EOPNOTSUPP if the driver has no op for that hint (or one that cannot
 *  work: virtio_net's hash without hash reports), or the program does
 *  not run in a hooked driver's receive path (generic XDP,
 *  BPF_PROG_TEST_RUN, devmap or cpumap programs, unhooked devices);
 * -EBUSY (virtio_net's hash) if the packet already has metadata (a store's
 *  seal, or the program's own) or its data moved (bpf_xdp_adjust_head()):
 *  the driver reads the hash from its header right below data, which is
 *  then overwritten or elsewhere. Import first;
 * -ENODATA (or the driver's own error) if the driver has no value for
 *  this packet (veth: frames that came by XDP_REDIRECT, and a timestamp
 *  of 0, the kernel's "none"; virtio_net: NETIF_F_RXHASH off).
 * Store errors are returned as soon as they happen, hints stored before
 * stay: -ENOSPC (no room in the headroom), -ESTALE (store clobbered).
 */
__bpf_kfunc int bpf_xdpmeta_import_hints(struct xdp_md *ctx, u32 mask)
{
	struct xdp_buff *xdp = (struct xdp_buff *)ctx;
	const struct xdpmeta_dev *xd = NULL;
	const struct xdp_metadata_ops *mo;
	u32 done = 0, missing = 0;
	int first = 0, err;

	if (unlikely(!mask || mask & ~XDPMETA_HINT_ALL))
		return -EINVAL;
	mo = xdpmeta_hints_ops(xdp, &xd);
	if (mo)
		missing = READ_ONCE(xd->hints_missing);
	if (mask & XDPMETA_HINT_HASH) {
		enum xdp_rss_hash_type type;
		u32 hash;

		if (!mo || !mo->xmo_rx_hash || (missing & XDPMETA_HINT_HASH)) {
			xdpmeta_hints_err(&first, -EOPNOTSUPP);
		} else if ((missing & XDPMETA_HINT_HDR) &&
			   (xdp->data_meta < xdp->data ||
			    xdp->data - xdp->data_hard_start != xd->rx_headroom)) {
			/*
			 * the metadata (our seal too) overwrote the header, or
			 * data moved (bpf_xdp_adjust_head()): the bytes below
			 * data are no longer the header but packet bytes
			 */
			xdpmeta_hints_err(&first, -EBUSY);
		} else if ((err = mo->xmo_rx_hash(ctx, &hash, &type))) {
			xdpmeta_hints_err(&first, err);
		} else {
			err = xdpmeta_hints_store_hash(xdp, hash, type);
			if (err)
				return err;
			done |= XDPMETA_HINT_HASH;
		}
	}
	if (mask & XDPMETA_HINT_VLAN) {
		__be16 proto;
		u16 tci;

		if (!mo || !xdpmeta_compat_xmo_vlan(mo)) {
			xdpmeta_hints_err(&first, -EOPNOTSUPP);
		} else if ((err = xdpmeta_compat_xmo_vlan(mo)(ctx, &proto, &tci))) {
			xdpmeta_hints_err(&first, err);
		} else {
			err = xdpmeta_hints_store_vlan(xdp, proto, tci);
			if (err)
				return err;
			done |= XDPMETA_HINT_VLAN;
		}
	}
	if (mask & XDPMETA_HINT_TIMESTAMP) {
		u64 ns;

		if (!mo || !mo->xmo_rx_timestamp) {
			xdpmeta_hints_err(&first, -EOPNOTSUPP);
		} else if ((err = mo->xmo_rx_timestamp(ctx, &ns))) {
			xdpmeta_hints_err(&first, err);
		} else if (!ns) {	/* veth: an skb never timestamped */
			xdpmeta_hints_err(&first, -ENODATA);
		} else {
			err = xdpmeta_hints_store_ts(xdp, ns);
			if (err)
				return err;
			done |= XDPMETA_HINT_TIMESTAMP;
		}
	}
	return done ?: first;
}

/**
 * bpf_xdpmeta_hint_set_hash - set the packet's RX hash hint
 * @ctx: the XDP context
 * @hash: the hash (skb->hash once the packet is an skb)
 * @type: enum xdp_rss_hash_type; XDP_RSS_L4 makes it an L4 hash
 *
 * Return: 0 on success;
 * -EINVAL if @type has bits that enum xdp_rss_hash_type does not define;
 * -ENOSPC if the store has no room; -ESTALE if the store was clobbered.
 */
__bpf_kfunc int bpf_xdpmeta_hint_set_hash(struct xdp_md *ctx, u32 hash, u32 type)
{
	if (unlikely(type & ~(u32)XDPMETA_RSS_BITS))
		return -EINVAL;
	return xdpmeta_hints_store_hash((struct xdp_buff *)ctx, hash, type);
}

/**
 * bpf_xdpmeta_hint_set_vlan - set the packet's RX VLAN hint
 * @ctx: the XDP context
 * @proto: htons(ETH_P_8021Q) or htons(ETH_P_8021AD)
 * @tci: the tag control information, host order
 *
 * Return: 0 on success;
 * -EINVAL if @proto is neither 802.1Q nor 802.1ad;
 * -ENOSPC if the store has no room; -ESTALE if the store was clobbered.
 */
__bpf_kfunc int bpf_xdpmeta_hint_set_vlan(struct xdp_md *ctx, __be16 proto, u16 tci)
{
	if (unlikely(proto != htons(ETH_P_8021Q) && proto != htons(ETH_P_8021AD)))
		return -EINVAL;
	return xdpmeta_hints_store_vlan((struct xdp_buff *)ctx, proto, tci);
}

/**
 * bpf_xdpmeta_hint_set_timestamp - set the packet's RX hardware timestamp
 * @ctx: the XDP context
 * @ns: nanoseconds (skb_hwtstamps(skb)->hwtstamp once an skb)
 *
 * Return: 0 on success;
 * -EINVAL if @ns is 0 (the kernel's "no timestamp");
 * -ENOSPC if the store has no room; -ESTALE if the store was clobbered.
 */
__bpf_kfunc int bpf_xdpmeta_hint_set_timestamp(struct xdp_md *ctx, u64 ns)
{
	if (unlikely(!ns))
		return -EINVAL;
	return xdpmeta_hints_store_ts((struct xdp_buff *)ctx, ns);
}

__bpf_kfunc_end_defs();
