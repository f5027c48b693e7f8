// SPDX-License-Identifier: GPL-2.0
/*
 * features.c - what each hooked device can do with XDP, so that a user can
 * know before attaching (seed: 2018 "XDP features query"). The kernel's
 * own xdp_features (6.3+, kept current by veth and virtio_net as queues
 * and peers change) gives the actions; the rest is derived from the driver
 * the way its ndo_bpf decides:
 *  - the largest MTU at which a program that is not frags-aware can be
 *    attached: virtio_net checks its own MTU against a limit of its
 *    kernel's (xdpmeta_compat_virtio_max_mtu_plain());
 *    veth checks its *peer's* MTU against
 *    SKB_WITH_OVERHEAD(PAGE_SIZE - XDP_PACKET_HEADROOM - NET_IP_ALIGN) -
 *    the peer's hard_header_len (the "mtu" column is then the peer's);
 *  - RX hints: the driver's xdp_metadata_ops, as far as they can work
 *    now: virtio_net registers them (rx_hash only) with RSS or hash
 *    report, but has a hash only with hash reports (hints.c), and its
 *    rx_hash returns -ENODATA while rxhash is off, so a device whose
 *    rxhash can be switched offers the hash only while it is on
 *    (hint_hash_off tells that case apart: the fix is ethtool);
 *  - the xdpmeta store works on every hooked device.
 * Programs may declare requirements (bpf/xdpmeta.h XDPMETA_REQUIRE), and
 * some kfunc calls imply one: see __xdpmeta_features_check(). The verdict
 * and its words come from req.c, which the CLI's `xdpmeta check` builds
 * too.
 * Caller of everything here holds RTNL.
 */
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/xdp.h>
#include <linux/bpf.h>
#include <linux/net.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <uapi/linux/virtio_net.h>

#include "xdpmeta_int.h"
#include "req.h"

/* req.h restates bpf/xdpmeta.h's requirements for user space: keep them one */
static_assert(XDPMETA_REQ_DECL_MAGIC == XDPMETA_REQ_MAGIC);
static_assert(sizeof(struct xdpmeta_req_decl) == sizeof(struct xdpmeta_requirements));
static_assert(offsetof(struct xdpmeta_req_decl, version) ==
	      offsetof(struct xdpmeta_requirements, version));
static_assert(offsetof(struct xdpmeta_req_decl, needs) ==
	      offsetof(struct xdpmeta_requirements, needs));
static_assert(offsetof(struct xdpmeta_req_decl, redirect_target) ==
	      offsetof(struct xdpmeta_requirements, redirect_target));
static_assert(XDPMETA_REQ_TARGET_LEN ==
	      sizeof_field(struct xdpmeta_requirements, redirect_target));
static_assert(XDPMETA_REQ_NEED_TX == XDPMETA_NEED_TX &&
	      XDPMETA_REQ_NEED_REDIRECT == XDPMETA_NEED_REDIRECT &&
	      XDPMETA_REQ_NEED_MULTI_BUFFER == XDPMETA_NEED_MULTI_BUFFER &&
	      XDPMETA_REQ_NEED_HINT_HASH == XDPMETA_NEED_HINT_HASH &&
	      XDPMETA_REQ_NEED_HINT_VLAN == XDPMETA_NEED_HINT_VLAN &&
	      XDPMETA_REQ_NEED_HINT_TIMESTAMP == XDPMETA_NEED_HINT_TIMESTAMP &&
	      XDPMETA_REQ_NEED_STORE == XDPMETA_NEED_STORE &&
	      XDPMETA_REQ_NEED_ALL == XDPMETA_NEED_ALL);

/*
 * Kfuncs whose call implies a requirement (req.c has their names and
 * words): one line per kfunc.
 */
static const struct {
	const void *addr;
	u32 call;			/* XDPMETA_REQ_CALL_* */
} xdpmeta_features_kfuncs[] = {
	{ bpf_xdpmeta_import_hints, XDPMETA_REQ_CALL_IMPORT_HINTS },	/* hints.c */
};

/*
 * The RX hints @dev's driver offers now. The hash only where the driver
 * can deliver one (hints.c: virtio_net needs hash reports), and only while
 * rxhash is on where it can be switched (virtio_net's rx_hash returns
 * -ENODATA without NETIF_F_RXHASH).
 */
static void xdpmeta_features_hints(const struct net_device *dev,
				   struct xdpmeta_req_in *in)
{
	const struct xdp_metadata_ops *mo = xdpmeta_compat_xmo(dev);
	bool hash = xdpmeta_hints_hash_usable(dev);

	in->hint_hash_off = hash && (dev->hw_features & NETIF_F_RXHASH) &&
			    !(dev->features & NETIF_F_RXHASH);
	in->hint_hash = hash && !in->hint_hash_off;
	in->hint_vlan = mo && xdpmeta_compat_xmo_vlan(mo);
	in->hint_timestamp = mo && mo->xmo_rx_timestamp;
}

/*
 * What 6.3+ kernels keep in dev->xdp_features for @dev, derived the way
 * veth and virtio_net set them in 6.12 (veth_set_xdp_features(),
 * veth_xdp_set() and veth_set_features(); virtnet_probe() and
 * virtnet_xdp_set(), through xdp_features_set_redirect_target()):
 *  - veth: nothing without a peer, or with more peer TX queues than own
 *    RX queues; else BASIC, REDIRECT and RX_SG, plus NDO_XMIT and
 *    NDO_XMIT_SG while the peer runs a native program or asks for GRO;
 *  - virtio_net: BASIC and REDIRECT; RX_SG with mergeable RX buffers,
 *    where the driver runs XDP on multi-buffer packets at all (6.3, not
 *    6.1); NDO_XMIT and NDO_XMIT_SG while it runs a native program;
 *  - other drivers: 0 (not known).
 * Kernels without xdp_features (6.1) report this (compat.h); the others
 * show it beside their own, and features.derived_matches_kernel_* compare
 * the two over the set-ups that change them. Caller holds RTNL.
 */
static u32 __xdpmeta_features_derive_612(struct net_device *dev)
{
	struct net_device *peer;
	u32 f;

	ASSERT_RTNL();
	switch (xdpmeta_driver_of(dev)) {
	case XDPMETA_DRV_VETH:
		rcu_read_lock();	/* veth_peer_dev() uses rcu_dereference */
		peer = dev->netdev_ops->ndo_get_peer_dev ?
		       dev->netdev_ops->ndo_get_peer_dev(dev) : NULL;
		rcu_read_unlock();	/* RTNL keeps the peer */
		if (!peer || peer->real_num_tx_queues > dev->real_num_rx_queues)
			return 0;
		f = NETDEV_XDP_ACT_BASIC | NETDEV_XDP_ACT_REDIRECT | NETDEV_XDP_ACT_RX_SG;
		if (__xdpmeta_drv_prog(peer) || (peer->wanted_features & NETIF_F_GRO))
			f |= NETDEV_XDP_ACT_NDO_XMIT | NETDEV_XDP_ACT_NDO_XMIT_SG;
		return f;
	case XDPMETA_DRV_VIRTIO_NET:
		f = NETDEV_XDP_ACT_BASIC | NETDEV_XDP_ACT_REDIRECT;
		if (XDPMETA_COMPAT_VIRTIO_MB_XDP &&
		    virtio_has_feature(dev_to_virtio(dev->dev.parent), VIRTIO_NET_F_MRG_RXBUF))
			f |= NETDEV_XDP_ACT_RX_SG;
		if (__xdpmeta_drv_prog(dev))
			f |= NETDEV_XDP_ACT_NDO_XMIT | NETDEV_XDP_ACT_NDO_XMIT_SG;
		return f;
	default:
		return 0;
	}
}

/* ... and what of it holds on this kernel: 6.1 redirects no multi-buffer frame into a device */
static u32 __xdpmeta_features_derive(struct net_device *dev)
{
	u32 f = __xdpmeta_features_derive_612(dev);

	if (!XDPMETA_COMPAT_MB_REDIRECT)
		f &= ~NETDEV_XDP_ACT_NDO_XMIT_SG;
	return f;
}

/* @dev's xdp_features: the kernel's, or derived where it has none. */
static u32 __xdpmeta_features_of(struct net_device *dev, u32 *derived,
				 bool *from_kernel)
{
	*derived = __xdpmeta_features_derive(dev);
	return xdpmeta_compat_xdp_features(dev, *derived, from_kernel);
}

/* The MTU limit for a non-frags program and the MTU it is compared with. */
static void __xdpmeta_features_mtu(struct xdpmeta_dev *xd, struct net_device *peer,
				   unsigned int *limit, unsigned int *mtu)
{
	struct net_device *dev = xd->dev;

	if (xd->drv == XDPMETA_DRV_VETH) {
		*limit = SKB_WITH_OVERHEAD(PAGE_SIZE - XDP_PACKET_HEADROOM - NET_IP_ALIGN) -
			 (peer ? peer->hard_header_len : dev->hard_header_len);
		*mtu = peer ? READ_ONCE(peer->mtu) : 0;
	} else {
		*limit = xdpmeta_compat_virtio_max_mtu_plain();
		*mtu = READ_ONCE(dev->mtu);
	}
}

void __xdpmeta_features_header(struct seq_file *m)
{
	seq_puts(m, "netns ifindex name driver xdp_features basic redirect ndo_xmit rx_sg ndo_xmit_sg xsk_zerocopy max_mtu_plain mtu hint_hash hint_vlan hint_timestamp store mb_mode prog_id prog_frags hint_hash_off xdp_features_from derived_xdp_features hints_from\n");
}

void __xdpmeta_features_show_dev(struct seq_file *m, struct xdpmeta_dev *xd,
				 struct net_device *peer)
{
	struct net_device *dev = xd->dev;
	struct xdpmeta_req_in h = {};
	unsigned int limit, mtu;
	bool from_kernel;
	u32 f, derived;

	ASSERT_RTNL();
	f = __xdpmeta_features_of(dev, &derived, &from_kernel);
	__xdpmeta_features_mtu(xd, peer, &limit, &mtu);
	xdpmeta_features_hints(dev, &h);
	seq_printf(m, "%u %d %s %s %#x %d %d %d %d %d %d %u %u %d %d %d 1 %s %u %d %d %s %#x %s\n",
		   dev_net(dev)->ns.inum, dev->ifindex, dev->name,
		   xdpmeta_driver_name(xd->drv), f,
		   !!(f & NETDEV_XDP_ACT_BASIC), !!(f & NETDEV_XDP_ACT_REDIRECT),
		   !!(f & NETDEV_XDP_ACT_NDO_XMIT), !!(f & NETDEV_XDP_ACT_RX_SG),
		   !!(f & NETDEV_XDP_ACT_NDO_XMIT_SG), !!(f & NETDEV_XDP_ACT_XSK_ZEROCOPY),
		   limit, mtu, h.hint_hash, h.hint_vlan, h.hint_timestamp,
		   xdpmeta_mb_mode_names[READ_ONCE(xdpmeta_mb_mode)], xd->prog_id, xd->prog_frags,
		   h.hint_hash_off, from_kernel ? "kernel" : "derived", derived,
		   XDPMETA_COMPAT_HINTS ? "driver" : "none");
}

/*
 * The requirements a program declared (bpf/xdpmeta.h XDPMETA_REQUIRE): a
 * struct xdpmeta_requirements in the program's .rodata map. Only
 * btf_type_by_id() of the BTF API is exported to modules, so instead of
 * resolving the variable's name the module looks for its 64-bit magic at
 * every 8-byte offset (xdpmeta_req_find(), the CLI's rule too) of the
 * program's read-only array maps that are frozen (libbpf freezes .rodata
 * after writing it, so the value cannot change after this check).
 * Return: true and *decl if found.
 */
static bool xdpmeta_features_find_req(struct bpf_prog *prog,
				      struct xdpmeta_req_decl *decl)
{
	struct bpf_prog_aux *aux = prog->aux;
	bool found = false;
	u32 i;

	mutex_lock(&aux->used_maps_mutex);
	for (i = 0; i < aux->used_map_cnt && !found; i++) {
		struct bpf_map *map = aux->used_maps[i];
		u64 addr;

		if (map->map_type != BPF_MAP_TYPE_ARRAY || map->max_entries != 1 ||
		    !(map->map_flags & BPF_F_RDONLY_PROG) || !READ_ONCE(map->frozen) ||
		    !map->ops->map_direct_value_addr ||
		    map->ops->map_direct_value_addr(map, &addr, 0))
			continue;
		found = xdpmeta_req_find((const void *)(unsigned long)addr,
					 map->value_size, decl);
	}
	mutex_unlock(&aux->used_maps_mutex);
	return found;
}

/*
 * The kfuncs of xdpmeta_features_kfuncs[] that @prog calls, from its
 * verified instructions (subprograms included): a kfunc call's imm is
 * then the kfunc's address relative to __bpf_call_base (compat.h).
 * Return: XDPMETA_REQ_CALL_* bits.
 */
/*
 * Whether @prog's verified instructions call the module kfunc @kfunc (its
 * call imm is the kfunc's address minus __bpf_call_base: compat.h). Also
 * how chain.c knows a dispatcher. False where the imm cannot be derived.
 */
bool xdpmeta_features_prog_calls(const struct bpf_prog *prog, const void *kfunc)
{
	u32 i;
	s32 imm;

	if (!xdpmeta_compat_kfunc_imm(kfunc, &imm))
		return false;
	for (i = 0; i < prog->len; i++) {
		const struct bpf_insn *insn = &prog->insnsi[i];

		if (insn->code == (BPF_JMP | BPF_CALL) &&
		    insn->src_reg == BPF_PSEUDO_KFUNC_CALL && insn->imm == imm)
			return true;
	}
	return false;
}

static u32 xdpmeta_features_calls(const struct bpf_prog *prog)
{
	s32 imm[ARRAY_SIZE(xdpmeta_features_kfuncs) + 1];
	u32 i, k, calls = 0;

	for (k = 0; k < ARRAY_SIZE(xdpmeta_features_kfuncs); k++)
		if (!xdpmeta_compat_kfunc_imm(xdpmeta_features_kfuncs[k].addr, &imm[k]))
			return 0;
	for (i = 0; i < prog->len; i++) {
		const struct bpf_insn *insn = &prog->insnsi[i];

		if (insn->code != (BPF_JMP | BPF_CALL) ||
		    insn->src_reg != BPF_PSEUDO_KFUNC_CALL)
			continue;
		for (k = 0; k < ARRAY_SIZE(xdpmeta_features_kfuncs); k++)
			if (insn->imm == imm[k])
				calls |= xdpmeta_features_kfuncs[k].call;
	}
	return calls;
}

/*
 * Attach-time check, from hook.c's ndo_bpf wrapper before the driver sees
 * the program: what it declared and what its kfunc calls imply, against
 * @dev and the declared redirect target in @dev's netns. Return: 0, or
 * -EOPNOTSUPP with a brief extack message naming what is missing (cut at
 * 80 bytes) and the full one, with the fix, in the log (ratelimited: an
 * attach through a bpf_link returns only the errno to user space). Caller
 * holds RTNL.
 */
static int __xdpmeta_features_eval(struct net_device *dev, struct bpf_prog *prog,
				   bool chained, struct xdpmeta_req_msg *msg)
{
	struct xdpmeta_req_in in = {};
	struct net_device *t;
	bool from_kernel;
	u32 f, derived;

	ASSERT_RTNL();
	/* a chain keeps plain entries from partial frames itself (chain.c) */
	in.mb_strict = !chained && READ_ONCE(xdpmeta_mb_mode) == XDPMETA_MB_STRICT;
	in.frags = prog->aux->xdp_has_frags;
	in.declared = xdpmeta_features_find_req(prog, &in.decl);
	in.calls = xdpmeta_features_calls(prog);
	if (!in.declared && !in.calls && !(in.mb_strict && !in.frags))
		return 0;

	in.prog = prog->aux->name;
	in.dev = dev->name;
	in.veth = dev->rtnl_link_ops && !strcmp(dev->rtnl_link_ops->kind, "veth");
	f = __xdpmeta_features_of(dev, &derived, &from_kernel);
	in.basic = f & NETDEV_XDP_ACT_BASIC;
	in.redirect = f & NETDEV_XDP_ACT_REDIRECT;
	in.rx_sg = f & NETDEV_XDP_ACT_RX_SG;
	xdpmeta_features_hints(dev, &in);
	in.store = true;		/* every hooked device */
	if (in.declared && in.decl.redirect_target[0]) {
		t = __dev_get_by_name(dev_net(dev), in.decl.redirect_target);
		in.target_exists = t;
		in.target_ndo_xmit = t && (__xdpmeta_features_of(t, &derived, &from_kernel) &
					   NETDEV_XDP_ACT_NDO_XMIT);
		in.target_has_peer = t && t->netdev_ops->ndo_get_peer_dev;
	}
	if (xdpmeta_req_eval(&in, msg) < 0)
		return 0;
	return -EOPNOTSUPP;
}

int __xdpmeta_features_check(struct net_device *dev, struct bpf_prog *prog,
			     struct netlink_ext_ack *extack)
{
	struct xdpmeta_req_msg msg;
	int err = __xdpmeta_features_eval(dev, prog, false, &msg);

	if (!err)
		return 0;
	xdpmeta_compat_extack_msg(extack, msg.brief);
	/* one line (net_ratelimit() is shared): 6.1's extack cannot carry the brief */
	net_info_ratelimited("xdpmeta: %s: refused program %s: %s [extack: %s]\n",
			     dev->name, prog->aux->name, msg.full, msg.brief);
	return err;
}

/*
 * The same check for a chain entry (chain.c), which is not attached to
 * the device: its requirements against the device, without the
 * multi-buffer mode's (the chain protects plain entries). Return: 0, or
 * -EOPNOTSUPP with the full sentence in @why. Caller holds RTNL.
 */
int __xdpmeta_features_check_entry(struct net_device *dev, struct bpf_prog *prog,
				   char *why, size_t len)
{
	struct xdpmeta_req_msg msg;
	int err = __xdpmeta_features_eval(dev, prog, true, &msg);

	if (err)
		strscpy(why, msg.full, len);
	return err;
}
