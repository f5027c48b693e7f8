// SPDX-License-Identifier: GPL-2.0
/*
 * No declaration: calling bpf_xdpmeta_import_hints is a requirement by
 * itself (an RX hint on the device). req_import calls it from a
 * subprogram, req_plain does not (test/vm/guest/t_features.sh, `xdpmeta
 * check --prog`).
 */
#include "xdpmeta.h"

static __noinline int import(struct xdp_md *ctx)
{
	return bpf_xdpmeta_import_hints(ctx, XDPMETA_HINT_ALL);
}

SEC("xdp")
int req_import(struct xdp_md *ctx)
{
	return import(ctx) < 0 ? XDP_PASS : XDP_PASS;
}

SEC("xdp")
int req_plain(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
