// SPDX-License-Identifier: GPL-2.0
/*
 * skb.c - the store once the packet is an skb: hints applied to the skb,
 * and the TC kfuncs.
 *
 * Finding the store
 * -----------------
 * When an XDP packet with a store becomes an skb (XDP_PASS on veth or
 * virtio_net, a frame redirected into a veth or a cpumap), the drivers
 * hand its metadata to the skb (skb_metadata_len(), ending at the MAC
 * header) and the store's bytes stay in the headroom. The metadata is per
 * packet (the drivers reset it for each one); the headroom is not
 * (page_pool recycles buffers with an earlier packet's store in them, and
 * virtio_net's small buffers have never-written padding where a store
 * would be). So only the seal that store.c keeps at the end of the
 * metadata says a store belongs to this skb, and its check, a keyed PRF
 * (SipHash) of the whole store as xdpmeta last wrote it, says which bytes
 * it is: a candidate is accepted only if it is that store byte for byte
 * (and valid for the bytes up to the metadata, so a store the program's
 * metadata grew into is rejected, like -ESTALE in XDP). The candidates:
 *  1. mac_header - seal.off, where it was when sealed;
 *  2. the same 4 bytes lower if the skb carries a VLAN tag: the core's
 *     skb_vlan_untag() (before tc and netfilter ingress) moves the MAC
 *     header and the metadata up by VLAN_HLEN for an in-band tag, not the
 *     store (every tagged frame on virtio_net, which does not strip);
 *  3. skb->head + sizeof(struct xdp_frame), only if the seal says the
 *     head is the XDP buffer's data_hard_start (XDPMETA_SEAL_HEAD: veth,
 *     virtio_net mergeable buffers, and every frame built after a
 *     redirect): what lets a store survive bpf_xdp_adjust_head() after
 *     the program's last store change (e.g. a decap).
 * A seal with no acceptable candidate is counted (skb_bad_seal) and
 * ignored. pskb_expand_head() clears the metadata, so a reallocated head
 * is never searched. What this cannot prove: bytes equal to the store
 * xdpmeta wrote are taken as it (they are its value); a 32-bit check can
 * be matched by chance, 2^-32 per seal. Nobody outside the kernel sees
 * the key; checks are not secret (the seal sits in the metadata, which
 * programs read and AF_XDP copy mode hands to user space), but a keyed
 * PRF's outputs do not tell its key or the check of other bytes
 * (README, Security).
 *
 * Applying hints
 * --------------
 * A netfilter ingress hook per hooked device (NFPROTO_NETDEV,
 * NF_NETDEV_INGRESS), registered in the device's netns when the device is
 * hooked and unregistered on NETDEV_UNREGISTER (also sent before a netns
 * move; the hook points at the device without holding a reference, so it
 * must go before the device does). It sets skb->hash
 * (L4 if the hash type says XDP_RSS_L4), the VLAN hw-accel tag and
 * skb_hwtstamps() from the reserved keys, and consumes the seal: clears
 * its magic, or, on a cloned skb (a packet tap holds a clone; head and
 * shared info are shared), unclones it, which drops the metadata. So the
 * bytes cannot be taken for a later packet's, and a forwarded skb (skb
 * metadata survives forwarding) does not get the hints again at the next
 * hooked device. An skb without metadata costs one load and compare.
 * Why this hook: it is the first place on stock kernels where a module
 * sees every skb of one device after the driver built it; rx_handler is
 * exclusive (bridge, bond, macvlan own it), a ptype_all tap must not
 * modify a shared skb, and the kernel never looks at XDP metadata itself.
 * Limits, documented in README: it runs after tc ingress (TC programs read
 * the store with the kfuncs below, not skb->hash) and after GRO, which
 * merges packets whose metadata bytes are equal: the seal is the same for
 * a flow whose packets carry the same keys and values (it covers the
 * values), so such flows still merge and the merged skb carries the first
 * segment's store (and hints); per-packet values (a timestamp, a
 * sequence number) stop the merging, like per-packet data_meta does.
 *
 * Locking: the hook runs under RCU from the receive path (softirq or
 * BH-disabled); it reads only the skb and bumps per-CPU counters.
 * Registration and unregistration are under RTNL (nf_register_net_hook
 * takes its own mutex and frees the old hook table after a grace period;
 * module exit's rcu_barrier() comes after all unregistrations).
 */
#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/err.h>
#include <linux/if_vlan.h>
#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <net/xdp.h>

#include "xdpmeta_int.h"
#include "kv.h"

#define XDPMETA_NF_PRIORITY	(-500)	/* before nftables' netdev chains */

/*
 * The store of @skb, with the bytes it may use in *@room: NULL if the skb
 * has no seal, ERR_PTR(-ESTALE) if it has one but no acceptable store.
 */
static const void *xdpmeta_skb_store(const struct sk_buff *skb, unsigned int *room)
{
	unsigned int metalen = skb_metadata_len(skb), len;
	const u8 *end, *meta, *c;
	struct xdpmeta_seal seal;
	int i;

	if (likely(metalen < XDPMETA_SEAL_LEN) || !skb_mac_header_was_set(skb))
		return NULL;
	end = skb_mac_header(skb);
	if (end - skb->head < metalen)
		return NULL;
	meta = end - metalen;
	memcpy(&seal, end - XDPMETA_SEAL_LEN, sizeof(seal));
	if (seal.magic != XDPMETA_SEAL_MAGIC)
		return NULL;
	/* candidates as offsets from head: no pointer ever below it */
	for (i = 0; i < 3; i++) {
		long coff, mac = end - skb->head;

		if (i == 0)
			coff = mac - (seal.off & XDPMETA_SEAL_OFF_MAX);
		else if (i == 1 && skb_vlan_tag_present(skb))
			coff = mac - (seal.off & XDPMETA_SEAL_OFF_MAX) - VLAN_HLEN;
		else if (i == 2 && (seal.off & XDPMETA_SEAL_HEAD))
			coff = sizeof(struct xdp_frame);
		else
			continue;
		if (coff < 0 || (meta - skb->head) - coff < XDPMETA_KV_HDR_LEN)
			continue;
		c = skb->head + coff;
		if (!xdpmeta_kv_valid(c, meta - c))
			continue;
		len = xdpmeta_kv_len(c);
		if (xdpmeta_seal_check(c, len) != seal.check)
			continue;
		*room = meta - c;
		return c;
	}
	return ERR_PTR(-ESTALE);
}

/* The hint keys of a store, read before the skb may be uncloned. */
struct xdpmeta_skb_hints {
	u32 hash, type;
	struct xdpmeta_vlan vlan;
	u64 ns;
	bool has_hash, has_vlan, has_ts;
};

static bool xdpmeta_skb_hints_read(const void *store, struct xdpmeta_skb_hints *h)
{
	h->has_hash = xdpmeta_kv_get(store, XDPMETA_KEY_RX_HASH, &h->hash, 4) == 4;
	if (h->has_hash && xdpmeta_kv_get(store, XDPMETA_KEY_RX_HASH_TYPE, &h->type, 4) != 4)
		h->type = 0;
	h->has_vlan = xdpmeta_kv_get(store, XDPMETA_KEY_RX_VLAN, &h->vlan, 4) == 4 &&
		      (h->vlan.proto == htons(ETH_P_8021Q) ||
		       h->vlan.proto == htons(ETH_P_8021AD));
	h->has_ts = xdpmeta_kv_get(store, XDPMETA_KEY_RX_TIMESTAMP, &h->ns, 8) == 8 && h->ns;
	return h->has_hash || h->has_vlan || h->has_ts;
}

static void xdpmeta_skb_hints_apply(struct sk_buff *skb, const struct xdpmeta_skb_hints *h)
{
	if (h->has_hash)
		skb_set_hash(skb, h->hash, h->type & XDP_RSS_L4 ? PKT_HASH_TYPE_L4 :
			     PKT_HASH_TYPE_L3);
	if (h->has_vlan)
		__vlan_hwaccel_put_tag(skb, h->vlan.proto, h->vlan.tci);
	if (h->has_ts)
		skb_hwtstamps(skb)->hwtstamp = ns_to_ktime(h->ns);
}

/*
 * Consume @skb's seal so that no later hook (the skb may be forwarded to
 * another hooked device: skb metadata survives forwarding) applies the
 * hints again. A cloned skb (an AF_PACKET tap holds a clone) shares its
 * head and shared info: unclone it first, which drops the metadata, seal
 * included (pskb_expand_head). Return: false if that failed (apply
 * nothing then: the shared info is not ours to write).
 */
static bool xdpmeta_skb_seal_consume(struct sk_buff *skb)
{
	u16 gone = 0;

	if (skb_cloned(skb))
		return !skb_unclone(skb, GFP_ATOMIC);
	memcpy(skb_mac_header(skb) - XDPMETA_SEAL_LEN, &gone, sizeof(gone));
	return true;
}

static unsigned int xdpmeta_skb_nf_hook(void *priv, struct sk_buff *skb,
					const struct nf_hook_state *state)
{
	struct xdpmeta_dev *xd = priv;
	struct xdpmeta_skb_hints h;
	const void *store;
	unsigned int room;
	bool any;

	if (likely(skb_metadata_len(skb) < XDPMETA_SEAL_LEN))
		return NF_ACCEPT;
	store = xdpmeta_skb_store(skb, &room);
	if (!store)
		return NF_ACCEPT;
	if (IS_ERR(store)) {
		this_cpu_inc(xd->pcpu->skb_bad_seal);
		return NF_ACCEPT;
	}
	this_cpu_inc(xd->pcpu->skb_stores);
	any = xdpmeta_skb_hints_read(store, &h);	/* store is gone after this */
	if (!xdpmeta_skb_seal_consume(skb) || !any)
		return NF_ACCEPT;
	xdpmeta_skb_hints_apply(skb, &h);
	this_cpu_inc(xd->pcpu->skb_hints);
	return NF_ACCEPT;
}

/*
 * Register @xd's ingress hook in its device's current netns. Caller holds
 * RTNL. Return: 0 or nf_register_net_hook()'s error (the device then
 * stays hooked, without hints applied to its skbs).
 */
int xdpmeta_skb_hook(struct xdpmeta_dev *xd)
{
	struct net *net = dev_net(xd->dev);
	int err;

	ASSERT_RTNL();
	if (xd->nf_net)
		return 0;
	xd->nfo = (struct nf_hook_ops){
		.hook = xdpmeta_skb_nf_hook,
		.priv = xd,
		.pf = NFPROTO_NETDEV,
		.hooknum = NF_NETDEV_INGRESS,
		.priority = XDPMETA_NF_PRIORITY,
		.dev = xd->dev,
	};
	err = nf_register_net_hook(net, &xd->nfo);
	if (err) {
		netdev_warn(xd->dev, "xdpmeta: no ingress hook (%d): hints will not reach skbs\n", err);
		return err;
	}
	xd->nf_net = net;
	xdpmeta_obj_inc(XDPMETA_OBJ_NF_HOOKS);
	return 0;
}

/* Unregister it (NETDEV_UNREGISTER, netns move, unhook). RTNL. */
void xdpmeta_skb_unhook(struct xdpmeta_dev *xd)
{
	ASSERT_RTNL();
	if (!xd->nf_net)
		return;
	nf_unregister_net_hook(xd->nf_net, &xd->nfo);
	xd->nf_net = NULL;
	xdpmeta_obj_dec(XDPMETA_OBJ_NF_HOOKS);
}

/* The registered size of @key, or -EINVAL / -ENOKEY. */
static int xdpmeta_skb_key_size(u32 key)
{
	int size;

	if (unlikely(key >= XDPMETA_MAX_KEYS))
		return -EINVAL;
	size = xdpmeta_registry_size(key);
	return size < 0 ? -ENOKEY : size;
}

__bpf_kfunc_start_defs();

/**
 * bpf_xdpmeta_skb_get - read a key from the store of an skb
 * @s: the TC context
 * @key: a registered key id
 * @val: where to copy the value
 * @val__sz: size of @val: at least the key's registered size
 *
 * For skbs built from XDP packets that had a store (skb.c explains how the
 * store is found). Read-only: TC cannot change the store. @val must not
 * point into the skb's own buffer: the verifier lets packet pointers
 * through as kfunc memory without marking the program as writing packet
 * data, so no unclone prologue protects the clones that share it.
 *
 * Return: the value's size (0 for a flag) on success;
 * -EINVAL if @val is NULL (the verifier lets a maybe-NULL pointer through:
 *  an unchecked map lookup or dynptr slice) or points into the skb's
 *  buffer (packet data or headroom), or if @key >= 64;
 * -ENOKEY if @key is not registered;
 * -EMSGSIZE if @val__sz is smaller than the key's size;
 * -ENOENT if the key is absent, or the skb has no store;
 * -ESTALE if the skb is sealed but its store cannot be found intact;
 * -EBADMSG if the key is stored with another size (id reused meanwhile).
 */
__bpf_kfunc int bpf_xdpmeta_skb_get(struct __sk_buff *s, u32 key, void *val,
				    u32 val__sz)
{
	struct sk_buff *skb = (struct sk_buff *)s;
	const void *store;
	unsigned int room;
	int size;

	if (unlikely(!val))
		return -EINVAL;
	if (unlikely((const u8 *)val + val__sz > skb->head &&
		     (const u8 *)val < skb_end_pointer(skb)))
		return -EINVAL;	/* packet memory: may be shared with clones */
	size = xdpmeta_skb_key_size(key);
	if (size < 0)
		return size;
	if (val__sz < size)
		return -EMSGSIZE;
	store = xdpmeta_skb_store(skb, &room);
	if (!store)
		return -ENOENT;
	if (IS_ERR(store))
		return PTR_ERR(store);
	return xdpmeta_kv_get(store, key, val, size);
}

/**
 * bpf_xdpmeta_skb_is_set - whether a key is present in an skb's store
 * @s: the TC context
 * @key: a registered key id
 *
 * Return: 1 if present, 0 if absent or the skb has no store;
 * -EINVAL if @key >= 64;
 * -ENOKEY if @key is not registered;
 * -ESTALE if the skb is sealed but its store cannot be found intact.
 */
__bpf_kfunc int bpf_xdpmeta_skb_is_set(struct __sk_buff *s, u32 key)
{
	struct sk_buff *skb = (struct sk_buff *)s;
	const void *store;
	unsigned int room;
	int size;

	size = xdpmeta_skb_key_size(key);
	if (size < 0)
		return size;
	store = xdpmeta_skb_store(skb, &room);
	if (!store)
		return 0;
	if (IS_ERR(store))
		return PTR_ERR(store);
	return xdpmeta_kv_code(store, key) != XDPMETA_KV_ABSENT;
}

__bpf_kfunc_end_defs();
