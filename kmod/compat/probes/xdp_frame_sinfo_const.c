// SPDX-License-Identifier: GPL-2.0
/* xdp_get_shared_info_from_frame() takes a const frame (6.1: non-const) */
#include <net/xdp.h>
struct skb_shared_info *probe(const struct xdp_frame *f);
struct skb_shared_info *probe(const struct xdp_frame *f) { return xdp_get_shared_info_from_frame(f); }
