// SPDX-License-Identifier: GPL-2.0
/*
 * kfuncs.c - the module's kfunc sets, one per program type. The kernel
 * accepts one set per program type from a module (a second registration
 * for the same type WARNs and fails), so the kfuncs of every room that a
 * program type may call are listed here together; they are defined in
 * their rooms (store.c, mb.c, hints.c, skb.c, registry.c, chain.c).
 *
 * Kfunc sets cannot be unregistered: they go away with the module's BTF.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/utsname.h>

#include "xdpmeta_int.h"

__bpf_kfunc_start_defs();

/**
 * bpf_xdpmeta_nop - do nothing: what calling an xdpmeta kfunc costs
 * @ctx: the XDP context (not read)
 *
 * The reference point of `make bench`'s instruction counts: a program
 * calling it pays the call itself (argument set-up, the JIT's call and
 * return, the kfunc's prologue), nothing more.
 *
 * Return: 0.
 */
__bpf_kfunc int bpf_xdpmeta_nop(struct xdp_md *ctx)
{
	return 0;
}

__bpf_kfunc_end_defs();

/* XDP programs */
BTF_KFUNCS_START(xdpmeta_xdp_kfunc_ids)
BTF_ID_FLAGS(func, bpf_xdpmeta_nop)
BTF_ID_FLAGS(func, bpf_xdpmeta_set)		/* store.c */
BTF_ID_FLAGS(func, bpf_xdpmeta_get)
BTF_ID_FLAGS(func, bpf_xdpmeta_del)
BTF_ID_FLAGS(func, bpf_xdpmeta_is_set)
BTF_ID_FLAGS(func, bpf_xdpmeta_pull)		/* mb.c */
BTF_ID_FLAGS(func, bpf_xdpmeta_import_hints)	/* hints.c */
BTF_ID_FLAGS(func, bpf_xdpmeta_hint_set_hash)
BTF_ID_FLAGS(func, bpf_xdpmeta_hint_set_vlan)
BTF_ID_FLAGS(func, bpf_xdpmeta_hint_set_timestamp)
BTF_ID_FLAGS(func, bpf_xdpmeta_chain_run)	/* chain.c */
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
BTF_ID_FLAGS(func, bpf_xdpmeta_chain_ctl, KF_SLEEPABLE)	/* chain.c: RTNL */
BTF_KFUNCS_END(xdpmeta_syscall_kfunc_ids)

static const struct btf_kfunc_id_set xdpmeta_syscall_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &xdpmeta_syscall_kfunc_ids,
};

/*
 * Was this module's BTF accepted? The module carrying a .BTF section is
 * not enough (main.c checks that): when the section does not validate
 * against the running vmlinux BTF (built against other headers, or
 * corrupted), a kernel with CONFIG_MODULE_ALLOW_BTF_MISMATCH=y (Debian's
 * 6.1 and 6.12 both) loads the module without it, btf_module_notify()
 * logs a warning (6.12: once for all modules), and every
 * register_btf_kfunc_id_set() below returns 0 having registered nothing:
 * the module would load with no kfuncs, and programs fail to load with a
 * verifier message that does not name xdpmeta.
 *
 * No exported function says whether a module has BTF, so ask the
 * registration itself, with an empty set for a program type no kfunc hook
 * serves (none at all: -1, the switch's default in
 * bpf_prog_type_to_kfunc_hook(); 6.1 has no __MAX_BPF_PROG_TYPE to name):
 * with the module's BTF it fails with
 * -EINVAL (btf_populate_kfunc_set(): hook >= BTF_KFUNC_HOOK_MAX), without
 * it it returns 0 early (6.1 register_btf_kfunc_id_set(), 6.12
 * __register_btf_kfunc_id_set(): no module BTF, check_btf_kconfigs()).
 * That -EINVAL path frees the BTF's kfunc set table, which is still NULL
 * here: this must run before the first real registration.
 */
BTF_KFUNCS_START(xdpmeta_probe_kfunc_ids)
BTF_KFUNCS_END(xdpmeta_probe_kfunc_ids)

static const struct btf_kfunc_id_set xdpmeta_probe_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &xdpmeta_probe_kfunc_ids,
};

static int xdpmeta_kfuncs_btf_check(void)
{
	int err = register_btf_kfunc_id_set((enum bpf_prog_type)-1,
						&xdpmeta_probe_kfunc_set);

	if (err == -EINVAL)
		return 0;
	if (!err) {
		pr_err("the kernel did not accept the module's BTF (built against other headers than the running kernel's?), so its kfuncs cannot be registered: rebuild against the running kernel's headers with their vmlinux (dkms install --force xdpmeta/0.1 -k %s, or make KVER=%s)\n",
		       init_utsname()->release, init_utsname()->release);
		return -ENOEXEC;
	}
	return err;
}

/* Called once from module init, before anything uses a kfunc. */
int xdpmeta_kfuncs_init(void)
{
	int err;

	err = xdpmeta_kfuncs_btf_check();
	if (err)
		return err;
	err = register_btf_kfunc_id_set(BPF_PROG_TYPE_XDP, &xdpmeta_xdp_kfunc_set);
	if (err)
		return err;
	err = register_btf_kfunc_id_set(BPF_PROG_TYPE_SCHED_CLS, &xdpmeta_tc_kfunc_set);
	if (err)
		return err;
	return register_btf_kfunc_id_set(BPF_PROG_TYPE_SYSCALL,
					 &xdpmeta_syscall_kfunc_set);
}
