// SPDX-License-Identifier: GPL-2.0
/*
 * Declares the XDP actions it needs (test/vm/guest/t_features.sh): a veth
 * whose peer has more TX queues than it has RX queues offers none of them.
 */
#include "xdpmeta.h"

XDPMETA_REQUIRE(XDPMETA_NEED_TX | XDPMETA_NEED_REDIRECT | XDPMETA_NEED_MULTI_BUFFER, "");

SEC("xdp.frags")
int req_actions(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
