// SPDX-License-Identifier: GPL-2.0
/*
 * objects.c - leak accounting: how many of each object xdpmeta allocates
 * or registers are outstanding, for the debugfs file "objects" and for
 * module exit, which WARNs (fatal under the test VM's panic_on_warn) if
 * any count is not zero once every teardown step has run.
 *
 * Counted where the owning room creates and destroys the object:
 *   records   struct xdpmeta_dev (hook.c; its ops copy is embedded):
 *             allocated until its RCU callback frees it
 *   hooked    records whose ops copy a device uses (hook.c)
 *   retired   records unhooked, kept for readers without RCU (hook.c)
 *   nf_hooks  netfilter ingress hooks registered (skb.c)
 *   pull_rcu  frag-release records of a pull waiting for their grace
 *             period (mb.c)
 * Not counted: the page of a linearized frame once handed to the driver
 * (the kernel frees it, as any frame's page), and the registry, which is
 * static. Atomics: the rooms update them under RTNL, in softirq and from
 * RCU callbacks.
 */
#include <linux/atomic.h>
#include <linux/seq_file.h>
#include <linux/bug.h>

#include "xdpmeta_int.h"

static const char *const xdpmeta_obj_names[XDPMETA_OBJ_N] = {
	[XDPMETA_OBJ_RECORDS] = "records",
	[XDPMETA_OBJ_HOOKED] = "hooked",
	[XDPMETA_OBJ_RETIRED] = "retired",
	[XDPMETA_OBJ_NF_HOOKS] = "nf_hooks",
	[XDPMETA_OBJ_PULL_RCU] = "pull_rcu",
	[XDPMETA_OBJ_CHAINS] = "chains",
	[XDPMETA_OBJ_CHAIN_ENTRIES] = "chain_entries",
};

atomic_long_t xdpmeta_objects[XDPMETA_OBJ_N];

/* debugfs "objects": one "name count" line per kind. */
int xdpmeta_objects_show(struct seq_file *m, void *v)
{
	int i;

	seq_puts(m, "object count\n");
	for (i = 0; i < XDPMETA_OBJ_N; i++)
		seq_printf(m, "%s %ld\n", xdpmeta_obj_names[i],
			   atomic_long_read(&xdpmeta_objects[i]));
	return 0;
}

/* At exit, after the last RCU callback: every count must be back to 0. */
void xdpmeta_objects_check(void)
{
	int i;

	for (i = 0; i < XDPMETA_OBJ_N; i++) {
		long n = atomic_long_read(&xdpmeta_objects[i]);

		WARN(n, "xdpmeta: %ld %s left at exit (leak)\n", n, xdpmeta_obj_names[i]);
	}
}
