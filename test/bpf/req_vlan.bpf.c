// SPDX-License-Identifier: GPL-2.0
/* Declares two requirements (test/vm/guest/t_features.sh). */
#include "xdpmeta.h"

XDPMETA_REQUIRE(XDPMETA_NEED_HINT_VLAN | XDPMETA_NEED_STORE, "");

SEC("xdp")
int req_vlan(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
