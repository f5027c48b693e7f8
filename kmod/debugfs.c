// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs.c - /sys/kernel/debug/xdpmeta/: read-only views of the other
 * rooms. Only this file creates debugfs files. Every file is root-only
 * (0400) and prints no kernel addresses.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "xdpmeta_int.h"

static struct dentry *xdpmeta_debugfs_dir;

/* Each file is a seq_file whose show function lives in the room it shows. */
#define XDPMETA_DEBUGFS_FILE(name, show)				\
static int name##_open(struct inode *inode, struct file *file)		\
{									\
	return single_open(file, show, NULL);				\
}									\
static const struct file_operations name##_fops = {			\
	.owner = THIS_MODULE,						\
	.open = name##_open,						\
	.read = seq_read,						\
	.llseek = seq_lseek,						\
	.release = single_release,					\
}

XDPMETA_DEBUGFS_FILE(xdpmeta_devices, xdpmeta_hook_devices_show);
XDPMETA_DEBUGFS_FILE(xdpmeta_keys, xdpmeta_registry_keys_show);
XDPMETA_DEBUGFS_FILE(xdpmeta_mb, xdpmeta_mb_show);
XDPMETA_DEBUGFS_FILE(xdpmeta_features, xdpmeta_hook_features_show);
XDPMETA_DEBUGFS_FILE(xdpmeta_objects, xdpmeta_objects_show);
XDPMETA_DEBUGFS_FILE(xdpmeta_chains, xdpmeta_hook_chains_show);

/*
 * mb_policy: write "NETNS_INUM IFINDEX POLICY" to set a veth's policy; the
 * line is parsed by parse.c (fuzzed on the host), strictly: a line it does
 * not wholly understand changes nothing (-EINVAL, -ERANGE).
 */
static ssize_t xdpmeta_mb_policy_write(struct file *file, const char __user *ubuf,
				       size_t len, loff_t *ppos)
{
	char buf[XDPMETA_MB_POLICY_LINE_MAX];
	struct xdpmeta_mb_policy_cmd cmd;
	int err;

	if (len > sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	err = xdpmeta_parse_mb_policy_cmd(buf, len, &cmd);
	if (err)
		return err;
	err = xdpmeta_hook_set_mb_policy(cmd.netns, cmd.ifindex, cmd.policy);
	return err ?: len;
}

static const struct file_operations xdpmeta_mb_policy_fops = {
	.owner = THIS_MODULE,
	.write = xdpmeta_mb_policy_write,
	.llseek = noop_llseek,
};

int xdpmeta_debugfs_init(void)
{
	struct dentry *dir;

	dir = debugfs_create_dir(XDPMETA_NAME, NULL);
	if (IS_ERR(dir))
		return PTR_ERR(dir);
	debugfs_create_file("devices", 0400, dir, NULL, &xdpmeta_devices_fops);
	debugfs_create_file("keys", 0400, dir, NULL, &xdpmeta_keys_fops);
	debugfs_create_file("mb", 0400, dir, NULL, &xdpmeta_mb_fops);
	debugfs_create_file("features", 0400, dir, NULL, &xdpmeta_features_fops);
	debugfs_create_file("objects", 0400, dir, NULL, &xdpmeta_objects_fops);
	debugfs_create_file("chains", 0400, dir, NULL, &xdpmeta_chains_fops);
	debugfs_create_file("mb_policy", 0200, dir, NULL, &xdpmeta_mb_policy_fops);
	xdpmeta_debugfs_dir = dir;
	return 0;
}

/*
 * Waits for readers that are inside a file's operations: call it before
 * tearing down what those files show.
 */
void xdpmeta_debugfs_exit(void)
{
	debugfs_remove_recursive(xdpmeta_debugfs_dir);
	xdpmeta_debugfs_dir = NULL;
}
