// SPDX-License-Identifier: GPL-2.0
/* net_device::xdp_metadata_ops, the drivers' RX hint callbacks (6.3) */
#include <linux/netdevice.h>
#include <net/xdp.h>
const void *probe(struct net_device *dev);
const void *probe(struct net_device *dev) { return dev->xdp_metadata_ops->xmo_rx_hash; }
