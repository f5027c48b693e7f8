// SPDX-License-Identifier: GPL-2.0
/* xdp_metadata_ops::xmo_rx_vlan_tag (6.8) */
#include <linux/netdevice.h>
#include <net/xdp.h>
const void *probe(struct net_device *dev);
const void *probe(struct net_device *dev) { return dev->xdp_metadata_ops->xmo_rx_vlan_tag; }
