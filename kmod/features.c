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
 * Attach-time requirements declared by programs are not implemented yet.
 * Caller of everything here holds RTNL.
 */
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/xdp.h>
#include <uapi/linux/netdev.h>

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
