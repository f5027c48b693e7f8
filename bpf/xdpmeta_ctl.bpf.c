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

/*
 * Chains (kmod/chain.c): attach, detach or query as req->op says. The
 * kernel side checks req->size and takes the attached program from the
 * caller's fd table, so run this program from the process holding it.
 */
SEC("syscall")
int xdpmeta_chain(struct xdpmeta_chain_req *req)
{
	req->ret = bpf_xdpmeta_chain_ctl(req, sizeof(*req));
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
