// SPDX-License-Identifier: GPL-2.0
/*
 * store_bad: misuses of the store kfuncs that the verifier must refuse.
 * None of them is loaded by default ("?xdp"); the VM test loads each one
 * alone and checks the verifier's message.
 */
#include "xdpmeta.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} bad_map SEC(".maps");

/* the size argument claims more bytes than the buffer has */
SEC("?xdp")
int bad_size_exceeds_buffer(struct xdp_md *ctx)
{
	__u8 buf[8] = {};

	return bpf_xdpmeta_set(ctx, 4, buf, 16, 0) ? XDP_DROP : XDP_PASS;
}

/* something that is not the program's context passed as ctx */
SEC("?xdp")
int bad_ctx_not_ctx(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&bad_map, &k);
	__u8 buf[8] = {};

	if (!v)
		return XDP_PASS;
	return bpf_xdpmeta_get((struct xdp_md *)v, 4, buf, 8) ? XDP_DROP : XDP_PASS;
}

/* packet memory as the value buffer without a bounds check */
SEC("?xdp")
int bad_val_is_packet_unchecked(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;

	return bpf_xdpmeta_get(ctx, 4, data, 8) ? XDP_DROP : XDP_PASS;
}

/* a registry kfunc (SYSCALL programs only) from XDP */
SEC("?xdp")
int bad_wrong_prog_type_syscall_kfunc(struct xdp_md *ctx)
{
	return bpf_xdpmeta_key_revision() ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
