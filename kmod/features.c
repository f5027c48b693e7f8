// SPDX-License-Identifier: GPL-2.0
/*
 * features.c - what each hooked device can do with XDP, so that a user can
 * know before attaching (seed: 2018 "XDP features query"). The kernel's
 * own xdp_features (6.3+, kept current by veth and virtio_net as queues
 * and peers change) gives the actions; the rest is derived from the driver
 * the way its ndo_bpf decides:
 *  - the largest MTU at which a program that is not frags-aware can be
 *    attached: virtio_net checks its own MTU against
 *    PAGE_SIZE - SKB_DATA_ALIGN(XDP_PACKET_HEADROOM + shinfo) - ETH_HLEN;
 *    veth checks its *peer's* MTU against
 *    SKB_WITH_OVERHEAD(PAGE_SIZE - XDP_PACKET_HEADROOM - NET_IP_ALIGN) -
 *    the peer's hard_header_len (the "mtu" column is then the peer's);
 *  - RX hints: the driver's xdp_metadata_ops;
 *  - the xdpmeta store works on every hooked device.
 * Programs may declare requirements (bpf/xdpmeta.h XDPMETA_REQUIRE): see
 * __xdpmeta_features_check().
 * Caller of everything here holds RTNL.
 */
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/xdp.h>
#include <uapi/linux/netdev.h>
#include <linux/bpf.h>
#include <linux/unaligned.h>
#include <linux/net.h>

#include "xdpmeta_int.h"

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
		*limit = PAGE_SIZE - SKB_DATA_ALIGN(XDP_PACKET_HEADROOM +
						    sizeof(struct skb_shared_info)) - ETH_HLEN;
		*mtu = READ_ONCE(dev->mtu);
	}
}

void __xdpmeta_features_header(struct seq_file *m)
{
	seq_puts(m, "netns ifindex name driver xdp_features basic redirect ndo_xmit rx_sg ndo_xmit_sg xsk_zerocopy max_mtu_plain mtu hint_hash hint_vlan hint_timestamp store mb_mode prog_id prog_frags\n");
}

void __xdpmeta_features_show_dev(struct seq_file *m, struct xdpmeta_dev *xd,
				 struct net_device *peer)
{
	static const char *const modes[] = { "strict", "compat", "off" };
	struct net_device *dev = xd->dev;
	const struct xdp_metadata_ops *mo = dev->xdp_metadata_ops;
	u32 f = READ_ONCE(dev->xdp_features);
	unsigned int limit, mtu;

	ASSERT_RTNL();
	__xdpmeta_features_mtu(xd, peer, &limit, &mtu);
	seq_printf(m, "%u %d %s %s %#x %d %d %d %d %d %d %u %u %d %d %d 1 %s %u %d\n",
		   dev_net(dev)->ns.inum, dev->ifindex, dev->name,
		   xdpmeta_driver_name(xd->drv), f,
		   !!(f & NETDEV_XDP_ACT_BASIC), !!(f & NETDEV_XDP_ACT_REDIRECT),
		   !!(f & NETDEV_XDP_ACT_NDO_XMIT), !!(f & NETDEV_XDP_ACT_RX_SG),
		   !!(f & NETDEV_XDP_ACT_NDO_XMIT_SG), !!(f & NETDEV_XDP_ACT_XSK_ZEROCOPY),
		   limit, mtu, mo && mo->xmo_rx_hash, mo && mo->xmo_rx_vlan_tag,
		   mo && mo->xmo_rx_timestamp, modes[READ_ONCE(xdpmeta_mb_mode)],
		   xd->prog_id, xd->prog_frags);
}

/*
 * The requirements a program declared (bpf/xdpmeta.h XDPMETA_REQUIRE): a
 * struct xdpmeta_requirements in the program's .rodata map. Only
 * btf_type_by_id() of the BTF API is exported to modules, so instead of
 * resolving the variable's name the module looks for its 64-bit magic at
 * every 8-byte offset of the program's read-only array maps that are
 * frozen (libbpf freezes .rodata after writing it, so the value cannot
 * change after this check). Return: true and *req if found.
 */
static bool xdpmeta_features_find_req(struct bpf_prog *prog,
				      struct xdpmeta_requirements *req)
{
	struct bpf_prog_aux *aux = prog->aux;
	bool found = false;
	u32 i, off;

	mutex_lock(&aux->used_maps_mutex);
	for (i = 0; i < aux->used_map_cnt && !found; i++) {
		struct bpf_map *map = aux->used_maps[i];
		u64 addr;

		if (map->map_type != BPF_MAP_TYPE_ARRAY || map->max_entries != 1 ||
		    !(map->map_flags & BPF_F_RDONLY_PROG) || !READ_ONCE(map->frozen) ||
		    !map->ops->map_direct_value_addr ||
		    map->ops->map_direct_value_addr(map, &addr, 0))
			continue;
		for (off = 0; off + sizeof(*req) <= map->value_size; off += 8) {
			const void *p = (const void *)(unsigned long)addr + off;

			if (get_unaligned((const u64 *)p) != XDPMETA_REQ_MAGIC)
				continue;
			memcpy(req, p, sizeof(*req));
			req->redirect_target[sizeof(req->redirect_target) - 1] = '\0';
			found = true;
			break;
		}
	}
	mutex_unlock(&aux->used_maps_mutex);
	return found;
}

/*
 * Attach-time check, from hook.c's ndo_bpf wrapper before the driver sees
 * the program. Return: 0, or -EOPNOTSUPP with an extack message naming
 * what is missing (also logged, ratelimited: an attach through a bpf_link
 * returns only the errno to user space). Caller holds RTNL.
 */
int __xdpmeta_features_check(struct net_device *dev, struct bpf_prog *prog,
			     struct netlink_ext_ack *extack)
{
	const struct xdp_metadata_ops *mo = dev->xdp_metadata_ops;
	u32 f = READ_ONCE(dev->xdp_features);
	struct xdpmeta_requirements req;
	const char *miss = NULL;
	struct net_device *t;

	ASSERT_RTNL();
	if (!xdpmeta_features_find_req(prog, &req))
		return 0;
	/* extack messages are cut at 80 bytes: short ones, the log has all */
	if (req.version != 1 || req.needs & ~XDPMETA_NEED_ALL)
		miss = "unknown requirements (update xdpmeta)";
	else if ((req.needs & XDPMETA_NEED_TX) && !(f & NETDEV_XDP_ACT_BASIC))
		miss = "needs XDP_TX: device lacks it";
	else if ((req.needs & XDPMETA_NEED_REDIRECT) && !(f & NETDEV_XDP_ACT_REDIRECT))
		miss = "needs XDP_REDIRECT: device lacks it";
	else if ((req.needs & XDPMETA_NEED_MULTI_BUFFER) && !(f & NETDEV_XDP_ACT_RX_SG))
		miss = "needs multi-buffer RX: device lacks it";
	else if ((req.needs & XDPMETA_NEED_HINT_HASH) && !(mo && mo->xmo_rx_hash))
		miss = "needs RX hash hint: driver lacks it";
	else if ((req.needs & XDPMETA_NEED_HINT_VLAN) && !(mo && mo->xmo_rx_vlan_tag))
		miss = "needs RX VLAN hint: driver lacks it";
	else if ((req.needs & XDPMETA_NEED_HINT_TIMESTAMP) && !(mo && mo->xmo_rx_timestamp))
		miss = "needs RX timestamp hint: driver lacks it";
	if (miss) {
		NL_SET_ERR_MSG_FMT_MOD(extack, "%s %s", prog->aux->name, miss);
		net_info_ratelimited("xdpmeta: %s: refused program %s: %s\n",
				     dev->name, prog->aux->name, miss);
		return -EOPNOTSUPP;
	}
	if (!req.redirect_target[0])
		return 0;
	t = __dev_get_by_name(dev_net(dev), req.redirect_target);
	if (t && (READ_ONCE(t->xdp_features) & NETDEV_XDP_ACT_NDO_XMIT))
		return 0;
	if (!t)
		NL_SET_ERR_MSG_FMT_MOD(extack, "redirect target %s: no such device here",
				       req.redirect_target);
	else if (t->netdev_ops->ndo_get_peer_dev)
		NL_SET_ERR_MSG_FMT_MOD(extack, "redirect target %s off: attach XDP to its peer",
				       req.redirect_target);
	else
		NL_SET_ERR_MSG_FMT_MOD(extack, "redirect target %s: no XDP target support",
				       req.redirect_target);
	net_info_ratelimited("xdpmeta: %s: refused program %s: it needs redirect target %s, which %s\n",
			     dev->name, prog->aux->name, req.redirect_target,
			     !t ? "does not exist in this netns" :
			     "has XDP_REDIRECT target support off (for a veth: no XDP program on its peer)");
	return -EOPNOTSUPP;
}
