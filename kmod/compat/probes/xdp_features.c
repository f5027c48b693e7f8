// SPDX-License-Identifier: GPL-2.0
/* net_device::xdp_features, kept by the drivers (6.3) */
#include <linux/netdevice.h>
int probe(struct net_device *dev);
int probe(struct net_device *dev) { return dev->xdp_features; }
