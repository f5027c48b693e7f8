// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * xdpmeta_ctl: SYSCALL programs for the key registry. Run them with
 * BPF_PROG_RUN (bpf_prog_test_run_opts) and a struct xdpmeta_key_req as the
 * context: no new kernel interface, any application can register its keys
 * at start-up this way. The CLI (`xdpmeta key add/del`) does exactly that.
 */
#include "xdpmeta.h"

SEC("syscall")
int xdpmeta_key_add(struct xdpmeta_key_req *req)
{
	char name[XDPMETA_KEY_NAME_LEN];

	__builtin_memcpy(name, req->name, sizeof(name));
	req->ret = bpf_xdpmeta_key_register(name, sizeof(name), req->size,
					    req->flags, req->expected_rev);
	req->rev = bpf_xdpmeta_key_revision();
	return 0;
}

SEC("syscall")
int xdpmeta_key_del(struct xdpmeta_key_req *req)
{
	char name[XDPMETA_KEY_NAME_LEN];

	__builtin_memcpy(name, req->name, sizeof(name));
	req->ret = bpf_xdpmeta_key_unregister(name, sizeof(name),
					      req->expected_rev);
	req->rev = bpf_xdpmeta_key_revision();
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
