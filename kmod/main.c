// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - module init and exit order, nothing else.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/random.h>
#include <linux/module.h>
#include <linux/utsname.h>
#include <generated/utsrelease.h>

#include "xdpmeta_int.h"

static int __init xdpmeta_init(void)
{
	int err;

	/*
	 * vermagic and modversions already stop most mismatches; say it in
	 * words for the rest (e.g. a forced load).
	 */
	if (strcmp(init_utsname()->release, UTS_RELEASE)) {
		pr_err("built for kernel %s but running %s: rebuild against the running kernel's headers (make KVER=%s, or dkms build)\n",
		       UTS_RELEASE, init_utsname()->release,
		       init_utsname()->release);
		return -ENOEXEC;
	}
	if (!xdpmeta_compat_has_module_btf(THIS_MODULE)) {
		pr_err("module has no BTF, so its kfuncs cannot be registered: rebuild with pahole (dwarves >= 1.24) installed and the headers' vmlinux present\n");
		return -ENOEXEC;
	}

	get_random_bytes(&xdpmeta_seal_key, sizeof(xdpmeta_seal_key));
	err = xdpmeta_registry_init();
	if (err)
		goto err;
	err = xdpmeta_chain_init();
	if (err)
		goto err;
	err = xdpmeta_kfuncs_init();
	if (err)
		goto err_chain;
	/* debugfs is a view: without it (debugfs=off, lockdown) work anyway */
	err = xdpmeta_debugfs_init();
	if (err)
		pr_warn("no debugfs (%d): loaded without /sys/kernel/debug/xdpmeta (the CLI needs it)\n", err);
	err = xdpmeta_hook_init();
	if (err)
		goto err_debugfs;
	pr_info("loaded\n");
	return 0;

err_debugfs:
	xdpmeta_debugfs_exit();
err_chain:
	xdpmeta_chain_exit();
err:
	pr_err("failed to load: %d\n", err);
	return err;
}

static void __exit xdpmeta_exit(void)
{
	unsigned int restored;

	xdpmeta_debugfs_exit();	/* its readers take RTNL and walk hook.c */
	restored = xdpmeta_hook_exit();	/* ends with rcu_barrier() */
	xdpmeta_chain_exit();		/* retired entries released */
	xdpmeta_objects_check();
	pr_info("unloaded, restored %u devices\n", restored);
}

module_init(xdpmeta_init);
module_exit(xdpmeta_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("xdpmeta developers");
MODULE_DESCRIPTION("XDP per-packet metadata store, multi-buffer compat and device hooks for stock kernels");
MODULE_VERSION("0.1");
