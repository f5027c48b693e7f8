/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version differences, in one place. Every #if on LINUX_VERSION_CODE
 * or on a symbol's existence lives here, never in the rooms of kmod/.
 *
 * Supported: Debian 12's stock 6.12 (bookworm-security). 6.1 (Debian 12's
 * default) lacks __bpf_kfunc, BTF_KFUNCS_START, xdp_metadata_ops and
 * xdp_features; the shims below keep the source building there, but the
 * project's tests run on 6.12 only (see README, "Kernels").
 */
#ifndef XDPMETA_COMPAT_H
#define XDPMETA_COMPAT_H

#include <linux/version.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/module.h>
#include <net/xdp.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "xdpmeta needs Linux 6.1 or later (module kfuncs, xdp.frags)"
#endif

#ifndef __bpf_kfunc
#define __bpf_kfunc __used noinline
#endif

#ifndef __bpf_kfunc_start_defs
#define __bpf_kfunc_start_defs()					\
	__diag_push();							\
	__diag_ignore_all("-Wmissing-prototypes",			\
			  "Global kfuncs as their definitions will be in BTF")
#define __bpf_kfunc_end_defs() __diag_pop()
#endif

/* 6.12 rejects BTF_SET8_START sets for kfuncs; 6.1 has nothing else. */
#ifndef BTF_KFUNCS_START
#define BTF_KFUNCS_START(name) BTF_SET8_START(name)
#define BTF_KFUNCS_END(name)   BTF_SET8_END(name)
#endif

/*
 * register_btf_kfunc_id_set() returns 0 and registers nothing when the
 * module carries no BTF ("missing module BTF, cannot register kfuncs"):
 * check for it ourselves so that a module without kfuncs never loads.
 */
static inline bool xdpmeta_compat_has_module_btf(const struct module *mod)
{
#ifdef CONFIG_DEBUG_INFO_BTF_MODULES
	return mod->btf_data && mod->btf_data_size;
#else
	return false;
#endif
}

/*
 * xdp_buff->flags bits the kernel itself uses, per version. xdpmeta takes
 * one bit above them for "this packet has a store" (store.c), and asserts
 * at build time that it is free.
 */
#define XDPMETA_COMPAT_KERNEL_XDP_FLAGS \
	(XDP_FLAGS_HAS_FRAGS | XDP_FLAGS_FRAGS_PF_MEMALLOC)

/*
 * Release one frag page of an xdp_buff according to what the page really
 * is: page_pool pages go back to their pool, others are put. (The stock
 * 6.12 bpf_xdp_adjust_tail releases by the rxq's memory model, which is
 * wrong on veth's skb path: page_pool frags, MEM_TYPE_PAGE_SHARED rxq.)
 */
#include <linux/skbuff.h>
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/skbuff_ref.h>
#else
#include <net/page_pool.h>
#endif
static inline void xdpmeta_compat_frag_page_put(struct page *page)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	if (napi_pp_put_page(page_to_netmem(page)))	/* netmem API */
		return;
#else
	if (page_pool_return_skb_page(page))		/* 6.1 */
		return;
#endif
	put_page(page);
}

/*
 * The imm of a call to the kfunc at @addr in a verified program. The
 * verifier (fixup_kfunc_call() in 6.12, add_kfunc_call() in 6.1) replaces
 * the BTF id with BPF_CALL_IMM(address), the address minus the exported
 * __bpf_call_base, except where the JIT calls kfuncs by their full address
 * (bpf_jit_supports_far_kfunc_call(), not exported: s390, loongarch and
 * powerpc since 6.5, which keep the BTF id). x86-64 keeps BPF_CALL_IMM.
 * Return: true and *imm; false where calls cannot be recognized.
 */
#include <linux/filter.h>
static inline bool xdpmeta_compat_kfunc_imm(const void *addr, s32 *imm)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0) && \
	(defined(CONFIG_S390) || defined(CONFIG_LOONGARCH) || defined(CONFIG_PPC))
	return false;
#else
	*imm = (s32)BPF_CALL_IMM(addr);
	return true;
#endif
}

#endif /* XDPMETA_COMPAT_H */
