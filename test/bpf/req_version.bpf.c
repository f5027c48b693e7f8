// SPDX-License-Identifier: GPL-2.0
/*
 * A declaration of a later format (version 2) than this xdpmeta reads
 * (test/vm/guest/t_features.sh): written by hand, XDPMETA_REQUIRE always
 * writes version 1. Its needs are those of req_actions.bpf.c, which every
 * veth pair of the tests meets: only the version can refuse it.
 */
#include "xdpmeta.h"

const volatile struct xdpmeta_requirements xdpmeta_requirements = {
	.magic = XDPMETA_REQ_MAGIC, .version = 2,
	.needs = XDPMETA_NEED_TX | XDPMETA_NEED_REDIRECT | XDPMETA_NEED_MULTI_BUFFER,
	.redirect_target = "",
};

SEC("xdp.frags")
int req_version(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
