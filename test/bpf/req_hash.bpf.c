// SPDX-License-Identifier: GPL-2.0
/* A program declaring one requirement (test/vm/guest/t_features.sh). */
#include "xdpmeta.h"

XDPMETA_REQUIRE(XDPMETA_NEED_HINT_HASH, "");

SEC("xdp")
int req_hash(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
