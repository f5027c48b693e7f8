#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run inside a fresh network namespace (run.sh: unshare -n): two tap
# devices with virtio-net headers joined by a bridge, for the VM's eth6
# and eth7, then exec QEMU. QEMU negotiates virtio_net hash reports
# (VIRTIO_NET_F_HASH_REPORT) only with a backend that has a vnet header;
# hubports have none. The namespace is private to this one QEMU: nothing
# on the host's own network changes, and concurrent VMs do not collide.
set -e
echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6 2>/dev/null || true
echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6 2>/dev/null || true
ip link add xmbr type bridge
for t in xmt6 xmt7; do
	ip tuntap add "$t" mode tap vnet_hdr
	ip link set "$t" master xmbr
	ip link set "$t" up
done
ip link set xmbr up
exec "$@"
