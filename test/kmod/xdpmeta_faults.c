// SPDX-License-Identifier: GPL-2.0
/*
 * xdpmeta_faults - test-only module: commits, on request, each kind of
 * bug the debug kernel of `make check-debug` is there to see, so that its
 * tests (test/debug/t_faults.sh) can show the kernel reports it and the
 * harness fails on the report. Never loaded by the main suite, never
 * installed.
 *
 * Interface: debugfs xdpmeta_faults/trigger, write one of
 *	leak	 kmalloc 96 bytes and lose the pointer (kmemleak)
 *	oob	 read one byte past a 24-byte kmalloc object (KASAN)
 *	uaf	 read a kfree()d object (KASAN)
 *	lockdep	 take two mutexes in one order, then in the other (lockdep)
 *	sleep	 a GFP_KERNEL allocation under a spinlock (DEBUG_ATOMIC_SLEEP:
 *		 might_sleep() reports it; nothing sleeps, so the preempt
 *		 count and lockdep stay sane for what follows)
 * The write returns its length, or -EINVAL for anything else.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/slab.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/string.h>

static struct dentry *faults_dir;
static DEFINE_MUTEX(faults_a);
static DEFINE_MUTEX(faults_b);
static DEFINE_SPINLOCK(faults_lock);

static noinline void faults_leak(void)
{
	char *p = kmalloc(96, GFP_KERNEL);

	if (p)
		memset(p, 0x5a, 96);	/* and forgotten */
}

static noinline void faults_oob(void)
{
	char *p = kmalloc(24, GFP_KERNEL);

	if (!p)
		return;
	OPTIMIZER_HIDE_VAR(p);
	pr_info("oob read: %d\n", READ_ONCE(p[24 + 8]));
	kfree(p);
}

static noinline void faults_uaf(void)
{
	char *p = kmalloc(64, GFP_KERNEL);

	if (!p)
		return;
	kfree(p);
	OPTIMIZER_HIDE_VAR(p);
	pr_info("uaf read: %d\n", READ_ONCE(p[8]));
}

static noinline void faults_lockdep(void)
{
	mutex_lock(&faults_a);
	mutex_lock(&faults_b);
	mutex_unlock(&faults_b);
	mutex_unlock(&faults_a);
	mutex_lock(&faults_b);
	mutex_lock(&faults_a);
	mutex_unlock(&faults_a);
	mutex_unlock(&faults_b);
}

static noinline void faults_sleep(void)
{
	void *p;

	spin_lock(&faults_lock);
	p = kmalloc(64, GFP_KERNEL);
	spin_unlock(&faults_lock);
	kfree(p);
}

static ssize_t faults_write(struct file *f, const char __user *ubuf, size_t len, loff_t *off)
{
	char buf[16];

	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	strim(buf);
	if (!strcmp(buf, "leak"))
		faults_leak();
	else if (!strcmp(buf, "oob"))
		faults_oob();
	else if (!strcmp(buf, "uaf"))
		faults_uaf();
	else if (!strcmp(buf, "lockdep"))
		faults_lockdep();
	else if (!strcmp(buf, "sleep"))
		faults_sleep();
	else
		return -EINVAL;
	return len;
}

static const struct file_operations faults_fops = {
	.owner = THIS_MODULE,
	.write = faults_write,
};

static int __init faults_init(void)
{
	faults_dir = debugfs_create_dir("xdpmeta_faults", NULL);
	debugfs_create_file("trigger", 0200, faults_dir, NULL, &faults_fops);
	return 0;
}

static void __exit faults_exit(void)
{
	debugfs_remove_recursive(faults_dir);
}

module_init(faults_init);
module_exit(faults_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("xdpmeta test-only: bugs on request, for the debug kernel's controls");
