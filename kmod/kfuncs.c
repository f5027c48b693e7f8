// SPDX-License-Identifier: GPL-2.0
/*
 * kfuncs.c - the module's kfunc sets, one per program type. The kernel
 * accepts one set per program type from a module (a second registration
 * for the same type WARNs and fails), so the kfuncs of every room that a
 * program type may call are listed here together; they are defined in
 * their rooms (store.c, mb.c, hints.c, skb.c, registry.c).
 *
 * Kfunc sets cannot be unregistered: they go away with the module's BTF.
 */
#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>

#include "xdpmeta_int.h"

/* XDP programs */
BTF_KFUNCS_START(xdpmeta_xdp_kfunc_ids)
BTF_ID_FLAGS(func, bpf_xdpmeta_set)		/* store.c */
BTF_ID_FLAGS(func, bpf_xdpmeta_get)
BTF_ID_FLAGS(func, bpf_xdpmeta_del)
BTF_ID_FLAGS(func, bpf_xdpmeta_is_set)
BTF_ID_FLAGS(func, bpf_xdpmeta_pull)		/* mb.c */
BTF_ID_FLAGS(func, bpf_xdpmeta_import_hints)	/* hints.c */
BTF_ID_FLAGS(func, bpf_xdpmeta_hint_set_hash)
BTF_ID_FLAGS(func, bpf_xdpmeta_hint_set_vlan)
BTF_ID_FLAGS(func, bpf_xdpmeta_hint_set_timestamp)
BTF_KFUNCS_END(xdpmeta_xdp_kfunc_ids)

static const struct btf_kfunc_id_set xdpmeta_xdp_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &xdpmeta_xdp_kfunc_ids,
};

/* TC programs: read the store of an skb that came through XDP */
BTF_KFUNCS_START(xdpmeta_tc_kfunc_ids)
BTF_ID_FLAGS(func, bpf_xdpmeta_skb_get)		/* skb.c */
BTF_ID_FLAGS(func, bpf_xdpmeta_skb_is_set)
BTF_KFUNCS_END(xdpmeta_tc_kfunc_ids)

static const struct btf_kfunc_id_set xdpmeta_tc_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &xdpmeta_tc_kfunc_ids,
};

/* SYSCALL programs (BPF_PROG_RUN): the key registry, which may sleep */
BTF_KFUNCS_START(xdpmeta_syscall_kfunc_ids)
BTF_ID_FLAGS(func, bpf_xdpmeta_key_register, KF_SLEEPABLE)	/* registry.c */
BTF_ID_FLAGS(func, bpf_xdpmeta_key_unregister, KF_SLEEPABLE)
BTF_ID_FLAGS(func, bpf_xdpmeta_key_revision)
BTF_KFUNCS_END(xdpmeta_syscall_kfunc_ids)

static const struct btf_kfunc_id_set xdpmeta_syscall_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &xdpmeta_syscall_kfunc_ids,
};

int xdpmeta_kfuncs_init(void)
{
	int err;

	err = register_btf_kfunc_id_set(BPF_PROG_TYPE_XDP, &xdpmeta_xdp_kfunc_set);
	if (err)
		return err;
	err = register_btf_kfunc_id_set(BPF_PROG_TYPE_SCHED_CLS, &xdpmeta_tc_kfunc_set);
	if (err)
		return err;
	return register_btf_kfunc_id_set(BPF_PROG_TYPE_SYSCALL,
					 &xdpmeta_syscall_kfunc_set);
}
