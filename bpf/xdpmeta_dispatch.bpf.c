// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * xdpmeta_dispatch: the one program a chained device runs. It is
 * frags-aware, so a jumbo-MTU device accepts it whatever the chain holds;
 * the module runs the chain's programs from bpf_xdpmeta_chain_run() and
 * keeps each plain one from seeing a partial frame (kmod/chain.c).
 * `xdpmeta prog attach` loads and attaches it; the module knows a
 * dispatcher by its call of bpf_xdpmeta_chain_run().
 */
#include "xdpmeta.h"

SEC("xdp.frags")
int xdpmeta_dispatch(struct xdp_md *ctx)
{
	return bpf_xdpmeta_chain_run(ctx);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
